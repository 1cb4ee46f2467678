# The two set-up commands of README.md, and the rest of the developer's verbs.
BUILD ?= build
# The sanitizer build: clang with ASan+UBSan+LSan, and the libFuzzer targets of tests/fuzz.
SANITIZE_BUILD ?= build-sanitize
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=
# Seconds each fuzz target runs under `make fuzz` (make test runs each for a few seconds).
FUZZ_SECONDS ?= 60
# `make install`: where to (PREFIX) and under which staging root (DESTDIR, for packagers).
PREFIX ?= /usr/local
DESTDIR ?=
# -Werror: off for users (a newer compiler's new warning must not break their build), on for
# `make test` (and so for CI), which sets WERROR=ON. Empty: keep what the build folder has.
WERROR ?=
# Which packages scripts/bootstrap installs: build (make), demo, test, bench.
DEPS ?= build

.PHONY: all build sanitize test demo bench fuzz clean bootstrap unit install package configure

all: build

bootstrap:
	@scripts/bootstrap $(DEPS)

# Configures when the folder is new, or when WERROR asks for another -Werror setting than it has.
configure: bootstrap
	@if [ ! -f $(BUILD)/build.ninja ] || { [ -n "$(WERROR)" ] && \
	    ! grep -qx "MFAENV_WERROR:BOOL=$(WERROR)" $(BUILD)/CMakeCache.txt; }; then \
	  cmake -S . -B $(BUILD) -G Ninja $(if $(WERROR),-DMFAENV_WERROR=$(WERROR)) $(CMAKE_FLAGS); \
	fi

build: configure
	cmake --build $(BUILD) -j $(JOBS)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(SANITIZE_BUILD)/build.ninja:
	cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DMFAENV_FUZZ=ON -DMFAENV_WERROR=ON $(CMAKE_FLAGS)

sanitize: bootstrap $(SANITIZE_BUILD)/build.ninja
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)

test: DEPS = test
test: WERROR = ON
test: build sanitize
	scripts/test-all $(BUILD) $(SANITIZE_BUILD)

fuzz: DEPS = test
fuzz: sanitize
	scripts/fuzz $(SANITIZE_BUILD) $(FUZZ_SECONDS)

demo: DEPS = demo
demo: build
	scripts/demo $(BUILD)

bench: DEPS = bench
bench: build
	bench/run $(BUILD)
	bench/server $(BUILD)

# The binary, man pages, completions and the direnv library under $(DESTDIR)$(PREFIX).
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# build/mfaenv_<version>_<arch>.deb (scripts/package says what goes in it).
package: build
	scripts/package $(BUILD)

clean:
	rm -rf $(BUILD) build-*
