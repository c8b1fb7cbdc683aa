#include "core/cpu_features.h"

#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#include <cpuid.h>
#define A2W_CPUID_GNU 1
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
#include <immintrin.h>  // _xgetbv
// __cpuidex is an MSVC intrinsic; declared here rather than by including
// <intrin.h>, which the portable core keeps out (portable_sources_test).
extern "C" void __cpuidex(int cpuInfo[4], int function, int subfunction);
#pragma intrinsic(__cpuidex)
#define A2W_CPUID_MSVC 1
#endif

namespace a2w {
namespace {

struct CpuidResult {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
};

#if defined(A2W_CPUID_GNU)
bool cpuid(unsigned leaf, CpuidResult* r) {
  // GCC's cpuid.h returns unsigned, clang's int.
  if (static_cast<unsigned>(__get_cpuid_max(0, nullptr)) < leaf) return false;
  __cpuid_count(leaf, 0, r->eax, r->ebx, r->ecx, r->edx);
  return true;
}
unsigned long long xcr0() {
  unsigned lo = 0, hi = 0;
  // xgetbv by its bytes: the mnemonic needs -mxsave, which this file must not assume.
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<unsigned long long>(hi) << 32) | lo;
}
#elif defined(A2W_CPUID_MSVC)
bool cpuid(unsigned leaf, CpuidResult* r) {
  int regs[4];
  __cpuidex(regs, 0, 0);
  if (static_cast<unsigned>(regs[0]) < leaf) return false;
  __cpuidex(regs, static_cast<int>(leaf), 0);
  *r = {static_cast<unsigned>(regs[0]), static_cast<unsigned>(regs[1]), static_cast<unsigned>(regs[2]),
        static_cast<unsigned>(regs[3])};
  return true;
}
unsigned long long xcr0() { return _xgetbv(0); }
#endif

}  // namespace

bool cpuHasAvx2() noexcept {
#if defined(A2W_CPUID_GNU) || defined(A2W_CPUID_MSVC)
  CpuidResult leaf1, leaf7;
  if (!cpuid(1, &leaf1) || !cpuid(7, &leaf7)) return false;
  const bool osxsave = (leaf1.ecx & (1u << 27)) != 0;
  const bool avx = (leaf1.ecx & (1u << 28)) != 0;
  if (!osxsave || !avx) return false;
  if ((xcr0() & 0x6) != 0x6) return false;  // the OS saves XMM and YMM state
  return (leaf7.ebx & (1u << 5)) != 0;
#else
  return false;
#endif
}

}  // namespace a2w
