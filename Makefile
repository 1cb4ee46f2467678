# The two set-up commands of README.md, and the rest of the developer's verbs.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all build test demo bench fuzz clean bootstrap unit

all: build

bootstrap:
	@scripts/bootstrap

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: bootstrap $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test: build
	scripts/test-all $(BUILD)

demo: build
	scripts/demo $(BUILD)

bench: build
	bench/run $(BUILD)

clean:
	rm -rf $(BUILD) build-*
