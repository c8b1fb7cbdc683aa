#include "wasapi/event_notifier.h"

#include <system_error>
#include <utility>

namespace a2w::wasapi {

HRESULT EventNotifier::start(Deliver deliver) {
  if (thread_.joinable()) return E_UNEXPECTED;
  auto state = std::make_shared<State>();
  state->quit.reset(CreateEventW(nullptr, TRUE, FALSE, nullptr));
  state->wake.reset(CreateEventW(nullptr, FALSE, FALSE, nullptr));
  if (!state->quit || !state->wake) return HRESULT_FROM_WIN32(GetLastError());
  state->deliver = std::move(deliver);
  try {
    thread_ = std::thread([state] { run(state); });
  } catch (const std::system_error& e) {
    return HRESULT_FROM_WIN32(static_cast<DWORD>(e.code().value()));
  }
  state_ = std::move(state);
  current_.store(state_.get());
  return S_OK;
}

void EventNotifier::post(DeviceEvent event) noexcept {
  State* state = current_.load();
  if (state == nullptr) return;
  state->pending.fetch_or(1u << static_cast<unsigned>(event));
  SetEvent(state->wake.get());
}

bool EventNotifier::isCurrentThread() const noexcept {
  const State* state = current_.load();
  if (state == nullptr) return false;
  const DWORD id = state->threadId.load();
  return id != 0 && id == GetCurrentThreadId();
}

void EventNotifier::stop() {
  current_.store(nullptr);
  if (state_) SetEvent(state_->quit.get());
  if (thread_.joinable()) {
    const DWORD id = state_ ? state_->threadId.load() : 0;
    if (id != 0 && id == GetCurrentThreadId()) {
      // From inside a delivery: the thread ends when it returns.
      thread_.detach();
      ++detached_;
    } else {
      thread_.join();
    }
  }
  state_.reset();
}

void EventNotifier::run(const std::shared_ptr<State>& state) noexcept {
  state->threadId = GetCurrentThreadId();
  const HANDLE waits[2] = {state->quit.get(), state->wake.get()};
  for (;;) {
    const DWORD woke = WaitForMultipleObjects(2, waits, FALSE, INFINITE);
    if (woke != WAIT_OBJECT_0 + 1) return;  // quit, or a broken wait
    const std::uint32_t events = state->pending.exchange(0);
    for (unsigned bit = 0; bit < 32; ++bit) {
      if ((events & (1u << bit)) == 0) continue;
      // Before every delivery: a handler that stopped us (or closed the
      // backend) on the first event must not get the second.
      if (WaitForSingleObject(state->quit.get(), 0) == WAIT_OBJECT_0) return;
      state->deliver(static_cast<DeviceEvent>(bit));
    }
  }
}

}  // namespace a2w::wasapi
