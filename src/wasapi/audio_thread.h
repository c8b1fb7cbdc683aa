// The thread that runs the WASAPI streams: registered with MMCSS ("Pro
// Audio"), waits only on the stop event, the streams' WASAPI events and (for
// polled streams: ExclusivePoll, loopback) one waitable timer, and hands the
// packets and periods to the PeriodHandler. Nothing in its loop allocates,
// locks or does I/O.
//
// On every wake it first drains the capture stream (every packet the device
// holds goes to captureArrived), then serves the render stream when that
// stream's event or the poll timer woke it, so a period's capture always
// reaches the handler before the period does. Without a render stream
// (input-only) it calls processPeriod(render = null) each time it has
// delivered one ASIO buffer of capture frames, counted at the host's rate
// when the capture device runs at another one.
//
// A watchdog: when no period (input-only: no capture packet) came for
// stallTimeoutMs() -- 8 periods, at least the floor (1 s unless the backend
// sets another, since Wine's timer-driven events run late by tens of ms) --
// the thread counts a stall and restarts the streams in place (Stop, Start,
// keeping what is buffered). If nothing comes for as long again, it posts
// Stalled (the host gets a reset request) and waits for the stop. Input-only
// loopback has no watchdog: Windows delivers no loopback packets while
// nothing plays.
//
// Device events (Lost when a stream call fails with
// AUDCLNT_E_DEVICE_INVALIDATED, Failed for any other failure, Stalled) are
// posted to the EventNotifier, which delivers them from its own thread. When
// the loop ends it stops the WASAPI clients itself (Stop, no Reset), so a
// stop requested from inside a callback silences the device at once even
// though the join comes later.
#pragma once

#include <windows.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "core/audio_backend.h"
#include "wasapi/capture_stream.h"
#include "wasapi/event_notifier.h"
#include "wasapi/render_stream.h"
#include "wasapi/time_base.h"
#include "wasapi/unique_handle.h"

namespace a2w::wasapi {

struct AudioThreadSetup {
  RenderStream* render = nullptr;    // null: input-only
  CaptureStream* capture = nullptr;  // null: output-only
  PeriodHandler* handler = nullptr;
  const TimeBase* clock = nullptr;
  EventNotifier* notifier = nullptr;
  std::int32_t bufferFrames = 0;  // the ASIO buffer (input-only periods)
  double hostRate = 0;            // the host's rate (input-only periods)
  DWORD minimumStallTimeoutMs = 1000;  // the watchdog's floor
};

class AudioThread {
 public:
  AudioThread() = default;
  ~AudioThread() { stop(); }
  AudioThread(const AudioThread&) = delete;
  AudioThread& operator=(const AudioThread&) = delete;

  // The streams must already be started (IAudioClient::Start).
  HRESULT start(const AudioThreadSetup& setup);
  // Any thread: the loop ends after the callback in progress, if any.
  void requestStop() noexcept;
  // Waits until the loop has ended (not for the thread object: no join).
  // Must not be called on the audio thread.
  void waitStopped();
  // requestStop() and join; idempotent. On the audio thread itself it only
  // requests (a later stop() from another thread joins).
  void stop();
  bool isCurrentThread() const noexcept;

  bool running() const { return thread_.joinable(); }
  // What ended the loop (S_OK when it was stopped or is still running).
  HRESULT lastError() const { return lastError_.load(); }
  // Whether AvSetMmThreadCharacteristics("Pro Audio") succeeded.
  bool mmcssRegistered() const { return mmcss_.load(); }
  std::uint64_t wakes() const { return wakes_.load(); }  // events or timer ticks served
  // The watchdog (0: none for this stream), its stalls and restarts since start().
  DWORD stallTimeoutMs() const { return stallTimeoutMs_.load(); }
  std::uint64_t stalls() const { return stalls_.load(); }
  std::uint64_t restarts() const { return restarts_.load(); }

 private:
  void run() noexcept;
  HRESULT drainCapture() noexcept;
  // What the watchdog counts as progress: periods served, or (input-only)
  // capture packets delivered.
  std::uint64_t progress() const noexcept;
  HRESULT restartStreams() noexcept;

  AudioThreadSetup setup_;
  UniqueHandle stopEvent_;
  UniqueHandle stoppedEvent_;  // set when run() has left its loop
  UniqueHandle timer_;         // polled streams only
  LONGLONG pollIntervalHns_ = 0;
  // Input-only period accounting: capture frames times the host rate,
  // against one buffer times the device rate (exact for integer rates).
  std::uint64_t inputUnits_ = 0;
  std::uint64_t unitsPerPeriod_ = 0;
  std::uint64_t unitsPerFrame_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<DWORD> threadId_{0};
  std::atomic<HRESULT> lastError_{S_OK};
  std::atomic<bool> mmcss_{false};
  std::atomic<std::uint64_t> wakes_{0};
  std::atomic<DWORD> stallTimeoutMs_{0};
  std::atomic<std::uint64_t> stalls_{0};
  std::atomic<std::uint64_t> restarts_{0};
};

}  // namespace a2w::wasapi
