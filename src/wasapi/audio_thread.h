// The thread that feeds the WASAPI stream: registered with MMCSS ("Pro
// Audio"), waits only on {stop event, WASAPI event} (event modes) or
// {stop event, waitable timer} (ExclusivePoll), and hands each period to the
// PeriodHandler. Nothing in its loop allocates, locks or does I/O.
//
// When the stream fails inside the loop (AUDCLNT_E_DEVICE_INVALIDATED, ...)
// the loop ends and handler->deviceEvent(Lost) is called from this thread,
// after the loop: the handler must only flag it and return (the interface
// says "must return promptly"). TODO(later issue): hand device events to a
// non-audio notifier thread together with IMMNotificationClient's events.
#pragma once

#include <windows.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "core/audio_backend.h"
#include "wasapi/render_stream.h"
#include "wasapi/time_base.h"
#include "wasapi/unique_handle.h"

namespace a2w::wasapi {

class AudioThread {
 public:
  AudioThread() = default;
  ~AudioThread() { stop(); }
  AudioThread(const AudioThread&) = delete;
  AudioThread& operator=(const AudioThread&) = delete;

  // The stream must already be started (IAudioClient::Start).
  HRESULT start(RenderStream* render, PeriodHandler* handler, const TimeBase* clock);
  // Signals the stop event and joins; idempotent. Returns promptly: the
  // thread is never blocked anywhere but in its wait (or in processPeriod).
  void stop();

  bool running() const { return thread_.joinable(); }
  // What ended the loop (S_OK when it was stopped or is still running).
  HRESULT lastError() const { return lastError_.load(); }
  // Whether AvSetMmThreadCharacteristics("Pro Audio") succeeded.
  bool mmcssRegistered() const { return mmcss_.load(); }
  std::uint64_t wakes() const { return wakes_.load(); }  // WASAPI events or timer ticks served

 private:
  void run() noexcept;

  RenderStream* render_ = nullptr;
  PeriodHandler* handler_ = nullptr;
  const TimeBase* clock_ = nullptr;
  UniqueHandle stopEvent_;
  UniqueHandle timer_;  // ExclusivePoll only
  LONGLONG pollIntervalHns_ = 0;
  std::thread thread_;
  std::atomic<HRESULT> lastError_{S_OK};
  std::atomic<bool> mmcss_{false};
  std::atomic<std::uint64_t> wakes_{0};
};

}  // namespace a2w::wasapi
