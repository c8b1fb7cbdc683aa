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

}  // namespace a2w::fuzz
