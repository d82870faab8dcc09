# Compiler settings every presentie target takes through presentie_options:
# warnings are errors; sanitizers when PRESENTIE_SANITIZE is on.
add_library(presentie_options INTERFACE)
target_compile_options(presentie_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
  -Werror)
# Clang checks the locking annotations of core/mutex.h (GUARDED_BY, REQUIRES).
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(presentie_options INTERFACE -Wthread-safety)
endif()
if(PRESENTIE_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(presentie_options INTERFACE ${_san})
  target_link_options(presentie_options INTERFACE ${_san})
endif()
# The fuzz build instruments every presentie target for libFuzzer's
# coverage; the fuzz targets themselves link the fuzzer (tests/fuzz).
if(PRESENTIE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PRESENTIE_FUZZ needs clang (libFuzzer): configure with CXX=clang++")
  endif()
  target_compile_options(presentie_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
