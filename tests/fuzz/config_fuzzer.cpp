// libFuzzer entry for the settings-file target (built by the `fuzz` preset,
// run by scripts/fuzz.sh with config_seeds/ and config.dict). The counts go
// to $A2W_FUZZ_COUNTS (JSON) at exit.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_targets.h"

namespace {
void writeCounts() {
  const a2w::fuzz::ConfigFuzzCounts& c = a2w::fuzz::configFuzzCounts();
  const std::string inputs = std::to_string(c.inputs), accepted = std::to_string(c.accepted),
                    refused = std::to_string(c.refused), warnings = std::to_string(c.warnings);
  a2w::fuzz::reportCounts("config fuzz: " + inputs + " inputs, " + accepted + " accepted, " + refused + " refused, " +
                              warnings + " warnings",
                          "{\"inputs\": " + inputs + ", \"accepted\": " + accepted + ", \"refused\": " + refused +
                              ", \"warnings\": " + warnings + "}");
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::atexit(&writeCounts);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  a2w::fuzz::runConfigInput(data, size);
  return 0;
}
