// What the CPU (and the OS, for the wider registers) lets us run, asked with
// CPUID once per call. Portable: false on anything that is not x86.
#pragma once

namespace a2w {

// AVX2 instructions and the OS saving the YMM registers (XCR0 bits 1 and 2).
bool cpuHasAvx2() noexcept;

}  // namespace a2w
