#include "period_rig.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "core/audio_backend.h"
#include "core/driver_core.h"
#include "support/fake_backend.h"

namespace a2w::bench {
namespace {

// A host that does nothing in its callbacks but says it takes time info,
// as current hosts do.
struct EmptyHost {
  static void bufferSwitch(std::int32_t, asio::Bool) {}
  static void sampleRateDidChange(asio::SampleRate) {}
  static std::int32_t asioMessage(std::int32_t selector, std::int32_t value, void*, double*) {
    if (selector == asio::msg::kSelectorSupported) {
      return value == asio::msg::kSupportsTimeInfo || value == asio::msg::kEngineVersion ? 1 : 0;
    }
    if (selector == asio::msg::kSupportsTimeInfo) return 1;
    if (selector == asio::msg::kEngineVersion) return 2;
    return 0;
  }
  static asio::Time* bufferSwitchTimeInfo(asio::Time* time, std::int32_t, asio::Bool) { return time; }
};

// Stands in for the core when the fake's own cost is measured.
class IgnoringHandler final : public PeriodHandler {
 public:
  void processPeriod(const Period&) noexcept override {}
  void captureArrived(const CapturePacket&) noexcept override {}
  void deviceEvent(DeviceEvent) noexcept override {}
};

test::FakeDeviceConfig deviceConfig(const PeriodRigConfig& c) {
  test::FakeDeviceConfig d;
  d.outputChannels = c.outputs;
  d.inputChannels = c.inputs;
  d.renderFormat = c.deviceFormat;
  d.captureFormat = c.deviceFormat;
  d.recordRendered = false;  // keeps the fake's memory flat over millions of periods
  return d;
}

std::string driverError(DriverCore& core, const char* step) {
  char text[asio::kErrorMessageBytes] = {};
  core.getErrorMessage(text);
  return std::string(step) + " failed: " + text;
}

}  // namespace

struct PeriodRig::State {
  std::unique_ptr<DriverCore> core;
  test::FakeBackend* fake = nullptr;  // owned by `core`, or by `ownFake`
  std::unique_ptr<test::FakeBackend> ownFake;
  IgnoringHandler ignoring;
  asio::Callbacks callbacks{&EmptyHost::bufferSwitch, &EmptyHost::sampleRateDidChange, &EmptyHost::asioMessage,
                            &EmptyHost::bufferSwitchTimeInfo};
  std::vector<asio::BufferInfo> infos;
};

PeriodRig::PeriodRig(const PeriodRigConfig& config) : state_(std::make_unique<State>()) {
  State& s = *state_;
  if (!config.withCore) {
    s.ownFake = std::make_unique<test::FakeBackend>(deviceConfig(config));
    s.fake = s.ownFake.get();
    DeviceDescription description;
    StreamInfo info;
    const StreamRequest request{48000, config.frames, config.outputs > 0, config.inputs > 0};
    if (!s.fake->open(DriverSettings{}, &description).ok() || !s.fake->prepare(request, &info).ok() ||
        !s.fake->start(&s.ignoring).ok()) {
      throw std::runtime_error("the fake backend did not start");
    }
    return;
  }
  auto backend = std::make_unique<test::FakeBackend>(deviceConfig(config));
  s.fake = backend.get();
  DriverSettings settings;
  settings.hostSampleType = config.hostType;
  if (config.inputs > 0) settings.inputDevice = "default";
  s.core = std::make_unique<DriverCore>(std::move(backend), settings);
  if (s.core->init(nullptr) != asio::kTrue) throw std::runtime_error(driverError(*s.core, "init"));
  for (int c = 0; c < config.outputs; ++c) s.infos.push_back({asio::kFalse, c, {nullptr, nullptr}});
  for (int c = 0; c < config.inputs; ++c) s.infos.push_back({asio::kTrue, c, {nullptr, nullptr}});
  if (s.core->createBuffers(s.infos.data(), static_cast<std::int32_t>(s.infos.size()), config.frames, &s.callbacks) !=
      asio::err::kOk) {
    throw std::runtime_error(driverError(*s.core, "createBuffers"));
  }
  if (s.core->start() != asio::err::kOk) throw std::runtime_error(driverError(*s.core, "start"));
}

PeriodRig::~PeriodRig() {
  State& s = *state_;
  if (s.core) {
    s.core->stop();
    s.core->disposeBuffers();
    s.core.reset();
  } else {
    s.fake->stop();
    s.fake->unprepare();
    s.fake->close();
  }
}

void PeriodRig::run(int periods) { state_->fake->tick(periods); }

}  // namespace a2w::bench
