# The README's two commands: `make demo` and `make test`. Both install what is
# missing first (scripts/install-deps.sh), so a fresh Debian 12 machine needs
# nothing else.
.PHONY: all deps build build-asan test test-release test-asan demo bench fuzz clean

GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
RELEASE   := build/release
ASAN      := build/asan
FUZZ_SECONDS ?= 60

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@test -f $(RELEASE)/CMakeCache.txt || cmake -S . -B $(RELEASE) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(RELEASE) -j $(JOBS)

# The sanitizer build is clang's: ASan+UBSan, and libFuzzer's coverage on
# every target, so the fuzz targets (tests/fuzz) are part of it.
build-asan: deps
	@test -f $(ASAN)/CMakeCache.txt || CC=clang CXX=clang++ cmake -S . -B $(ASAN) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=Debug -DPRESENTIE_SANITIZE=ON -DPRESENTIE_FUZZ=ON -DPRESENTIE_BUILD_BENCH=OFF
	cmake --build $(ASAN) -j $(JOBS)

test-release: build
	ctest --test-dir $(RELEASE) --output-on-failure -j $(JOBS)

test-asan: build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN) --output-on-failure -j $(JOBS)

# Every test, in the normal and in the ASan+UBSan build; then what the
# reliability tests survived (kill points, faults, bad inputs; nothing lost).
test: test-release test-asan
	@bash scripts/reliability-summary.sh $(RELEASE) $(ASAN)

# libFuzzer: the codec and the server's handlers, FUZZ_SECONDS each (make
# test runs them for 10 s each).
fuzz: build-asan
	bash scripts/fuzz.sh $(ASAN) $(FUZZ_SECONDS)

demo: build
	bash scripts/demo.sh $(RELEASE)/cli/presentie

bench: build
	bash scripts/bench.sh $(RELEASE)

clean:
	rm -rf build
