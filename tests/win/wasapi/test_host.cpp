#include "test_host.h"

#include <string>

namespace a2w::testing {
namespace {
std::atomic<TestHost*> gCurrent{nullptr};
}  // namespace

TestHost::TestHost()
    : previous_(gCurrent.load()),
      resetEvent_(CreateEventW(nullptr, TRUE, FALSE, nullptr)),
      switchesEvent_(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {
  gCurrent = this;
}

TestHost::~TestHost() { gCurrent = previous_; }

asio::Callbacks TestHost::callbacks() const {
  asio::Callbacks cb{};
  cb.bufferSwitch = &onBufferSwitch;
  cb.sampleRateDidChange = &onSampleRateDidChange;
  cb.asioMessage = &onAsioMessage;
  cb.bufferSwitchTimeInfo = &onBufferSwitchTimeInfo;
  return cb;
}

bool TestHost::initAndCreate(DriverCore& core, int outputs, int inputs, std::int32_t frames, std::string* error) {
  if (core.init(nullptr) != asio::kTrue) {
    *error = "init: " + errorText(core);
    return false;
  }
  if (frames <= 0) {  // the driver's preferred size
    std::int32_t minimum = 0, maximum = 0, granularity = 0;
    if (core.getBufferSize(&minimum, &maximum, &frames, &granularity) != asio::err::kOk) {
      *error = "getBufferSize: " + errorText(core);
      return false;
    }
  }
  infos_.clear();
  for (int c = 0; c < outputs; ++c) infos_.push_back({asio::kFalse, c, {nullptr, nullptr}});
  for (int c = 0; c < inputs; ++c) infos_.push_back({asio::kTrue, c, {nullptr, nullptr}});
  asio::Callbacks cb = callbacks();
  const asio::Error e = core.createBuffers(infos_.data(), static_cast<std::int32_t>(infos_.size()), frames, &cb);
  if (e != asio::err::kOk) {
    *error = "createBuffers: " + errorText(core);
    return false;
  }
  return true;
}

bool TestHost::initCreateAndStart(DriverCore& core, int outputs, int inputs, std::int32_t frames,
                                  std::string* error) {
  if (!initAndCreate(core, outputs, inputs, frames, error)) return false;
  if (core.start() != asio::err::kOk) {
    *error = "start: " + errorText(core);
    return false;
  }
  return true;
}

void TestHost::expectSwitches(std::uint64_t more) {
  ResetEvent(switchesEvent_.get());
  switchTarget_ = switches_.load() + more;
}

void TestHost::clearReset() { ResetEvent(resetEvent_.get()); }

void TestHost::switched(std::int32_t index) {
  // Output: a quiet ramp, so the device gets something that is not silence.
  for (const asio::BufferInfo& b : infos_) {
    if (b.isInput || index < 0 || index > 1 || b.buffers[index] == nullptr) continue;
    static_cast<float*>(b.buffers[index])[0] = 0.25f;
  }
  if (onSwitch) onSwitch(index);
  const std::uint64_t n = switches_.fetch_add(1) + 1;
  const std::uint64_t target = switchTarget_.load();
  if (target != 0 && n >= target) SetEvent(switchesEvent_.get());
}

void TestHost::onBufferSwitch(std::int32_t index, asio::Bool) {
  if (TestHost* h = gCurrent.load()) h->switched(index);
}

asio::Time* TestHost::onBufferSwitchTimeInfo(asio::Time* time, std::int32_t index, asio::Bool) {
  if (TestHost* h = gCurrent.load()) h->switched(index);
  return time;
}

void TestHost::onSampleRateDidChange(asio::SampleRate) {}

std::int32_t TestHost::onAsioMessage(std::int32_t selector, std::int32_t value, void*, double*) {
  TestHost* h = gCurrent.load();
  if (h == nullptr) return 0;
  switch (selector) {
    case asio::msg::kSelectorSupported:
      switch (value) {
        case asio::msg::kResetRequest: return h->supportsReset ? 1 : 0;
        case asio::msg::kOverload: return h->supportsOverload ? 1 : 0;
        case asio::msg::kSupportsTimeInfo:
        case asio::msg::kEngineVersion:
        case asio::msg::kLatenciesChanged: return 1;
        default: return 0;
      }
    case asio::msg::kSupportsTimeInfo: return 1;
    case asio::msg::kEngineVersion: return 2;
    case asio::msg::kResetRequest:
      h->resetRequests_.fetch_add(1);
      if (h->onResetRequest) h->onResetRequest();
      SetEvent(h->resetEvent_.get());
      return 1;
    case asio::msg::kOverload: h->overloads_.fetch_add(1); return 1;
    default: return 0;
  }
}

std::string errorText(const DriverCore& core) {
  char text[asio::kErrorMessageBytes + 1] = {};
  core.getErrorMessage(text);
  return text;
}

}  // namespace a2w::testing
