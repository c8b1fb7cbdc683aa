// A pretend ASIO host for the native tests: real C function pointers in
// asio::Callbacks (static trampolines that forward to the current
// RecordingHost), which record every call and answer as the test chose.
// During each buffer switch it writes a known pattern into the output
// halves and keeps a copy of the input halves.
//
// One RecordingHost is "current" at a time (the newest alive one): the
// trampolines are plain functions and have no other way to find it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "asio/asio_abi.h"

namespace a2w::test {

class RecordingHost {
 public:
  RecordingHost();
  ~RecordingHost();
  RecordingHost(const RecordingHost&) = delete;
  RecordingHost& operator=(const RecordingHost&) = delete;

  // --- Answers (set before createBuffers).
  bool supportsTimeInfo = true;       // kSelectorSupported(kSupportsTimeInfo) and kSupportsTimeInfo answer 1
  bool supportsResetRequest = true;   // kSelectorSupported(kResetRequest) answers 1
  bool supportsOverload = true;       // kSelectorSupported(kOverload) answers 1
  bool supportsResync = true;         // kSelectorSupported(kResyncRequest) answers 1
  bool provideTimeInfoCallback = true;  // callbacks().bufferSwitchTimeInfo is set
  bool provideAsioMessage = true;       // callbacks().asioMessage is set
  std::int32_t engineVersion = 2;
  // false: switches, inputs and outputs are not recorded (only onSwitch
  // runs), for runs of millions of periods.
  bool record = true;

  // The callbacks to pass to createBuffers.
  asio::Callbacks callbacks() const;

  // Which buffers the switches work on: what createBuffers filled in.
  void attach(const asio::BufferInfo* infos, int count, asio::SampleType type, std::int32_t frames);
  // What the host writes into output channel `channel` at `frame` (frames since its first switch).
  static std::int32_t outputValue(int channel, std::uint64_t frame);

  // Called at the end of each switch (after the host's own work), e.g. to
  // call back into the driver as real hosts do.
  std::function<void(std::int32_t index)> onSwitch;

  // --- What happened.
  struct Switch {
    std::int32_t index = -1;
    asio::Bool directProcess = asio::kFalse;
    bool timeInfo = false;  // came through bufferSwitchTimeInfo
    asio::Time time{};      // what bufferSwitchTimeInfo received (zero otherwise)
  };
  std::vector<Switch> switches;
  std::vector<std::int32_t> selectorsAsked;  // values of kSelectorSupported queries
  std::vector<std::int32_t> messagesSent;    // every other selector, in order
  int count(std::int32_t messageSelector) const;
  // Per input channel: the samples read from the switch's input half, all switches concatenated.
  std::map<int, std::vector<std::byte>> inputReceived;

 private:
  static void onBufferSwitch(std::int32_t index, asio::Bool direct);
  static void onSampleRateDidChange(asio::SampleRate rate);
  static std::int32_t onAsioMessage(std::int32_t selector, std::int32_t value, void* message, double* opt);
  static asio::Time* onBufferSwitchTimeInfo(asio::Time* time, std::int32_t index, asio::Bool direct);

  void process(std::int32_t index);
  std::int32_t answer(std::int32_t selector, std::int32_t value);

  RecordingHost* previous_ = nullptr;
  std::vector<asio::BufferInfo> buffers_;
  asio::SampleType type_ = asio::SampleType::Float32LSB;
  std::int32_t frames_ = 0;
  std::uint64_t framesWritten_ = 0;
};

}  // namespace a2w::test
