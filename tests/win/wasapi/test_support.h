// A PeriodHandler for tests: records what the backend hands it, writes a
// known pattern into the render buffer, and signals Win32 events when a
// number of periods has passed or a device event arrived, so tests wait on
// events with timeouts instead of sleeping.
#pragma once

#include <windows.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "core/audio_backend.h"
#include "wasapi/com_init.h"
#include "wasapi/unique_handle.h"

namespace a2w::testing {

class RecordingHandler final : public PeriodHandler {
 public:
  RecordingHandler();

  // Signal periodsReached() once this many periods were processed.
  void expectPeriods(std::uint64_t count) { target_ = count; }
  // Bytes per frame of the render buffer, for the pattern writer; 0 = don't write.
  void writePattern(int bytesPerFrame) { bytesPerFrame_ = bytesPerFrame; }

  void processPeriod(const Period& period) noexcept override;
  void deviceEvent(DeviceEvent event) noexcept override;

  HANDLE periodsReached() const { return periodsEvent_.get(); }
  HANDLE deviceEventArrived() const { return deviceEvent_.get(); }
  std::uint64_t periods() const { return periods_.load(); }
  std::vector<DeviceEvent> deviceEvents() const;
  std::vector<const std::byte*> renderPointers() const;
  std::vector<std::int32_t> frames() const;
  std::vector<std::uint64_t> times() const;

  // The byte the pattern writer puts at `index` within period `period`.
  static std::uint8_t patternByte(std::uint64_t period, std::size_t index) {
    return static_cast<std::uint8_t>((period * 31 + index * 7 + 1) & 0xff);
  }

 private:
  std::atomic<std::uint64_t> periods_{0};
  std::atomic<std::uint64_t> target_{0};
  std::atomic<int> bytesPerFrame_{0};
  wasapi::UniqueHandle periodsEvent_;
  wasapi::UniqueHandle deviceEvent_;
  // Test code: a lock is fine here, the fake's "audio thread" has no deadline.
  mutable std::mutex mutex_;
  std::vector<DeviceEvent> events_;
  std::vector<const std::byte*> pointers_;
  std::vector<std::int32_t> frames_;
  std::vector<std::uint64_t> times_;
};

// Waits on a Win32 event; false on timeout.
bool waitFor(HANDLE event, DWORD timeoutMs);

}  // namespace a2w::testing
