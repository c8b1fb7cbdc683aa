// Hands device events (Lost, Stalled, ...) to the PeriodHandler from a small
// thread of its own, never from the audio thread: a host that reacts to a
// reset request by calling stop() synchronously then calls into the backend
// from this thread, which stop() recognises (it cannot join itself).
//
// post() is what the audio thread calls: it sets a bit and signals an event
// (no allocation, no lock, no wait). The thread delivers each pending event
// once, in enum order. Events still pending when stop is requested are
// dropped: a stopped stream has nothing left to report.
#pragma once

#include <windows.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "core/audio_backend.h"
#include "wasapi/unique_handle.h"

namespace a2w::wasapi {

class EventNotifier {
 public:
  EventNotifier() = default;
  ~EventNotifier() { stop(); }
  EventNotifier(const EventNotifier&) = delete;
  EventNotifier& operator=(const EventNotifier&) = delete;

  HRESULT start(PeriodHandler* handler);
  // Any thread, audio thread included.
  void post(DeviceEvent event) noexcept;
  // Any thread: the loop ends after the delivery in progress, if any.
  void requestStop() noexcept;
  // requestStop() and join. On the notifier thread itself only requests.
  void stop();
  bool isCurrentThread() const noexcept;
  bool running() const { return thread_.joinable(); }

 private:
  void run() noexcept;

  PeriodHandler* handler_ = nullptr;
  UniqueHandle quit_;
  UniqueHandle wake_;
  std::thread thread_;
  std::atomic<std::uint32_t> pending_{0};
  std::atomic<DWORD> threadId_{0};
};

}  // namespace a2w::wasapi
