# Every third-party dependency, found in one place. All come from Debian 12
# packages listed in scripts/packages.txt.
find_package(PkgConfig REQUIRED)
find_package(SQLite3 REQUIRED)                 # SQLite::SQLite3
find_package(CLI11 CONFIG REQUIRED)            # CLI11::CLI11
find_package(fmt CONFIG REQUIRED)              # fmt::fmt
find_package(nlohmann_json CONFIG REQUIRED)    # nlohmann_json::nlohmann_json
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)  # PkgConfig::SODIUM
find_package(OpenSSL REQUIRED)                 # OpenSSL::Crypto (SHA-256 with the CPU's SHA extensions)
find_package(Protobuf REQUIRED)                # protobuf::libprotobuf, protobuf_generate()
find_package(zstd CONFIG REQUIRED)             # zstd::libzstd_shared
# cpp-httplib: the sync client's transport and the server. Its .pc flags
# must be used, or its ABI does not match.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)  # PkgConfig::HTTPLIB
if(PRESENTIE_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)          # GTest::gtest_main, GTest::gmock
  find_package(rapidcheck CONFIG REQUIRED)     # rapidcheck, rapidcheck_gtest
endif()
if(PRESENTIE_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)      # benchmark::benchmark
endif()
