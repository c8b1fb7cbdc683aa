#include "wasapi/time_base.h"

#include <windows.h>
#include <mmsystem.h>

namespace a2w::wasapi {

void TimeBase::calibrate() {
  LARGE_INTEGER f;
  QueryPerformanceFrequency(&f);  // never fails on XP and later
  frequency_ = f.QuadPart > 0 ? f.QuadPart : 1;
  const std::int64_t tgtNs = static_cast<std::int64_t>(timeGetTime()) * 1'000'000;
  offsetNs_ = tgtNs - qpcNs();
}

std::int64_t TimeBase::qpcNs() const noexcept {
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  // Split so counts * 1e9 cannot overflow 64 bits after weeks of uptime.
  const std::int64_t seconds = c.QuadPart / frequency_;
  const std::int64_t rest = c.QuadPart % frequency_;
  return seconds * 1'000'000'000 + rest * 1'000'000'000 / frequency_;
}

std::uint64_t TimeBase::nowNs() const noexcept {
  const std::int64_t ns = qpcNs() + offsetNs_;
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

std::uint64_t TimeBase::fromQpcHns(std::uint64_t qpcHns) const noexcept {
  if (qpcHns == 0) return 0;
  const std::int64_t ns = static_cast<std::int64_t>(qpcHns) * 100 + offsetNs_;
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

}  // namespace a2w::wasapi
