// A PeriodHandler for tests: records what the backend hands it, writes a
// known pattern into the render buffer, and signals Win32 events when a
// number of periods has passed or a device event arrived, so tests wait on
// events with timeouts instead of sleeping.
#pragma once

#include <windows.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
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

  // Signal packetsReached() once this many capture packets arrived.
  void expectPackets(std::uint64_t count) { packetTarget_ = count; }
  // Bytes per frame of capture packets, for copying them; 0 = don't copy.
  void copyCapture(int bytesPerFrame) { captureBytesPerFrame_ = bytesPerFrame; }
  // Called (on the calling thread) from inside processPeriod number `period`
  // (0-based) / from inside every deviceEvent: e.g. a backend->stop().
  void onPeriod(std::uint64_t period, std::function<void()> action) {
    actionPeriod_ = period;
    periodAction_ = std::move(action);
  }
  void onDeviceEvent(std::function<void()> action) { eventAction_ = std::move(action); }

  void processPeriod(const Period& period) noexcept override;
  void captureArrived(const CapturePacket& packet) noexcept override;
  void deviceEvent(DeviceEvent event) noexcept override;

  struct Packet {
    std::vector<std::uint8_t> bytes;  // copied when copyCapture() was set and data was non-null
    std::int32_t frames = 0;
    bool hadData = false;
    bool silent = false;
    bool discontinuity = false;
    std::uint64_t deviceTimeNs = 0;
  };

  HANDLE periodsReached() const { return periodsEvent_.get(); }
  HANDLE packetsReached() const { return packetsEvent_.get(); }
  HANDLE deviceEventArrived() const { return deviceEvent_.get(); }
  std::uint64_t periods() const { return periods_.load(); }
  std::vector<DeviceEvent> deviceEvents() const;
  // Waits until `event` has been delivered (at any time since construction);
  // false on timeout.
  bool waitForEvent(DeviceEvent event, DWORD timeoutMs) const;
  std::vector<const std::byte*> renderPointers() const;
  std::vector<std::int32_t> frames() const;
  std::vector<std::uint64_t> times() const;
  std::vector<Packet> packets() const;
  std::uint64_t packetCount() const { return packetCount_.load(); }
  std::int64_t capturedFrames() const { return capturedFrames_.load(); }
  // 'C' per packet, 'P' per period, in the order they arrived.
  std::string order() const;
  // Threads the callbacks ran on.
  std::vector<DWORD> periodThreads() const;
  std::vector<DWORD> eventThreads() const;
  // Captured frames seen before each period (cumulative).
  std::vector<std::int64_t> framesBeforePeriods() const;

  // The byte the pattern writer puts at `index` within period `period`.
  static std::uint8_t patternByte(std::uint64_t period, std::size_t index) {
    return static_cast<std::uint8_t>((period * 31 + index * 7 + 1) & 0xff);
  }

 private:
  std::atomic<std::uint64_t> periods_{0};
  std::atomic<std::uint64_t> target_{0};
  std::atomic<int> bytesPerFrame_{0};
  std::atomic<std::uint64_t> packetCount_{0};
  std::atomic<std::uint64_t> packetTarget_{0};
  std::atomic<std::int64_t> capturedFrames_{0};
  std::atomic<int> captureBytesPerFrame_{0};
  std::uint64_t actionPeriod_ = 0;
  std::function<void()> periodAction_;
  std::function<void()> eventAction_;
  wasapi::UniqueHandle periodsEvent_;
  wasapi::UniqueHandle packetsEvent_;
  wasapi::UniqueHandle deviceEvent_;
  // Test code: a lock is fine here, the fake's "audio thread" has no deadline.
  mutable std::mutex mutex_;
  mutable std::condition_variable eventCv_;
  std::vector<DeviceEvent> events_;
  std::vector<const std::byte*> pointers_;
  std::vector<std::int32_t> frames_;
  std::vector<std::uint64_t> times_;
  std::vector<Packet> packets_;
  std::string order_;
  std::vector<DWORD> periodThreads_;
  std::vector<DWORD> eventThreads_;
  std::vector<std::int64_t> framesBeforePeriods_;
};

// Waits on a Win32 event; false on timeout.
bool waitFor(HANDLE event, DWORD timeoutMs);

// Leak checks. Threads of this process (Toolhelp snapshot), and handles
// (GetProcessHandleCount, or where it answers 0, as Wine 8's does, the
// process's entries in NtQuerySystemInformation(SystemHandleInformation)).
int threadCount();
int handleCount();
// This process's handles as "value:type" ("0xc4:Semaphore"), where the
// system says (SystemHandleInformation): what a leak message names.
std::vector<std::string> handleList();
// The entries of `now` that are not in `before`, joined with spaces.
std::string newHandles(const std::vector<std::string>& before, const std::vector<std::string>& now);

}  // namespace a2w::testing
