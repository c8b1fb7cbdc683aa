// A host for the race tests: its callbacks run on the backend's threads
// (periods on the audio thread, kResetRequest on the notifier's or the
// watcher's), so everything it records is atomic. Inside bufferSwitch it
// calls back into the driver as real hosts do (getSamplePosition,
// outputReady). A reset request is only noted: the test's host thread acts
// on it, as hosts do (never inside the message).
#pragma once

#include <atomic>
#include <cstdint>

#include "asio/asio_abi.h"
#include "core/driver_core.h"

namespace a2w::tsan {

class ThreadedHost {
 public:
  explicit ThreadedHost(DriverCore& core);  // one at a time: the callbacks find it through a global
  ~ThreadedHost();
  ThreadedHost(const ThreadedHost&) = delete;
  ThreadedHost& operator=(const ThreadedHost&) = delete;

  asio::Callbacks callbacks() const;

  // Set by the test: true from before start() until stop() returned.
  std::atomic<bool> running{false};

  std::atomic<std::uint64_t> switches{0};
  std::atomic<std::uint64_t> lateSwitches{0};    // a bufferSwitch after stop() returned
  std::atomic<std::uint64_t> badCalls{0};        // a call from inside bufferSwitch that failed
  std::atomic<std::uint64_t> resetRequests{0};
  std::atomic<bool> resetPending{false};         // cleared by the test when it resets

 private:
  static void bufferSwitch(std::int32_t index, asio::Bool direct);
  static asio::Time* bufferSwitchTimeInfo(asio::Time* time, std::int32_t index, asio::Bool direct);
  static void sampleRateDidChange(asio::SampleRate);
  static std::int32_t asioMessage(std::int32_t selector, std::int32_t value, void*, double*);
  void onSwitch(std::int32_t index);

  DriverCore& core_;
};

}  // namespace a2w::tsan
