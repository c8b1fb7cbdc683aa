#include "support/recording_host.h"

#include <algorithm>
#include <cstring>

#include "support/sample_patterns.h"

namespace a2w::test {

namespace {
RecordingHost* gCurrent = nullptr;  // see the header: the trampolines' only way in
constexpr std::uint32_t kOutputSeed = 7;
}  // namespace

RecordingHost::RecordingHost() : previous_(gCurrent) { gCurrent = this; }
RecordingHost::~RecordingHost() { gCurrent = previous_; }

asio::Callbacks RecordingHost::callbacks() const {
  asio::Callbacks cb{};
  cb.bufferSwitch = &onBufferSwitch;
  cb.sampleRateDidChange = &onSampleRateDidChange;
  cb.asioMessage = provideAsioMessage ? &onAsioMessage : nullptr;
  cb.bufferSwitchTimeInfo = provideTimeInfoCallback ? &onBufferSwitchTimeInfo : nullptr;
  return cb;
}

void RecordingHost::attach(const asio::BufferInfo* infos, int count, asio::SampleType type, std::int32_t frames) {
  buffers_.assign(infos, infos + count);
  type_ = type;
  frames_ = frames;
  framesWritten_ = 0;
}

std::int32_t RecordingHost::outputValue(int channel, std::uint64_t frame) {
  return patternValue(kOutputSeed, channel, frame);
}

int RecordingHost::count(std::int32_t messageSelector) const {
  return static_cast<int>(std::count(messagesSent.begin(), messagesSent.end(), messageSelector));
}

void RecordingHost::process(std::int32_t index) {
  if (!record) {
    if (onSwitch) onSwitch(index);
    return;
  }
  std::byte sample[8];
  const int bytes = writeHostSample(type_, 0, sample);
  for (const asio::BufferInfo& b : buffers_) {
    if (index != 0 && index != 1) break;  // a wrong index is recorded, never followed
    auto* half = static_cast<std::byte*>(b.buffers[index]);
    if (half == nullptr) continue;
    const std::size_t halfBytes = static_cast<std::size_t>(frames_) * static_cast<std::size_t>(bytes);
    if (b.isInput) {
      std::vector<std::byte>& received = inputReceived[b.channelNum];
      received.insert(received.end(), half, half + halfBytes);
    } else {
      for (std::int32_t f = 0; f < frames_; ++f) {
        writeHostSample(type_, outputValue(b.channelNum, framesWritten_ + static_cast<std::uint64_t>(f)),
                        half + static_cast<std::size_t>(f) * static_cast<std::size_t>(bytes));
      }
    }
  }
  framesWritten_ += static_cast<std::uint64_t>(frames_);
  if (onSwitch) onSwitch(index);
}

void RecordingHost::onBufferSwitch(std::int32_t index, asio::Bool direct) {
  if (gCurrent == nullptr) return;
  if (gCurrent->record) gCurrent->switches.push_back({index, direct, false, {}});
  gCurrent->process(index);
}

void RecordingHost::onSampleRateDidChange(asio::SampleRate) {}

asio::Time* RecordingHost::onBufferSwitchTimeInfo(asio::Time* time, std::int32_t index, asio::Bool direct) {
  if (gCurrent == nullptr) return time;
  Switch s{index, direct, true, {}};
  if (time != nullptr) std::memcpy(&s.time, time, sizeof(asio::Time));
  if (gCurrent->record) gCurrent->switches.push_back(s);
  gCurrent->process(index);
  return time;
}

std::int32_t RecordingHost::onAsioMessage(std::int32_t selector, std::int32_t value, void*, double*) {
  if (gCurrent == nullptr) return 0;
  return gCurrent->answer(selector, value);
}

std::int32_t RecordingHost::answer(std::int32_t selector, std::int32_t value) {
  if (selector == asio::msg::kSelectorSupported) {
    selectorsAsked.push_back(value);
    switch (value) {
      case asio::msg::kResetRequest: return supportsResetRequest ? 1 : 0;
      case asio::msg::kSupportsTimeInfo: return supportsTimeInfo ? 1 : 0;
      case asio::msg::kOverload: return supportsOverload ? 1 : 0;
      case asio::msg::kResyncRequest: return supportsResync ? 1 : 0;
      case asio::msg::kEngineVersion:
      case asio::msg::kLatenciesChanged: return 1;
      default: return 0;
    }
  }
  messagesSent.push_back(selector);
  switch (selector) {
    case asio::msg::kSupportsTimeInfo: return supportsTimeInfo ? 1 : 0;
    case asio::msg::kEngineVersion: return engineVersion;
    case asio::msg::kResetRequest: return supportsResetRequest ? 1 : 0;
    default: return 0;
  }
}

}  // namespace a2w::test
