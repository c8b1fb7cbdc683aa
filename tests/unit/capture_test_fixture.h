// The fixture of the input-path tests (driver_core_capture_test.cpp,
// driver_core_xrun_test.cpp): what the host received, against the fake
// capture device's pattern.
#pragma once

#include <cstring>

#include "support/driver_core_fixture.h"
#include "support/sample_patterns.h"

namespace a2w::test {

class CaptureTestBase : public DriverCoreTest {
 protected:
  // Host input channel c (4-byte samples) at host frame f.
  std::uint32_t received(int c, std::uint64_t f) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, host.inputReceived[c].data() + f * 4, 4);
    return bits;
  }
  static std::uint32_t floatBits(float v) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &v, 4);
    return bits;
  }
  // Int32 capture in packets of 441 frames under a 256-frame Int32 host
  // buffer, 2 in 2 out, started (`config` says how packets are stamped).
  void runInt32Packets441(FakeDeviceConfig config, std::vector<asio::BufferInfo>& infos) {
    config.captureFormat = DeviceSampleFormat::Int32;
    config.capturePacketFrames = 441;
    DriverSettings s;
    s.hostSampleType = asio::SampleType::Int32LSB;
    make(config, s);
    infos = channels(2, 2);
    runningWith(infos, 256);
  }
  // Counts host frames from `from` to `to` that are not capture frame f - delay.
  int mismatches(int c, std::uint64_t from, std::uint64_t to, std::int64_t delay, bool int32) {
    int bad = 0;
    for (std::uint64_t f = from; f < to; ++f) {
      const std::int64_t source = static_cast<std::int64_t>(f) - delay;
      const std::int32_t v = source < 0 ? 0 : fake->captureValue(c, static_cast<std::uint64_t>(source));
      const std::uint32_t want = int32 ? static_cast<std::uint32_t>(v) : floatBits(patternAsFloat(v));
      bad += received(c, f) != want ? 1 : 0;
    }
    return bad;
  }
};

}  // namespace a2w::test
