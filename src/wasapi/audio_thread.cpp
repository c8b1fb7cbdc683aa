#include "wasapi/audio_thread.h"

#include <avrt.h>

#include <system_error>

#include "wasapi/com_init.h"
#include "wasapi/wave_format.h"

#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002  // Windows 10 1803+; older MinGW headers lack it
#endif

namespace a2w::wasapi {
namespace {

// No WASAPI event for this long means the device stopped clocking us (or
// Wine's timer thread stalled). Long enough that no real period comes near it.
constexpr DWORD kStallTimeoutMs = 2000;

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

}  // namespace

HRESULT AudioThread::start(RenderStream* render, PeriodHandler* handler, const TimeBase* clock) {
  if (thread_.joinable()) return E_UNEXPECTED;
  render_ = render;
  handler_ = handler;
  clock_ = clock;
  lastError_ = S_OK;
  wakes_ = 0;
  if (!stopEvent_) stopEvent_.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));  // manual reset
  if (!stopEvent_) return HRESULT_FROM_WIN32(GetLastError());
  ResetEvent(stopEvent_.get());

  if (!render->event()) {
    // ExclusivePoll: wake at about half a period so a period's room is
    // noticed within half a period of appearing. A high-resolution timer
    // (Windows 10 1803+) honours sub-millisecond due times; elsewhere the
    // plain timer rounds to the system tick, which only costs latency.
    if (!timer_) {
      timer_.reset(CreateWaitableTimerExW(nullptr, nullptr, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION, TIMER_ALL_ACCESS));
      if (!timer_) timer_.reset(CreateWaitableTimerExW(nullptr, nullptr, 0, TIMER_ALL_ACCESS));
      if (!timer_) return HRESULT_FROM_WIN32(GetLastError());
    }
    const double rate = render->format().Format.nSamplesPerSec;
    pollIntervalHns_ = refTimeFromFrames(render->periodFrames(), rate) / 2;
    if (pollIntervalHns_ < 1000) pollIntervalHns_ = 1000;  // 0.1 ms floor
  }
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& e) {
    return HRESULT_FROM_WIN32(static_cast<DWORD>(e.code().value()));
  }
  return S_OK;
}

void AudioThread::stop() {
  if (!thread_.joinable()) return;
  SetEvent(stopEvent_.get());
  thread_.join();
}

void AudioThread::run() noexcept {
  // Core Audio's objects are free-threaded; the MTA just has to exist for
  // this thread (the backend also holds CoIncrementMTAUsage).
  ComInit com;
  MmcssScope mmcss;
  mmcss_ = mmcss.ok();

  const bool polling = render_->event() == nullptr;
  const HANDLE waits[2] = {stopEvent_.get(), polling ? timer_.get() : render_->event()};
  HRESULT failure = S_OK;
  bool stalled = false;

  // Shared and poll modes start with room in the buffer: fill it now rather
  // than one wake later. ExclusiveEvent was pre-filled before Start.
  if (render_->mode() != StreamMode::ExclusiveEvent) {
    failure = render_->renderPeriods(*handler_, *clock_);
  }

  while (SUCCEEDED(failure)) {
    if (polling) {
      LARGE_INTEGER due;
      due.QuadPart = -pollIntervalHns_;  // relative
      if (!SetWaitableTimer(timer_.get(), &due, 0, nullptr, nullptr, FALSE)) {
        failure = HRESULT_FROM_WIN32(GetLastError());
        break;
      }
    }
    const DWORD woke = WaitForMultipleObjects(2, waits, FALSE, kStallTimeoutMs);
    if (woke == WAIT_OBJECT_0) break;  // stop()
    if (woke == WAIT_OBJECT_0 + 1) {
      failure = render_->renderPeriods(*handler_, *clock_);
      wakes_.fetch_add(1, std::memory_order_relaxed);
      stalled = false;
      continue;
    }
    if (woke == WAIT_TIMEOUT) {
      if (!stalled) handler_->deviceEvent(DeviceEvent::Stalled);
      stalled = true;
      continue;
    }
    failure = HRESULT_FROM_WIN32(GetLastError());  // WAIT_FAILED
  }

  if (FAILED(failure)) {
    lastError_ = failure;
    handler_->deviceEvent(DeviceEvent::Lost);
  }
  if (polling) CancelWaitableTimer(timer_.get());
}

}  // namespace a2w::wasapi
