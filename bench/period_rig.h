// The driver core's per-period path on the fake backend (tests/support),
// with a host whose callbacks do nothing: what the driver itself costs per
// period. The same rig without the core (a handler that ignores the periods)
// measures the fake backend's own share, which the benchmarks subtract.
#pragma once

#include <memory>

#include "asio/asio_abi.h"
#include "core/device_format.h"

namespace a2w {
class DriverCore;
namespace test {
class FakeBackend;
}

namespace bench {

struct PeriodRigConfig {
  int outputs = 2;  // host output channels = render device channels (>= 1: the render stream clocks the periods)
  int inputs = 0;   // host input channels = capture device channels (0: output only)
  int frames = 128; // the ASIO buffer = one period
  asio::SampleType hostType = asio::SampleType::Float32LSB;
  DeviceSampleFormat deviceFormat = DeviceSampleFormat::Float32;
  bool withCore = true;  // false: the fake backend alone
};

class PeriodRig {
 public:
  // init, createBuffers (every channel), start; throws std::runtime_error
  // with the driver's message when a step fails.
  explicit PeriodRig(const PeriodRigConfig& config);
  ~PeriodRig();
  PeriodRig(const PeriodRig&) = delete;
  PeriodRig& operator=(const PeriodRig&) = delete;

  // Runs `periods` periods (and the capture packets due before them).
  void run(int periods);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace bench
}  // namespace a2w
