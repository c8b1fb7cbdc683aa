// libFuzzer entry for the core target (built by the `fuzz` preset, run by
// scripts/fuzz.sh). The counts go to $A2W_FUZZ_COUNTS (JSON) at exit.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_targets.h"

namespace {
void writeCounts() {
  const a2w::fuzz::CoreFuzzCounts& c = a2w::fuzz::coreFuzzCounts();
  const auto n = [](std::uint64_t v) { return std::to_string(v); };
  a2w::fuzz::reportCounts("core fuzz: " + n(c.inputs) + " inputs, " + n(c.calls) + " ASIO calls, " + n(c.periods) +
                              " periods, " + n(c.bufferSwitches) + " bufferSwitches",
                          "{\"inputs\": " + n(c.inputs) + ", \"calls\": " + n(c.calls) + ", \"failed_calls\": " +
                              n(c.failedCalls) + ", \"periods\": " + n(c.periods) + ", \"buffer_switches\": " +
                              n(c.bufferSwitches) + ", \"capture_packets\": " + n(c.packets) +
                              ", \"device_events\": " + n(c.deviceEvents) + ", \"settings_changes\": " +
                              n(c.settingsApplied) + ", \"inline_resets\": " + n(c.inlineResets) +
                              ", \"still_works_checks\": " + n(c.stillWorksChecks) + "}");
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
