// A minimal, thread-safe ASIO host for the tests that run DriverCore over
// the WASAPI backend on the fake Core Audio: its callbacks come on the
// backend's threads (bufferSwitch on the audio thread, kResetRequest on the
// notifier thread), so everything it records is atomic, and tests wait on
// Win32 events with timeouts, never sleep.
//
// One TestHost is current at a time (the callbacks are plain functions).
#pragma once

#include <windows.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "asio/asio_abi.h"
#include "core/driver_core.h"
#include "wasapi/unique_handle.h"

namespace a2w::testing {

class TestHost {
 public:
  TestHost();
  ~TestHost();
  TestHost(const TestHost&) = delete;
  TestHost& operator=(const TestHost&) = delete;

  // --- answers (before createBuffers)
  bool supportsReset = true;
  bool supportsOverload = true;
  // Run inside the calls (set before the stream starts).
  std::function<void(std::int32_t index)> onSwitch;  // the audio thread
  std::function<void()> onResetRequest;              // the backend's notifier thread

  asio::Callbacks callbacks() const;

  // The usual host steps on `core`: init, createBuffers for `outputs` and
  // `inputs` channels of `frames` (0: the preferred size), start. Fill in
  // `error` on failure.
  bool initAndCreate(DriverCore& core, int outputs, int inputs, std::int32_t frames, std::string* error);
  bool initCreateAndStart(DriverCore& core, int outputs, int inputs, std::int32_t frames, std::string* error);

  std::uint64_t switches() const { return switches_.load(); }
  std::uint64_t resetRequests() const { return resetRequests_.load(); }
  std::uint64_t overloads() const { return overloads_.load(); }
  // Signalled (manual reset) at the first kResetRequest / once `count`
  // switches ran (expectSwitches arms it relative to now).
  HANDLE resetRequested() const { return resetEvent_.get(); }
  void expectSwitches(std::uint64_t more);
  HANDLE switchesReached() const { return switchesEvent_.get(); }
  void clearReset();

 private:
  static void onBufferSwitch(std::int32_t index, asio::Bool direct);
  static asio::Time* onBufferSwitchTimeInfo(asio::Time* time, std::int32_t index, asio::Bool direct);
  static void onSampleRateDidChange(asio::SampleRate rate);
  static std::int32_t onAsioMessage(std::int32_t selector, std::int32_t value, void* message, double* opt);
  void switched(std::int32_t index);

  TestHost* previous_ = nullptr;
  std::vector<asio::BufferInfo> infos_;
  std::atomic<std::uint64_t> switches_{0};
  std::atomic<std::uint64_t> switchTarget_{0};
  std::atomic<std::uint64_t> resetRequests_{0};
  std::atomic<std::uint64_t> overloads_{0};
  wasapi::UniqueHandle resetEvent_;
  wasapi::UniqueHandle switchesEvent_;
};

// The error text the core holds now.
std::string errorText(const DriverCore& core);

}  // namespace a2w::testing
