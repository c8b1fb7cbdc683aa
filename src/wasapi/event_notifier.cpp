#include "wasapi/event_notifier.h"

#include <system_error>

namespace a2w::wasapi {

HRESULT EventNotifier::start(PeriodHandler* handler) {
  if (thread_.joinable()) return E_UNEXPECTED;
  handler_ = handler;
  if (!quit_) quit_.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));
  if (!wake_) wake_.reset(CreateEventW(nullptr, FALSE, FALSE, nullptr));
  if (!quit_ || !wake_) return HRESULT_FROM_WIN32(GetLastError());
  ResetEvent(quit_.get());
  ResetEvent(wake_.get());
  pending_ = 0;
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& e) {
    return HRESULT_FROM_WIN32(static_cast<DWORD>(e.code().value()));
  }
  return S_OK;
}

void EventNotifier::post(DeviceEvent event) noexcept {
  pending_.fetch_or(1u << static_cast<unsigned>(event));
  if (wake_) SetEvent(wake_.get());
}

void EventNotifier::requestStop() noexcept {
  if (quit_) SetEvent(quit_.get());
}

bool EventNotifier::isCurrentThread() const noexcept {
  const DWORD id = threadId_.load();
  return id != 0 && id == GetCurrentThreadId();
}

void EventNotifier::stop() {
  requestStop();
  if (!thread_.joinable() || isCurrentThread()) return;
  thread_.join();
  threadId_ = 0;
}

void EventNotifier::run() noexcept {
  threadId_ = GetCurrentThreadId();
  const HANDLE waits[2] = {quit_.get(), wake_.get()};
  for (;;) {
    const DWORD woke = WaitForMultipleObjects(2, waits, FALSE, INFINITE);
    if (woke != WAIT_OBJECT_0 + 1) break;  // quit, or a broken wait
    const std::uint32_t events = pending_.exchange(0);
    for (unsigned bit = 0; bit < 32; ++bit) {
      if ((events & (1u << bit)) == 0) continue;
      // Check between deliveries too: a handler that stopped us on the
      // first event must not get the second.
      if (WaitForSingleObject(quit_.get(), 0) == WAIT_OBJECT_0) return;
      handler_->deviceEvent(static_cast<DeviceEvent>(bit));
    }
  }
}

}  // namespace a2w::wasapi
