#include "host_callbacks.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "common/sample_writer.h"
#include "common/test_signal.h"

namespace a2w::host {
namespace {

// The one live session: callbacks carry no user pointer.
std::atomic<CallbackSession*> g_session{nullptr};

constexpr std::size_t kMaxErrors = 8;  // keep the report readable when a driver misbehaves every period
const double kSineAmplitude = std::pow(10.0, -12.0 / 20.0);  // -12 dBFS
constexpr double kSineHz = 1000.0;

}  // namespace

CallbackSession::CallbackSession(asio::IAsio* driver, bool answerTimeInfo)
    : driver_(driver), answerTimeInfo_(answerTimeInfo) {
  callbacks_.bufferSwitch = &CallbackSession::onBufferSwitch;
  callbacks_.sampleRateDidChange = &CallbackSession::onSampleRateDidChange;
  callbacks_.asioMessage = &CallbackSession::onAsioMessage;
  callbacks_.bufferSwitchTimeInfo = &CallbackSession::onBufferSwitchTimeInfo;
  stopEvent_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);  // manual reset: stays set once asked
  doneEvent_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  latencyEvent_ = CreateEventW(nullptr, FALSE, FALSE, nullptr);
  for (PositionLog* log : {&resyncLog_, &latencyLog_, &overloadLog_}) log->reserve(kMaxMessagePositions);
  QueryPerformanceFrequency(&frequency_);
  g_session.store(this);
}

CallbackSession::~CallbackSession() {
  g_session.store(nullptr);
  if (stopEvent_) CloseHandle(stopEvent_);
  if (doneEvent_) CloseHandle(doneEvent_);
  if (latencyEvent_) CloseHandle(latencyEvent_);
}

void CallbackSession::arm(std::vector<OutputBuffer> outputs, std::int32_t bufferFrames, double sampleRate,
                          Signal signal, std::uint64_t signalFrames, std::uint64_t tailFrames) {
  outputs_ = std::move(outputs);
  bufferFrames_ = bufferFrames;
  sampleRate_ = sampleRate > 0 ? sampleRate : 48000;
  signal_ = signal;
  signalFrames_ = signalFrames;
  tailFrames_ = tailFrames;
  armed_.store(true, std::memory_order_release);
}

void CallbackSession::recordInputs(std::vector<InputBuffer> inputs, std::size_t capacityFrames) {
  inputs_ = std::move(inputs);
  recordings_.assign(inputs_.size(), std::vector<float>(capacityFrames, 0.0f));
  recordedFrames_ = 0;
}

std::size_t CallbackSession::recordedFrames() const {
  std::lock_guard lock(mutex_);
  return recordedFrames_;
}

CallbackSession::WaitEnd CallbackSession::waitUntilDone(double boundSeconds,
                                                        const std::function<void()>& onLatenciesChanged) const {
  const HANDLE events[3] = {stopEvent_, doneEvent_, latencyEvent_};
  const DWORD count = onLatenciesChanged ? 3 : 2;
  const ULONGLONG deadline = GetTickCount64() + static_cast<ULONGLONG>(boundSeconds * 1000.0);
  for (;;) {
    const ULONGLONG now = GetTickCount64();
    if (now >= deadline) return WaitEnd::TimedOut;
    const DWORD wait = MsgWaitForMultipleObjects(count, events, FALSE, static_cast<DWORD>(deadline - now), QS_ALLINPUT);
    if (wait == WAIT_OBJECT_0) return WaitEnd::StopRequested;
    if (wait == WAIT_OBJECT_0 + 1) return WaitEnd::Done;
    if (count == 3 && wait == WAIT_OBJECT_0 + 2) {
      onLatenciesChanged();
      continue;
    }
    if (wait == WAIT_OBJECT_0 + count) {
      MSG m;
      while (PeekMessageW(&m, nullptr, 0, 0, PM_REMOVE)) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
      }
      continue;
    }
    if (wait == WAIT_TIMEOUT) continue;  // the deadline check reports it
    return WaitEnd::Failed;
  }
}

std::uint64_t CallbackSession::signalFramesWritten() const {
  std::lock_guard lock(mutex_);
  const std::uint64_t handed = stats_.bufferSwitches * static_cast<std::uint64_t>(bufferFrames_ > 0 ? bufferFrames_ : 0);
  return std::min(handed, signalFrames_);
}

SessionStats CallbackSession::stats() const {
  std::lock_guard lock(mutex_);
  SessionStats s = stats_;
  if (s.interval.count > 1) s.interval.stddevUs = std::sqrt(intervalM2_ / static_cast<double>(s.interval.count - 1));
  s.outputReadyUsed = outputReady_ == OutputReady::Yes;
  s.resyncRequests = static_cast<int>(resyncLog_.count());
  s.latencyChanges = static_cast<int>(latencyLog_.count());
  s.overloads = static_cast<int>(overloadLog_.count());
  s.resyncPositions = resyncLog_.positions();
  s.latencyChangePositions = latencyLog_.positions();
  s.overloadPositions = overloadLog_.positions();
  s.positionsDropped = resyncLog_.dropped() + latencyLog_.dropped() + overloadLog_.dropped();
  return s;
}

void CallbackSession::addError(std::string text) {
  if (stats_.errors.size() < kMaxErrors) stats_.errors.push_back(std::move(text));
}

void CallbackSession::onBufferSwitch(std::int32_t index, asio::Bool) {
  if (CallbackSession* s = g_session.load()) s->process(nullptr, index);
}

asio::Time* CallbackSession::onBufferSwitchTimeInfo(asio::Time* params, std::int32_t index, asio::Bool) {
  if (CallbackSession* s = g_session.load()) s->process(params, index);
  return params;
}

void CallbackSession::onSampleRateDidChange(asio::SampleRate) {
  if (CallbackSession* s = g_session.load()) {
    std::lock_guard lock(s->mutex_);
    ++s->stats_.sampleRateChanges;
  }
}

std::int32_t CallbackSession::onAsioMessage(std::int32_t selector, std::int32_t value, void*, double*) {
  CallbackSession* s = g_session.load();
  return s ? s->message(selector, value) : 0;
}

std::int32_t CallbackSession::message(std::int32_t selector, std::int32_t value) {
  namespace msg = asio::msg;
  switch (selector) {
    case msg::kSelectorSupported:
      switch (value) {
        case msg::kResetRequest:
        case msg::kResyncRequest:
        case msg::kLatenciesChanged:
        case msg::kEngineVersion:
        case msg::kOverload:
        case msg::kBufferSizeChange: return 1;
        case msg::kSupportsTimeInfo: return answerTimeInfo_ ? 1 : 0;
        default: return 0;
      }
    case msg::kEngineVersion: return 2;
    case msg::kSupportsTimeInfo: return answerTimeInfo_ ? 1 : 0;
    case msg::kResetRequest: {
      // Never re-create from inside the callback: note it, let main stop.
      std::lock_guard lock(mutex_);
      ++stats_.resetRequests;
      SetEvent(stopEvent_);
      return 1;
    }
    case msg::kBufferSizeChange: {
      // We cannot resize mid-run; stopping early tells the user the driver wanted it.
      std::lock_guard lock(mutex_);
      ++stats_.bufferSizeChanges;
      SetEvent(stopEvent_);
      return 1;
    }
    // No mutex for these three: they may come from inside outputReady or
    // getSamplePosition, which process() calls with the mutex held.
    case msg::kResyncRequest:
      resyncLog_.record(framesProcessed_.load(std::memory_order_relaxed));
      return 1;
    case msg::kLatenciesChanged:
      latencyLog_.record(framesProcessed_.load(std::memory_order_relaxed));
      SetEvent(latencyEvent_);  // main asks getLatencies again
      return 1;
    case msg::kOverload:
      overloadLog_.record(framesProcessed_.load(std::memory_order_relaxed));
      return 1;
    default: return 0;
  }
}

void CallbackSession::process(const asio::Time* params, std::int32_t index) {
  LARGE_INTEGER now;
  QueryPerformanceCounter(&now);
  std::lock_guard lock(mutex_);

  // Interval statistics (Welford), in microseconds.
  if (lastSwitchTicks_ != 0 && frequency_.QuadPart > 0) {
    const double us = static_cast<double>(now.QuadPart - lastSwitchTicks_) * 1e6 / static_cast<double>(frequency_.QuadPart);
    IntervalStats& iv = stats_.interval;
    ++iv.count;
    if (iv.count == 1) {
      iv.minUs = iv.maxUs = us;
    } else {
      iv.minUs = std::min(iv.minUs, us);
      iv.maxUs = std::max(iv.maxUs, us);
    }
    const double delta = us - iv.meanUs;
    iv.meanUs += delta / static_cast<double>(iv.count);
    intervalM2_ += delta * (us - iv.meanUs);
  }
  lastSwitchTicks_ = now.QuadPart;

  const std::uint64_t switchNumber = stats_.bufferSwitches++;  // frames count from 0 at the first switch
  // From here on this buffer counts as processed: a message sent during
  // this switch, or before the next, is at the next buffer's first frame.
  framesProcessed_.store(stats_.bufferSwitches * static_cast<std::uint64_t>(std::max(bufferFrames_, 0)),
                         std::memory_order_relaxed);
  if (params) ++stats_.timeInfoSwitches;

  if (!armed_.load(std::memory_order_acquire)) return;  // probe, or a switch before start: count only
  if (index != 0 && index != 1) {
    addError("bufferSwitch with double-buffer index " + std::to_string(index) + " (must be 0 or 1)");
    return;
  }
  checkPosition(params, switchNumber);
  const std::uint64_t firstFrame = switchNumber * static_cast<std::uint64_t>(bufferFrames_);
  capture(index, firstFrame);  // the inputs of this switch, before the outputs are written
  fill(index, firstFrame);
  if (firstFrame + static_cast<std::uint64_t>(bufferFrames_) >= signalFrames_ + tailFrames_) SetEvent(doneEvent_);

  if (outputReady_ != OutputReady::No) {
    // outputReady() tells a driver the outputs are complete; it answers
    // ASE_OK only when it makes use of it. Once ASE_OK, keep calling.
    outputReady_ = driver_->outputReady() == asio::err::kOk ? OutputReady::Yes : OutputReady::No;
  }
}

void CallbackSession::fill(std::int32_t index, std::uint64_t firstFrame) {
  const auto frames = static_cast<std::size_t>(bufferFrames_);
  for (const OutputBuffer& out : outputs_) {
    void* buffer = out.halves[index];
    const auto channel = static_cast<std::uint32_t>(out.channel);
    for (std::size_t i = 0; i < frames; ++i) {
      const std::uint64_t frame = firstFrame + i;
      double value;
      if (frame >= signalFrames_) {
        value = 0.0;  // the silent tail
      } else if (signal_ == Signal::Sequence) {
        value = a2w::signal::sample(frame, channel);
      } else {
        // Phase from the frame number modulo one second keeps it exact over long runs.
        const double t = static_cast<double>(frame % static_cast<std::uint64_t>(sampleRate_)) / sampleRate_;
        value = kSineAmplitude * std::sin(2.0 * std::numbers::pi * kSineHz * t);
      }
      writeSample(buffer, i, out.type, value);
    }
  }
}

void CallbackSession::capture(std::int32_t index, std::uint64_t firstFrame) {
  if (inputs_.empty()) return;
  const std::size_t capacity = recordings_.front().size();
  if (firstFrame >= capacity) return;
  const std::size_t frames = std::min<std::size_t>(static_cast<std::size_t>(bufferFrames_), capacity - static_cast<std::size_t>(firstFrame));
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    const InputBuffer& in = inputs_[k];
    float* dest = recordings_[k].data() + firstFrame;
    for (std::size_t i = 0; i < frames; ++i) dest[i] = static_cast<float>(readSample(in.halves[index], i, in.type));
  }
  recordedFrames_ = static_cast<std::size_t>(firstFrame) + frames;
}

void CallbackSession::checkPosition(const asio::Time* params, std::uint64_t switchNumber) {
  std::uint64_t position = 0;
  if (params && (params->timeInfo.flags & asio::timeinfo::kSamplePositionValid)) {
    position = asio::fromSplit64(params->timeInfo.samplePosition);
    // With time info the positions must go first, first+B, first+2B, ...
    if (stats_.samplePositionSeen) {
      const std::uint64_t expected =
          stats_.firstSamplePosition + (switchNumber - firstPositionSwitch_) * static_cast<std::uint64_t>(bufferFrames_);
      if (position != expected && stats_.samplePositionOk) {
        stats_.samplePositionOk = false;
        addError("time info sample position " + std::to_string(position) + " at switch " +
                 std::to_string(switchNumber) + ", expected " + std::to_string(expected));
      }
    }
  } else {
    asio::Samples samples{};
    asio::TimeStamp stamp{};
    const asio::Error rc = driver_->getSamplePosition(&samples, &stamp);
    if (rc != asio::err::kOk) {
      if (stats_.samplePositionOk) addError("getSamplePosition failed in bufferSwitch: error " + std::to_string(rc));
      stats_.samplePositionOk = false;
      return;
    }
    position = asio::fromSplit64(samples);
    // Without time info, only ask that it never goes back.
    if (stats_.samplePositionSeen && position < stats_.lastSamplePosition && stats_.samplePositionOk) {
      stats_.samplePositionOk = false;
      addError("getSamplePosition went back from " + std::to_string(stats_.lastSamplePosition) + " to " +
               std::to_string(position));
    }
  }
  if (!stats_.samplePositionSeen) {
    stats_.samplePositionSeen = true;
    stats_.firstSamplePosition = position;
    firstPositionSwitch_ = switchNumber;
  }
  stats_.lastSamplePosition = position;
}

}  // namespace a2w::host
