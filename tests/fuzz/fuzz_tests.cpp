// The fuzz targets under a seeded generator instead of libFuzzer, so that
// `make test` (g++, ASan + UBSan) runs a short, reproducible fuzz session
// every time: random byte strings into the core target, and mutations of
// valid settings files into the config target. `make fuzz` runs the same
// targets under libFuzzer for much longer (scripts/fuzz.sh).
//
// Environment: A2W_FUZZ_SEED (default below), A2W_FUZZ_CALLS (ASIO calls the
// core run makes at least), A2W_FUZZ_CONFIG_INPUTS, and A2W_FUZZ_REPLAY_CORE /
// A2W_FUZZ_REPLAY_CONFIG: a file to run first (e.g. a saved failure). On a
// broken invariant or a sanitizer report the input is saved to
// $TMPDIR/a2w-fuzz-failure-<target>.bin; both fuzzer binaries replay such
// a file given as their argument.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/config_file.h"
#include "fuzz/fuzz_targets.h"

// A sanitizer report ends the process with abort() (not _exit), so the
// SIGABRT handler below saves the input that caused it.
extern "C" const char* __asan_default_options() { return "abort_on_error=1"; }
extern "C" const char* __ubsan_default_options() { return "abort_on_error=1:print_stacktrace=1"; }

namespace a2w::fuzz {
namespace {

std::uint64_t envNumber(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 0) : fallback;
}

// xorshift64*: the generator's whole state is the seed printed in the log.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed != 0 ? seed : 0x9E3779B97F4A7C15ull) {}
  std::uint64_t next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1Dull;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t s_;
};

// The input being run, saved when it breaks something.
const char* gTarget = "";
std::vector<std::uint8_t> gInput;

void saveInput() {
  std::error_code ec;
  const std::filesystem::path file =
      std::filesystem::temp_directory_path(ec) / (std::string("a2w-fuzz-failure-") + gTarget + ".bin");
  if (FILE* f = std::fopen(file.string().c_str(), "wb")) {
    std::fwrite(gInput.data(), 1, gInput.size(), f);
    std::fclose(f);
    std::fprintf(stderr, "fuzz: the failing input (%zu bytes) is in %s\n", gInput.size(), file.string().c_str());
  }
}

// A broken invariant, an assert() in a library, or a sanitizer report (see
// the default options above) all end in abort(): save the input first, then
// die of the same signal.
extern "C" void onAbort(int signal) {
  saveInput();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

class Hooks {
 public:
  Hooks() {
    std::signal(SIGABRT, &onAbort);
  }
};
const Hooks gHooks;

std::vector<std::uint8_t> readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void replayIfAsked(const char* variable, void (*run)(const std::uint8_t*, std::size_t)) {
  if (const char* file = std::getenv(variable)) {
    gInput = readFile(file);
    std::printf("replaying %s (%zu bytes)\n", file, gInput.size());
    run(gInput.data(), gInput.size());
  }
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(CoreFuzz, SeededRandomCallSequencesKeepEveryInvariant) {
  gTarget = "core";
  replayIfAsked("A2W_FUZZ_REPLAY_CORE", &runCoreInput);
  const std::uint64_t seed = envNumber("A2W_FUZZ_SEED", 20240611);
  const std::uint64_t wanted = envNumber("A2W_FUZZ_CALLS", 40000);
  Rng rng(seed);
  const CoreFuzzCounts before = coreFuzzCounts();
  const auto t0 = std::chrono::steady_clock::now();
  while (coreFuzzCounts().calls - before.calls < wanted) {
    gInput.resize(rng.below(1536));
    for (std::uint8_t& b : gInput) b = static_cast<std::uint8_t>(rng.next() >> 56);
    runCoreInput(gInput.data(), gInput.size());
  }
  const CoreFuzzCounts& c = coreFuzzCounts();
  std::printf("core fuzz (seeded, seed %llu): %llu inputs, %llu ASIO calls (%llu refused as they should be), %llu periods, "
              "%llu bufferSwitches, %llu extra capture packets, %llu device events, %llu settings changes, "
              "%llu inline resets, %llu still-works sessions, 0 invariants broken, %.1f s\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(c.inputs - before.inputs),
              static_cast<unsigned long long>(c.calls - before.calls),
              static_cast<unsigned long long>(c.failedCalls - before.failedCalls),
              static_cast<unsigned long long>(c.periods - before.periods),
              static_cast<unsigned long long>(c.bufferSwitches - before.bufferSwitches),
              static_cast<unsigned long long>(c.packets - before.packets),
              static_cast<unsigned long long>(c.deviceEvents - before.deviceEvents),
              static_cast<unsigned long long>(c.settingsApplied - before.settingsApplied),
              static_cast<unsigned long long>(c.inlineResets - before.inlineResets),
              static_cast<unsigned long long>(c.stillWorksChecks - before.stillWorksChecks), secondsSince(t0));
  // The generator must reach the interesting places, or the run proves little.
  EXPECT_GT(c.failedCalls - before.failedCalls, 0u);
  EXPECT_GT(c.bufferSwitches - before.bufferSwitches, 0u);
  EXPECT_GT(c.deviceEvents - before.deviceEvents, 0u);
  EXPECT_GT(c.packets - before.packets, 0u);
  EXPECT_GT(c.inlineResets - before.inlineResets, 0u);
}

// Byte-level mutations of valid files: flips, insertions (often of TOML
// tokens), deletions, repeated and spliced lines, truncation.
std::vector<std::uint8_t> mutate(Rng& rng, const std::vector<std::vector<std::uint8_t>>& seeds) {
  static const char* const tokens[] = {"=", "\"", "'", "[", "]", "{", "}", ",", "\n", "#", ".", "[output]", "[input]",
                                       "[log]", "[[output]]", "mode", "polling", "buffer_frames", "buffer_ms",
                                       "sample_rate", "sample_type", "channel_map", "channels", "device", "level",
                                       "file", "true", "nan", "inf", "-0", "1e309", "0x7fffffff", "99999999999999999999",
                                       "\"\"\"", "'''", "\\u0000", "\\uD800", "\xff", "\xc3", "\r", "\t", "1979-05-27"};
  std::vector<std::uint8_t> data = seeds[rng.below(seeds.size())];
  const std::size_t edits = 1 + rng.below(8);
  for (std::size_t e = 0; e < edits; ++e) {
    const std::size_t at = rng.below(data.size() + 1);
    switch (rng.below(7)) {
      case 0:
        if (at < data.size()) data[at] ^= static_cast<std::uint8_t>(1u << rng.below(8));
        break;
      case 1: data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(rng.next())); break;
      case 2:
      case 3: {
        const std::string t = tokens[rng.below(std::size(tokens))];
        data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), t.begin(), t.end());
        break;
      }
      case 4: {
        const std::size_t n = std::min(data.size() - std::min(at, data.size()), rng.below(16));
        data.erase(data.begin() + static_cast<std::ptrdiff_t>(at), data.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
      }
      case 5: {  // a piece of another seed, spliced in
        const std::vector<std::uint8_t>& other = seeds[rng.below(seeds.size())];
        const std::size_t from = rng.below(other.size());
        const std::size_t n = std::min(other.size() - from, rng.below(64));
        data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), other.begin() + static_cast<std::ptrdiff_t>(from),
                    other.begin() + static_cast<std::ptrdiff_t>(from + n));
        break;
      }
      default: data.resize(at); break;
    }
  }
  return data;
}

TEST(ConfigFuzz, SeededMutationsOfValidFilesNameFileAndLineOrRoundTrip) {
  gTarget = "config";
  replayIfAsked("A2W_FUZZ_REPLAY_CONFIG", &runConfigInput);
  std::vector<std::vector<std::uint8_t>> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(A2W_SOURCE_DIR) / "tests/fuzz/config_seeds")) {
    seeds.push_back(readFile(entry.path()));
  }
  DriverSettings everything;
  everything.mode = StreamMode::ExclusivePoll;
  everything.bufferMs = 2.9;
  everything.safety = SafetyMode::Fixed;
  everything.safetyFrames = 96;
  everything.outputChannelMap = {3, 1};
  everything.inputDevice = "loopback:Speakers \"quoted\" \\ \x7f";
  everything.logFile = "C:\\logs\\a\tb.log";
  for (const DriverSettings& s : {DriverSettings{}, everything}) {
    const std::string text = config::render(s);
    seeds.emplace_back(text.begin(), text.end());
  }
  ASSERT_GE(seeds.size(), 5u);
  for (const auto& s : seeds) runConfigInput(s.data(), s.size());
  const ConfigFuzzCounts seedsOnly = configFuzzCounts();
  ASSERT_EQ(seedsOnly.refused, 0u) << "a seed file is not valid";

  const std::uint64_t seed = envNumber("A2W_FUZZ_SEED", 20240611);
  const std::uint64_t inputs = envNumber("A2W_FUZZ_CONFIG_INPUTS", 20000);
  Rng rng(seed);
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < inputs; ++i) {
    gInput = mutate(rng, seeds);
    runConfigInput(gInput.data(), gInput.size());
  }
  const ConfigFuzzCounts& c = configFuzzCounts();
  const std::uint64_t accepted = c.accepted - seedsOnly.accepted, refused = c.refused - seedsOnly.refused;
  std::printf("config fuzz (seeded, seed %llu): %llu mutated files, %llu accepted and round-tripped, %llu refused "
              "naming file:line, %llu warnings naming file:line, 0 invariants broken, %.1f s\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(inputs),
              static_cast<unsigned long long>(accepted), static_cast<unsigned long long>(refused),
              static_cast<unsigned long long>(c.warnings - seedsOnly.warnings), secondsSince(t0));
  EXPECT_GT(accepted, inputs / 20);  // both sides reached, or the run proves little
  EXPECT_GT(refused, inputs / 20);
}

}  // namespace
}  // namespace a2w::fuzz
