# A thin front for CMake. `make demo` and `make test` are the quick start.
BUILD        ?= build
BUILD_ASAN   ?= build-asan
BUILD_FUZZ   ?= build-fuzz
JOBS         ?= 2
FUZZ_SECONDS ?= 60

.PHONY: all deps build test test-asan demo fuzz bench format format-check clean

all: build

deps:
	@scripts/deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Unit tests and corpus replays again under AddressSanitizer + UBSan; the
# unit tests' @postgresql runs too (label unit), with the fixture pg's own
# throwaway cluster (docs/testing.md).
test-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DHEDUI_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS) -L 'unit|fuzz'

demo: build
	scripts/demo $(BUILD)/hedui

fuzz: deps
	CC=clang cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DHEDUI_FUZZ=ON
	cmake --build $(BUILD_FUZZ) -j $(JOBS)
	scripts/fuzz $(BUILD_FUZZ) $(FUZZ_SECONDS)

bench: build
	bench/run $(BUILD)/hedui

format:
	clang-format -i $$(git ls-files '*.c' '*.h' | grep -v '_data\.c$$')

format-check:
	scripts/check-format

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
