// Hands device events (Lost, Stalled, DefaultChanged, ...) to whoever the
// backend delivers them to, from a small thread of its own: never from the
// audio thread, nor from Windows' IMMNotificationClient thread. A host may
// react to the reset request that follows by calling stop(), disposeBuffers,
// init or even Release synchronously, i.e. on this thread; WasapiBackend
// allows all of them here (they join the audio thread, which is another
// one), and Windows forbids unregistering an IMMNotificationClient from
// inside its own callback, which this thread never is.
//
// It runs while the backend has a device open (open() to close()), streaming
// or not. post() is what the audio thread and the notification client call:
// it sets a bit and signals an event (no allocation, no lock, no wait). The
// thread delivers each pending event once, in enum order.
//
// stop() on the notifier thread itself (the handler closed or destroyed the
// backend) cannot join: it asks the thread to end and detaches it; the
// thread then touches nothing but its own shared state (kept alive by the
// thread) and ends as soon as the delivery in progress returns.
#pragma once

#include <windows.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "core/audio_backend.h"
#include "wasapi/unique_handle.h"

namespace a2w::wasapi {

class EventNotifier {
 public:
  using Deliver = std::function<void(DeviceEvent)>;

  EventNotifier() = default;
  ~EventNotifier() { stop(); }
  EventNotifier(const EventNotifier&) = delete;
  EventNotifier& operator=(const EventNotifier&) = delete;

  // Starts the thread; every event posted from now on goes to `deliver`
  // (on the notifier thread). E_UNEXPECTED when already running.
  HRESULT start(Deliver deliver);
  // Any thread, audio thread included. Dropped when not running.
  void post(DeviceEvent event) noexcept;
  // Ends the thread (see above for the notifier thread itself); events still
  // pending are dropped. Idempotent.
  void stop();
  bool isCurrentThread() const noexcept;
  bool running() const { return thread_.joinable(); }
  // Threads that had to be detached (stop() on themselves), for the log and tests.
  std::uint64_t detached() const { return detached_; }

 private:
  struct State {
    UniqueHandle quit;  // manual reset: the thread must end
    UniqueHandle wake;  // auto reset: an event is pending
    std::atomic<std::uint32_t> pending{0};
    std::atomic<DWORD> threadId{0};
    Deliver deliver;
  };
  static void run(const std::shared_ptr<State>& state) noexcept;

  std::shared_ptr<State> state_;
  std::atomic<State*> current_{nullptr};  // what post() signals: state_ while running
  std::thread thread_;
  std::uint64_t detached_ = 0;
};

}  // namespace a2w::wasapi
