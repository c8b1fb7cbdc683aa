// The host side of the ASIO callbacks. ASIO callbacks are plain C function
// pointers without a user pointer, so the state lives in one global session:
// asiohost drives one driver at a time, and a CallbackSession installs itself
// for its lifetime (constructing a second one while the first lives is a bug).
//
// The callbacks run on the driver's thread. They fill the output buffers with
// the test signal, count switches, time the intervals with
// QueryPerformanceCounter, check sample positions, answer asioMessage and
// signal stopEvent() when the driver asks for a reset. kResyncRequest,
// kLatenciesChanged and kOverload are noted with the host's frame position
// at the message (PositionLog: no allocation, no lock), so that a loopback
// run can tell the breaks the driver explained from those it did not.
#pragma once

#include <windows.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "asio/iasio.h"
#include "common/position_log.h"

namespace a2w::host {

enum class Signal { Sequence, Sine };

struct OutputBuffer {
  std::int32_t channel = 0;  // ASIO output channel number: the test signal's channel
  asio::SampleType type = asio::SampleType::Float32LSB;
  void* halves[2] = {nullptr, nullptr};
};

// An input the callbacks record: every frame the driver hands over, from the
// first bufferSwitch on, as floats (full scale +-1.0), into storage allocated
// before start (the callbacks never allocate).
struct InputBuffer {
  std::int32_t channel = 0;  // ASIO input channel number
  asio::SampleType type = asio::SampleType::Float32LSB;
  void* halves[2] = {nullptr, nullptr};
};

struct IntervalStats {
  std::uint64_t count = 0;
  double meanUs = 0, minUs = 0, maxUs = 0, stddevUs = 0;
};

struct SessionStats {
  std::uint64_t bufferSwitches = 0;          // both kinds of switch
  std::uint64_t timeInfoSwitches = 0;        // of which bufferSwitchTimeInfo
  IntervalStats interval;
  int resetRequests = 0, overloads = 0, resyncRequests = 0, latencyChanges = 0, bufferSizeChanges = 0;
  int sampleRateChanges = 0;
  bool outputReadyUsed = false;              // outputReady() answered ASE_OK
  bool samplePositionOk = true;
  bool samplePositionSeen = false;
  std::uint64_t firstSamplePosition = 0, lastSamplePosition = 0;
  // The host's frame position at each message: the frames it had processed
  // (buffer switches so far times the buffer size), i.e. the first frame of
  // the next buffer; for a message sent during a bufferSwitch, of the buffer
  // after it. At most kMaxMessagePositions of each kind; the rest counted.
  std::vector<std::uint64_t> resyncPositions, latencyChangePositions, overloadPositions;
  std::uint64_t positionsDropped = 0;
  std::vector<std::string> errors;           // misbehaviour seen in callbacks (first few)
};

// Room for the message positions, reserved before start: 4096 of each kind
// is 40 a minute for 100 minutes; a driver that sends more is broken anyway.
constexpr std::size_t kMaxMessagePositions = 4096;

class CallbackSession {
 public:
  // answerTimeInfo: say yes to kSupportsTimeInfo (the driver then calls
  // bufferSwitchTimeInfo). The driver pointer is used for getSamplePosition
  // and outputReady from the callbacks.
  CallbackSession(asio::IAsio* driver, bool answerTimeInfo);
  CallbackSession(const CallbackSession&) = delete;
  CallbackSession& operator=(const CallbackSession&) = delete;
  ~CallbackSession();

  asio::Callbacks* callbacks() { return &callbacks_; }

  // Arms the callbacks to write `outputs` (the buffers createBuffers returned)
  // with `signal` for `signalFrames` frames, then silence for `tailFrames`
  // more, so that everything played has left the device before the host
  // stops (ASIO's stop is immediate: what is still queued is never heard).
  // Call before start(). Until then switches are counted only.
  void arm(std::vector<OutputBuffer> outputs, std::int32_t bufferFrames, double sampleRate, Signal signal,
           std::uint64_t signalFrames, std::uint64_t tailFrames);

  // Arms the callbacks to also record `inputs` (read in the same
  // bufferSwitch that writes the outputs), at most capacityFrames frames
  // each. Call before arm(). Allocates.
  void recordInputs(std::vector<InputBuffer> inputs, std::size_t capacityFrames);
  // What input `i` (in recordInputs order) recorded; valid after stop().
  const std::vector<float>& recorded(std::size_t i) const { return recordings_[i]; }
  std::size_t recordedFrames() const;

  // Signalled when the driver sends kResetRequest or kBufferSizeChange.
  HANDLE stopEvent() const { return stopEvent_; }
  // Signalled once the signal and its silent tail have been handed over.
  HANDLE doneEvent() const { return doneEvent_; }
  // kLatenciesChanged messages so far (any thread, exact while running).
  std::uint64_t latencyChangesSeen() const { return latencyLog_.count(); }
  // Signal frames written so far (at most signalFrames).
  std::uint64_t signalFramesWritten() const;

  // Waits for doneEvent() or stopEvent(), pumping window messages meanwhile
  // (the main thread is an STA and some drivers post to it), for at most
  // `boundSeconds`: the bound only catches a driver that stopped calling back.
  // onLatenciesChanged, when given, runs on this (the main) thread after
  // kLatenciesChanged came, once or more: where a host asks getLatencies
  // again (never from the callback).
  enum class WaitEnd { Done, StopRequested, TimedOut, Failed };
  WaitEnd waitUntilDone(double boundSeconds, const std::function<void()>& onLatenciesChanged = {}) const;

  // Consistent after the driver's stop() returned.
  SessionStats stats() const;

  // The callbacks (static: they are C function pointers).
  static void onBufferSwitch(std::int32_t index, asio::Bool directProcess);
  static asio::Time* onBufferSwitchTimeInfo(asio::Time* params, std::int32_t index, asio::Bool directProcess);
  static void onSampleRateDidChange(asio::SampleRate rate);
  static std::int32_t onAsioMessage(std::int32_t selector, std::int32_t value, void* message, double* opt);

 private:
  void process(const asio::Time* params, std::int32_t index);
  void fill(std::int32_t index, std::uint64_t firstFrame);
  void capture(std::int32_t index, std::uint64_t firstFrame);
  void checkPosition(const asio::Time* params, std::uint64_t switchNumber);
  void addError(std::string text);  // under mutex_
  std::int32_t message(std::int32_t selector, std::int32_t value);

  asio::IAsio* driver_;
  bool answerTimeInfo_;
  asio::Callbacks callbacks_{};
  HANDLE stopEvent_ = nullptr;
  HANDLE doneEvent_ = nullptr;
  HANDLE latencyEvent_ = nullptr;  // auto-reset: set by each kLatenciesChanged

  // Written by the callbacks without the mutex (a message may come from
  // inside a driver call the host makes in bufferSwitch, with the mutex held).
  std::atomic<std::uint64_t> framesProcessed_{0};  // switches so far * buffer size
  PositionLog resyncLog_, latencyLog_, overloadLog_;

  // Set up by arm() before start; read by the callbacks after `armed_`.
  std::vector<OutputBuffer> outputs_;
  std::int32_t bufferFrames_ = 0;
  double sampleRate_ = 48000;
  Signal signal_ = Signal::Sequence;
  std::uint64_t signalFrames_ = 0;
  std::uint64_t tailFrames_ = 0;
  std::atomic<bool> armed_{false};
  std::vector<InputBuffer> inputs_;
  std::vector<std::vector<float>> recordings_;  // sized up front; recordedFrames_ of them are valid
  std::size_t recordedFrames_ = 0;

  // Callback-thread state. The mutex is uncontended while playing (main only
  // reads after stop) and protects against drivers that call on after stop.
  mutable std::mutex mutex_;
  SessionStats stats_;
  LARGE_INTEGER frequency_{};
  LONGLONG lastSwitchTicks_ = 0;
  std::uint64_t firstPositionSwitch_ = 0;
  double intervalM2_ = 0;  // Welford's running sum of squared deviations
  enum class OutputReady { Unknown, Yes, No } outputReady_ = OutputReady::Unknown;
};

}  // namespace a2w::host
