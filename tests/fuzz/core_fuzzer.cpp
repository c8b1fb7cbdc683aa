// libFuzzer entry for the core target (built by the `fuzz` preset, run by
// scripts/fuzz.sh). The counts go to $A2W_FUZZ_COUNTS (JSON) at exit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_targets.h"

namespace {
void writeCounts() {
  const a2w::fuzz::CoreFuzzCounts& c = a2w::fuzz::coreFuzzCounts();
  std::fprintf(stderr, "core fuzz: %llu inputs, %llu ASIO calls, %llu periods, %llu bufferSwitches\n",
               static_cast<unsigned long long>(c.inputs), static_cast<unsigned long long>(c.calls),
               static_cast<unsigned long long>(c.periods), static_cast<unsigned long long>(c.bufferSwitches));
  const char* path = std::getenv("A2W_FUZZ_COUNTS");
  if (path == nullptr) return;
  if (FILE* f = std::fopen(path, "w")) {
    std::fprintf(f,
                 "{\"inputs\": %llu, \"calls\": %llu, \"failed_calls\": %llu, \"periods\": %llu, \"buffer_switches\": %llu, "
                 "\"capture_packets\": %llu, \"device_events\": %llu, \"settings_changes\": %llu, \"inline_resets\": %llu, "
                 "\"still_works_checks\": %llu}\n",
                 static_cast<unsigned long long>(c.inputs), static_cast<unsigned long long>(c.calls),
                 static_cast<unsigned long long>(c.failedCalls), static_cast<unsigned long long>(c.periods),
                 static_cast<unsigned long long>(c.bufferSwitches), static_cast<unsigned long long>(c.packets),
                 static_cast<unsigned long long>(c.deviceEvents), static_cast<unsigned long long>(c.settingsApplied),
                 static_cast<unsigned long long>(c.inlineResets), static_cast<unsigned long long>(c.stillWorksChecks));
    std::fclose(f);
  }
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::atexit(&writeCounts);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  a2w::fuzz::runCoreInput(data, size);
  return 0;
}
