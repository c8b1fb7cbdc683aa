#include "wasapi/audio_thread.h"

#include <audioclient.h>
#include <avrt.h>

#include <algorithm>
#include <cmath>
#include <system_error>

#include "core/log.h"
#include "wasapi/com_init.h"
#include "wasapi/wave_format.h"

#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002  // Windows 10 1803+; older MinGW headers lack it
#endif

namespace a2w::wasapi {
namespace {

// No period for this many periods' worth of time (and at least the floor)
// means the device stopped clocking us.
constexpr double kStallPeriods = 8;
constexpr DWORD kStartupStallFactor = 4;  // the watchdog's patience before the first period

bool deviceGone(HRESULT hr) { return hr == AUDCLNT_E_DEVICE_INVALIDATED || hr == AUDCLNT_E_RESOURCES_INVALIDATED; }

// MMCSS registration for the life of the audio thread.
class MmcssScope {
 public:
  MmcssScope() { handle_ = AvSetMmThreadCharacteristicsW(L"Pro Audio", &taskIndex_); }
  ~MmcssScope() {
    if (handle_) AvRevertMmThreadCharacteristics(handle_);
  }
  MmcssScope(const MmcssScope&) = delete;
  MmcssScope& operator=(const MmcssScope&) = delete;
  bool ok() const { return handle_ != nullptr; }

 private:
  DWORD taskIndex_ = 0;
  HANDLE handle_ = nullptr;
};

std::uint64_t wholeRate(double rate) { return static_cast<std::uint64_t>(std::llround(rate > 0 ? rate : 1)); }

}  // namespace

HRESULT AudioThread::start(const AudioThreadSetup& setup) {
  if (thread_.joinable()) return E_UNEXPECTED;
  if (!setup.handler || !setup.clock || !setup.notifier || (!setup.render && !setup.capture)) return E_INVALIDARG;
  setup_ = setup;
  lastError_ = S_OK;
  wakes_ = 0;
  stopping_ = false;
  if (!stopEvent_) stopEvent_.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));  // manual reset
  if (!stoppedEvent_) stoppedEvent_.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));
  if (!stopEvent_ || !stoppedEvent_) return HRESULT_FROM_WIN32(GetLastError());
  ResetEvent(stopEvent_.get());
  ResetEvent(stoppedEvent_.get());

  // Polled streams wake at about half their period, so a period's room (or
  // a packet) is noticed within half a period of appearing. A
  // high-resolution timer (Windows 10 1803+) honours sub-millisecond due
  // times; elsewhere the plain timer rounds to the system tick, which only
  // costs latency.
  pollIntervalHns_ = 0;
  const auto poll = [this](std::int64_t frames, double rate) {
    LONGLONG interval = refTimeFromFrames(frames, rate) / 2;
    if (interval < 1000) interval = 1000;  // 0.1 ms floor
    pollIntervalHns_ = pollIntervalHns_ == 0 ? interval : std::min(pollIntervalHns_, interval);
  };
  if (setup.render && !setup.render->event()) {
    poll(setup.render->periodFrames(), setup.render->format().Format.nSamplesPerSec);
  }
  if (setup.capture && !setup.capture->event()) poll(setup.capture->packetFrames(), setup.capture->deviceRate());
  if (pollIntervalHns_ > 0 && !timer_) {
    timer_.reset(CreateWaitableTimerExW(nullptr, nullptr, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION, TIMER_ALL_ACCESS));
    if (!timer_) timer_.reset(CreateWaitableTimerExW(nullptr, nullptr, 0, TIMER_ALL_ACCESS));
    if (!timer_) return HRESULT_FROM_WIN32(GetLastError());
  }

  // The watchdog: a period is render's chunk at the device rate, or
  // (input-only) one ASIO buffer at the host's rate.
  double periodMs = 0;
  if (setup.render) {
    periodMs = 1000.0 * setup.render->chunkFrames() / setup.render->deviceRate();
  } else if (!setup.capture->loopback()) {
    periodMs = 1000.0 * std::max(setup.bufferFrames, 1) / (setup.hostRate > 0 ? setup.hostRate : 48000);
  }
  stallTimeoutMs_ = periodMs > 0 ? std::max<DWORD>(setup.minimumStallTimeoutMs,
                                                   static_cast<DWORD>(std::ceil(kStallPeriods * periodMs)))
                                 : 0;
  stalls_ = 0;
  restarts_ = 0;

  inputUnits_ = 0;
  if (!setup.render && setup.capture) {
    unitsPerFrame_ = wholeRate(setup.hostRate);
    unitsPerPeriod_ = static_cast<std::uint64_t>(std::max(setup.bufferFrames, 1)) * wholeRate(setup.capture->deviceRate());
  }
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& e) {
    return HRESULT_FROM_WIN32(static_cast<DWORD>(e.code().value()));
  }
  return S_OK;
}

void AudioThread::requestStop() noexcept {
  stopping_ = true;
  if (stopEvent_) SetEvent(stopEvent_.get());
}

bool AudioThread::isCurrentThread() const noexcept {
  const DWORD id = threadId_.load();
  return id != 0 && id == GetCurrentThreadId();
}

void AudioThread::waitStopped() {
  if (!thread_.joinable() || isCurrentThread()) return;
  WaitForSingleObject(stoppedEvent_.get(), INFINITE);
}

void AudioThread::stop() {
  requestStop();
  if (!thread_.joinable() || isCurrentThread()) return;
  thread_.join();
  threadId_ = 0;
}

HRESULT AudioThread::drainCapture() noexcept {
  PeriodHandler& handler = *setup_.handler;
  const bool drivesPeriods = setup_.render == nullptr;
  for (;;) {
    if (stopping_.load(std::memory_order_relaxed)) return S_OK;
    std::uint32_t frames = 0;
    const HRESULT hr = setup_.capture->deliverOne(handler, *setup_.clock, &frames);
    if (FAILED(hr)) return hr;
    if (frames == 0) return S_OK;
    if (!drivesPeriods) continue;
    inputUnits_ += static_cast<std::uint64_t>(frames) * unitsPerFrame_;
    while (inputUnits_ >= unitsPerPeriod_) {
      if (stopping_.load(std::memory_order_relaxed)) return S_OK;
      inputUnits_ -= unitsPerPeriod_;
      Period period;
      period.frames = setup_.bufferFrames;
      period.systemTimeNs = setup_.clock->nowNs();
      handler.processPeriod(period);
    }
  }
}

std::uint64_t AudioThread::progress() const noexcept {
  return setup_.render ? setup_.render->periodsServed() : setup_.capture->packetsDelivered();
}

HRESULT AudioThread::restartStreams() noexcept {
  HRESULT hr = S_OK;
  if (setup_.render) hr = setup_.render->restart();
  if (SUCCEEDED(hr) && setup_.capture) hr = setup_.capture->restart();
  return hr;
}

void AudioThread::run() noexcept {
  threadId_ = GetCurrentThreadId();
  // From here on, logging only through the lock-free queue (core/log.h);
  // opened first so its thread_local is touched before any period.
  log::RealtimeScope realtime;
  // Core Audio's objects are free-threaded; the MTA just has to exist for
  // this thread (the backend also holds CoIncrementMTAUsage).
  ComInit com;
  MmcssScope mmcss;
  mmcss_ = mmcss.ok();

  RenderStream* const render = setup_.render;
  CaptureStream* const capture = setup_.capture;
  HANDLE waits[4] = {stopEvent_.get(), nullptr, nullptr, nullptr};
  DWORD count = 1;
  DWORD renderIndex = MAXDWORD;
  DWORD captureIndex = MAXDWORD;
  DWORD timerIndex = MAXDWORD;
  if (render && render->event()) {
    renderIndex = count;
    waits[count++] = render->event();
  }
  if (capture && capture->event()) {
    captureIndex = count;
    waits[count++] = capture->event();
  }
  const bool renderPolls = render && !render->event();
  if (pollIntervalHns_ > 0) {
    timerIndex = count;
    waits[count++] = timer_.get();
  }
  (void)captureIndex;  // a capture wake only drains, which every wake does

  HRESULT failure = S_OK;
  const auto armTimer = [&]() -> HRESULT {
    if (timerIndex == MAXDWORD) return S_OK;
    LARGE_INTEGER due;
    due.QuadPart = -pollIntervalHns_;  // relative
    return SetWaitableTimer(timer_.get(), &due, 0, nullptr, nullptr, FALSE) ? S_OK
                                                                           : HRESULT_FROM_WIN32(GetLastError());
  };

  // Shared and poll modes start with room in the buffer: fill it now rather
  // than one wake later. ExclusiveEvent was pre-filled before Start.
  if (render && render->mode() != StreamMode::ExclusiveEvent) {
    failure = render->renderPeriods(*setup_.handler, *setup_.clock, &stopping_);
  }
  if (SUCCEEDED(failure)) failure = armTimer();

  // The watchdog's state: when progress was last seen, and what was done
  // about its absence since (a restart, then the report).
  // Until the first period a device gets kStartupStallFactor times longer:
  // some take seconds to start delivering (Bluetooth on Windows; a
  // PulseAudio monitor under Wine took 2 s once), and that is not a stall.
  const DWORD runningStallMs = stallTimeoutMs_.load();
  std::uint64_t seen = progress();
  bool started = seen > 0;
  DWORD stallMs = started ? runningStallMs : runningStallMs * kStartupStallFactor;
  ULONGLONG lastProgressMs = GetTickCount64();
  bool restarted = false;
  bool reported = false;

  while (SUCCEEDED(failure) && !stopping_.load(std::memory_order_relaxed)) {
    DWORD timeout = INFINITE;
    if (stallMs > 0 && !reported) {
      const ULONGLONG waited = GetTickCount64() - lastProgressMs;
      timeout = waited >= stallMs ? 0 : static_cast<DWORD>(stallMs - waited);
    }
    const DWORD woke = WaitForMultipleObjects(count, waits, FALSE, timeout);
    if (woke == WAIT_OBJECT_0) break;  // stop
    if (woke != WAIT_TIMEOUT) {
      if (woke < WAIT_OBJECT_0 + 1 || woke >= WAIT_OBJECT_0 + count) {
        failure = HRESULT_FROM_WIN32(GetLastError());  // WAIT_FAILED (or an abandoned wait)
        break;
      }
      const DWORD index = woke - WAIT_OBJECT_0;
      wakes_.fetch_add(1, std::memory_order_relaxed);
      // Capture first, on every wake: the packets that are there belong
      // before the period about to be rendered.
      if (capture) failure = drainCapture();
      if (SUCCEEDED(failure) && render && (index == renderIndex || (index == timerIndex && renderPolls))) {
        failure = render->renderPeriods(*setup_.handler, *setup_.clock, &stopping_);
      }
      if (SUCCEEDED(failure) && index == timerIndex) failure = armTimer();
    }
    if (stallMs == 0 || FAILED(failure)) continue;
    const ULONGLONG now = GetTickCount64();
    if (const std::uint64_t p = progress(); p != seen) {
      seen = p;
      if (!started) {
        started = true;
        stallMs = runningStallMs;
      }
      lastProgressMs = now;
      restarted = false;
      reported = false;
    } else if (!reported && now - lastProgressMs >= stallMs) {
      stalls_.fetch_add(1, std::memory_order_relaxed);
      if (!restarted) {
        log::realtime(LogLevel::Warning, log::Tag::Audio, "no period for {} ms: restarting the stream", stallMs);
        restarts_.fetch_add(1, std::memory_order_relaxed);
        failure = restartStreams();
        restarted = true;
        lastProgressMs = now;  // a whole timeout for the restarted stream
      } else {
        log::realtime(LogLevel::Warning, log::Tag::Audio,
                      "still no period {} ms after the restart: the device stalled", stallMs);
        setup_.notifier->post(DeviceEvent::Stalled);
        reported = true;  // the host resets; until then just wait for the stop
      }
    }
  }

  if (FAILED(failure)) {
    log::realtime(LogLevel::Error, log::Tag::Audio, "the audio stream failed: {}",
                  log::Arg::hresult(static_cast<std::uint32_t>(failure)));
    lastError_ = failure;
    setup_.notifier->post(deviceGone(failure) ? DeviceEvent::Lost : DeviceEvent::Failed);
  }
  if (timerIndex != MAXDWORD) CancelWaitableTimer(timer_.get());
  // Silence the device now, whoever asked; the owner Resets after the join.
  if (render) render->halt();
  if (capture) capture->halt();
  SetEvent(stoppedEvent_.get());
}

}  // namespace a2w::wasapi
