# The two set-up commands of README.md, and the rest of the developer's verbs.
BUILD ?= build
# The sanitizer build: clang with ASan+UBSan+LSan, and the libFuzzer targets of tests/fuzz.
SANITIZE_BUILD ?= build-sanitize
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=
# Seconds each fuzz target runs under `make fuzz` (make test runs each for a few seconds).
FUZZ_SECONDS ?= 60

.PHONY: all build sanitize test demo bench fuzz clean bootstrap unit

all: build

bootstrap:
	@scripts/bootstrap

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: bootstrap $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(SANITIZE_BUILD)/build.ninja:
	cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DMFAENV_FUZZ=ON $(CMAKE_FLAGS)

sanitize: bootstrap $(SANITIZE_BUILD)/build.ninja
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)

test: build sanitize
	scripts/test-all $(BUILD) $(SANITIZE_BUILD)

fuzz: sanitize
	scripts/fuzz $(SANITIZE_BUILD) $(FUZZ_SECONDS)

demo: build
	scripts/demo $(BUILD)

bench: build
	bench/run $(BUILD)
	bench/server $(BUILD)

clean:
	rm -rf $(BUILD) build-*
