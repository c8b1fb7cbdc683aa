// The clock ASIO's systemTime uses: nanoseconds on the timeGetTime() base.
//
// timeGetTime() only has millisecond resolution, far too coarse for period
// timestamps, so we read QueryPerformanceCounter at each period boundary and
// convert it to nanoseconds. calibrate() (on a non-audio thread, at start)
// reads both clocks once and keeps the difference, so nowNs() lines up with
// timeGetTime() * 1'000'000 to within the millisecond that timeGetTime itself
// can resolve, and then advances at QPC's precision. The two clocks are both
// derived from the same system time source on current Windows, so they do
// not drift apart in any way a session would notice; a new calibration at
// every start keeps it that way.
#pragma once

#include <cstdint>

namespace a2w::wasapi {

class TimeBase {
 public:
  void calibrate();
  std::uint64_t nowNs() const noexcept;  // audio-thread safe: no locks, no allocation
  // A QPC reading in 100-ns units, as IAudioCaptureClient::GetBuffer's
  // qpcPosition gives it, on the same base as nowNs(); 0 stays 0 (unknown).
  std::uint64_t fromQpcHns(std::uint64_t qpcHns) const noexcept;

 private:
  std::int64_t qpcNs() const noexcept;
  std::int64_t frequency_ = 1;
  std::int64_t offsetNs_ = 0;
};

}  // namespace a2w::wasapi
