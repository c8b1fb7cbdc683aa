#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_targets.h"

namespace a2w::fuzz {

void violated(const char* target, const std::string& what) {
  std::fprintf(stderr, "\n%s: invariant broken: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();
}

void reportCounts(const std::string& line, const std::string& json) {
  std::fprintf(stderr, "%s\n", line.c_str());
  const char* path = std::getenv("A2W_FUZZ_COUNTS");
  if (path == nullptr) return;
  if (FILE* f = std::fopen(path, "w")) {
    std::fprintf(f, "%s\n", json.c_str());
    std::fclose(f);
  }
}

}  // namespace a2w::fuzz
