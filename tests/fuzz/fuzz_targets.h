// The two fuzz targets over the portable core. Each takes any byte string
// and must neither crash, nor trip a sanitizer, nor break an invariant; a
// broken invariant is reported by violated(), which aborts, so libFuzzer
// keeps the input as a crash artifact (build/fuzz/artifacts) and the seeded
// run in fuzz_tests fails with the invariant's text.
//
// Driven by libFuzzer (core_fuzzer.cpp / config_fuzzer.cpp, clang, `make
// fuzz`) and by a seeded generator (fuzz_tests.cpp, g++, part of `make test`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace a2w::fuzz {

// --- DriverCore over the fake backend (core_fuzz_target.cpp)

// What the core target did, summed over every input since the process started.
struct CoreFuzzCounts {
  std::uint64_t inputs = 0;
  std::uint64_t calls = 0;          // IASIO method calls on DriverCore (those from inside callbacks too)
  std::uint64_t failedCalls = 0;    // ... that returned an error (or init's kFalse)
  std::uint64_t periods = 0;        // periods the fake backend ran through the core
  std::uint64_t bufferSwitches = 0; // host callbacks for them
  std::uint64_t packets = 0;        // crafted or extra capture packets handed to the core
  std::uint64_t deviceEvents = 0;
  std::uint64_t settingsApplied = 0;  // applySettings / requestReset / setConfigError
  std::uint64_t stillWorksChecks = 0; // full host sessions that had to (and did) work after the chaos
  std::uint64_t inlineResets = 0;     // kResetRequests the host handled inside the message
};
const CoreFuzzCounts& coreFuzzCounts();
void runCoreInput(const std::uint8_t* data, std::size_t size);

// --- the TOML settings parser (config_fuzz_target.cpp)

struct ConfigFuzzCounts {
  std::uint64_t inputs = 0;
  std::uint64_t accepted = 0;  // parsed as valid settings (then rendered and parsed back)
  std::uint64_t refused = 0;   // an error naming file:line
  std::uint64_t warnings = 0;
};
const ConfigFuzzCounts& configFuzzCounts();
void runConfigInput(const std::uint8_t* data, std::size_t size);
// The file name the target parses under (every message must start with it).
inline constexpr const char* kConfigFuzzFileName = "fuzz.toml";

// A broken invariant: prints "<target>: invariant broken: <what>" and aborts
// (libFuzzer keeps the input; the seeded driver's SIGABRT handler saves it).
[[noreturn]] void violated(const char* target, const std::string& what);

// The libFuzzer entry points' counts at exit: `line` to stderr, and `json`
// (one object) into the file $A2W_FUZZ_COUNTS names, when it is set
// (scripts/fuzz.sh reads it).
void reportCounts(const std::string& line, const std::string& json);

}  // namespace a2w::fuzz
