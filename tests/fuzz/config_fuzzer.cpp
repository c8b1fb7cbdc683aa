// libFuzzer entry for the settings-file target (built by the `fuzz` preset,
// run by scripts/fuzz.sh with config_seeds/ and config.dict). The counts go
// to $A2W_FUZZ_COUNTS (JSON) at exit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_targets.h"

namespace {
void writeCounts() {
  const a2w::fuzz::ConfigFuzzCounts& c = a2w::fuzz::configFuzzCounts();
  std::fprintf(stderr, "config fuzz: %llu inputs, %llu accepted, %llu refused, %llu warnings\n",
               static_cast<unsigned long long>(c.inputs), static_cast<unsigned long long>(c.accepted),
               static_cast<unsigned long long>(c.refused), static_cast<unsigned long long>(c.warnings));
  const char* path = std::getenv("A2W_FUZZ_COUNTS");
  if (path == nullptr) return;
  if (FILE* f = std::fopen(path, "w")) {
    std::fprintf(f, "{\"inputs\": %llu, \"accepted\": %llu, \"refused\": %llu, \"warnings\": %llu}\n",
                 static_cast<unsigned long long>(c.inputs), static_cast<unsigned long long>(c.accepted),
                 static_cast<unsigned long long>(c.refused), static_cast<unsigned long long>(c.warnings));
    std::fclose(f);
  }
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
