# The two commands of the README. Everything else is in scripts/ and CMake presets.
#   make test   installs what is missing, builds native, win64 and win32, runs every test
#   make demo   plays a known signal through host -> driver -> WASAPI (Wine) and verifies it
#   make loopback  full duplex Speakers -> its monitor: measured vs reported round-trip latency
#   make dist   the installer and the zip for Windows users: build/dist/asio2wasapi-<version>-setup.exe, .zip
#   make dist-test  only the installer's Wine test (install, probe, play, uninstall; also part of make test)
#   make bench  conversion kernels, per-period path, resampler: build/bench/results.json (docs/PERFORMANCE.md)
#   make fuzz   the core and config fuzzers under libFuzzer (clang): >= 1M ASIO calls (docs/RELIABILITY.md)
#   make soak   10 minutes of duplex in the Wine world: no unexplained discontinuity, no memory growth
#   make stress 5 minutes of duplex under a CPU load: every discontinuity explained by the driver (build/stress/report.json)
JOBS ?= $(shell nproc)

.PHONY: noise test demo loopback bench dist dist-test fuzz soak stress deps build build-native build-tsan build-win64 build-win32 clean

test: build
	@scripts/run-tests.sh

demo: deps
	@scripts/demo.sh

loopback: deps
	@scripts/loopback.sh

dist: deps build-win64 build-win32
	@scripts/dist.sh

dist-test: deps build-win64 build-win32
	@bash tests/e2e/installer.sh

bench: deps
	@scripts/bench.sh

fuzz: deps
	@scripts/fuzz.sh

soak: deps
	@scripts/soak.sh

# The 60 s duplex test under a CPU load (tests/noise): not in make test yet.
noise: deps build-native build-win64
	@bash tests/noise/duplex_monitor_loaded.sh

stress: deps
	@scripts/stress.sh

deps:
	@scripts/install-deps.sh

build: deps build-native build-tsan build-win64 build-win32

build-native:
	@cmake --preset native >/dev/null
	@cmake --build --preset native -j $(JOBS)

# ThreadSanitizer: only the small tsan_tests binary (tests/tsan).
build-tsan:
	@cmake --preset native-tsan >/dev/null
	@cmake --build --preset native-tsan -j $(JOBS) --target tsan_tests

build-win64:
	@cmake --preset win64 >/dev/null
	@cmake --build --preset win64 -j $(JOBS)

build-win32:
	@cmake --preset win32 >/dev/null
	@cmake --build --preset win32 -j $(JOBS)

clean:
	rm -rf build
