#include "test_support.h"

namespace a2w::testing {

RecordingHandler::RecordingHandler()
    : periodsEvent_(CreateEventW(nullptr, TRUE, FALSE, nullptr)),
      deviceEvent_(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}

void RecordingHandler::processPeriod(const Period& period) noexcept {
  const std::uint64_t index = periods_.load();
  const int bpf = bytesPerFrame_.load();
  if (bpf > 0 && period.render) {
    const std::size_t bytes = static_cast<std::size_t>(period.frames) * static_cast<std::size_t>(bpf);
    for (std::size_t i = 0; i < bytes; ++i) period.render[i] = std::byte{patternByte(index, i)};
  }
  {
    std::lock_guard lock(mutex_);
    pointers_.push_back(period.render);
    frames_.push_back(period.frames);
    times_.push_back(period.systemTimeNs);
  }
  const std::uint64_t n = periods_.fetch_add(1) + 1;
  if (target_.load() != 0 && n >= target_.load()) SetEvent(periodsEvent_.get());
}

void RecordingHandler::deviceEvent(DeviceEvent event) noexcept {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  SetEvent(deviceEvent_.get());
}

std::vector<DeviceEvent> RecordingHandler::deviceEvents() const {
  std::lock_guard lock(mutex_);
  return events_;
}
std::vector<const std::byte*> RecordingHandler::renderPointers() const {
  std::lock_guard lock(mutex_);
  return pointers_;
}
std::vector<std::int32_t> RecordingHandler::frames() const {
  std::lock_guard lock(mutex_);
  return frames_;
}
std::vector<std::uint64_t> RecordingHandler::times() const {
  std::lock_guard lock(mutex_);
  return times_;
}

bool waitFor(HANDLE event, DWORD timeoutMs) { return WaitForSingleObject(event, timeoutMs) == WAIT_OBJECT_0; }

}  // namespace a2w::testing
