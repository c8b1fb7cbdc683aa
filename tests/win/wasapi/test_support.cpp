#include "test_support.h"

#include <tlhelp32.h>
#include <winternl.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace a2w::testing {

RecordingHandler::RecordingHandler()
    : periodsEvent_(CreateEventW(nullptr, TRUE, FALSE, nullptr)),
      packetsEvent_(CreateEventW(nullptr, TRUE, FALSE, nullptr)),
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
    order_.push_back('P');
    periodThreads_.push_back(GetCurrentThreadId());
    framesBeforePeriods_.push_back(capturedFrames_.load());
  }
  if (periodAction_ && index == actionPeriod_) periodAction_();
  const std::uint64_t n = periods_.fetch_add(1) + 1;
  if (target_.load() != 0 && n >= target_.load()) SetEvent(periodsEvent_.get());
}

void RecordingHandler::captureArrived(const CapturePacket& packet) noexcept {
  Packet p;
  p.frames = packet.frames;
  p.hadData = packet.data != nullptr;
  p.silent = packet.silent;
  p.discontinuity = packet.discontinuity;
  p.deviceTimeNs = packet.deviceTimeNs;
  const int bpf = captureBytesPerFrame_.load();
  if (bpf > 0 && packet.data) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(packet.data);
    p.bytes.assign(b, b + static_cast<std::size_t>(packet.frames) * static_cast<std::size_t>(bpf));
  }
  {
    std::lock_guard lock(mutex_);
    packets_.push_back(std::move(p));
    order_.push_back('C');
  }
  capturedFrames_.fetch_add(packet.frames);
  const std::uint64_t n = packetCount_.fetch_add(1) + 1;
  if (packetTarget_.load() != 0 && n >= packetTarget_.load()) SetEvent(packetsEvent_.get());
}

void RecordingHandler::deviceEvent(DeviceEvent event) noexcept {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    eventThreads_.push_back(GetCurrentThreadId());
  }
  if (eventAction_) eventAction_();
  eventCv_.notify_all();
  SetEvent(deviceEvent_.get());
}

bool RecordingHandler::waitForEvent(DeviceEvent event, DWORD timeoutMs) const {
  std::unique_lock lock(mutex_);
  return eventCv_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                           [&] { return std::find(events_.begin(), events_.end(), event) != events_.end(); });
}

std::vector<RecordingHandler::Packet> RecordingHandler::packets() const {
  std::lock_guard lock(mutex_);
  return packets_;
}
std::string RecordingHandler::order() const {
  std::lock_guard lock(mutex_);
  return order_;
}
std::vector<DWORD> RecordingHandler::periodThreads() const {
  std::lock_guard lock(mutex_);
  return periodThreads_;
}
std::vector<DWORD> RecordingHandler::eventThreads() const {
  std::lock_guard lock(mutex_);
  return eventThreads_;
}
std::vector<std::int64_t> RecordingHandler::framesBeforePeriods() const {
  std::lock_guard lock(mutex_);
  return framesBeforePeriods_;
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

int threadCount() {
  const HANDLE snapshot = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
  if (snapshot == INVALID_HANDLE_VALUE) return -1;
  THREADENTRY32 entry{};
  entry.dwSize = sizeof entry;
  int count = 0;
  for (BOOL ok = Thread32First(snapshot, &entry); ok; ok = Thread32Next(snapshot, &entry)) {
    if (entry.th32OwnerProcessID == GetCurrentProcessId()) ++count;
  }
  CloseHandle(snapshot);
  return count;
}

namespace {
// The layout of SystemHandleInformation (class 16): not in the SDK headers.
struct HandleEntry {
  ULONG processId;
  UCHAR objectType;
  UCHAR flags;
  USHORT handle;
  PVOID object;
  ACCESS_MASK access;
};
struct HandleTable {
  ULONG count;
  HandleEntry entries[1];
};
using QuerySystemInformation = NTSTATUS(NTAPI*)(ULONG, PVOID, ULONG, PULONG);

using QueryObject = NTSTATUS(NTAPI*)(HANDLE, ULONG, PVOID, ULONG, PULONG);

FARPROC ntdll(const char* name) { return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), name); }

// This process's entries of the system handle table; empty if unavailable.
std::vector<HandleEntry> ownHandles() {
  std::vector<HandleEntry> mine;
  const auto query = reinterpret_cast<QuerySystemInformation>(reinterpret_cast<void*>(ntdll("NtQuerySystemInformation")));
  if (!query) return mine;
  std::vector<char> buffer(1 << 16);
  for (;;) {
    ULONG needed = 0;
    const NTSTATUS status = query(16, buffer.data(), static_cast<ULONG>(buffer.size()), &needed);
    if (status == static_cast<NTSTATUS>(0xC0000004L)) {  // STATUS_INFO_LENGTH_MISMATCH
      buffer.resize(buffer.size() * 2);
      continue;
    }
    if (status != 0) return mine;
    break;
  }
  const auto* table = reinterpret_cast<const HandleTable*>(buffer.data());
  for (ULONG i = 0; i < table->count; ++i) {
    if (table->entries[i].processId == GetCurrentProcessId()) mine.push_back(table->entries[i]);
  }
  return mine;
}

std::string typeName(HANDLE handle) {
  const auto query = reinterpret_cast<QueryObject>(reinterpret_cast<void*>(ntdll("NtQueryObject")));
  alignas(8) char buffer[512] = {};
  ULONG needed = 0;
  if (!query || query(handle, 2 /* ObjectTypeInformation */, buffer, sizeof buffer, &needed) != 0) return "?";
  const auto* name = reinterpret_cast<const UNICODE_STRING*>(buffer);
  std::string text;
  for (USHORT i = 0; i < name->Length / 2; ++i) text += static_cast<char>(name->Buffer[i]);
  return text;
}
}  // namespace

int handleCount() {
  DWORD count = 0;
  if (GetProcessHandleCount(GetCurrentProcess(), &count) && count > 0) return static_cast<int>(count);
  const std::vector<HandleEntry> mine = ownHandles();
  return mine.empty() ? -1 : static_cast<int>(mine.size());
}

std::vector<std::string> handleList() {
  std::vector<std::string> list;
  for (const HandleEntry& e : ownHandles()) {
    char value[16];
    std::snprintf(value, sizeof value, "0x%x:", static_cast<unsigned>(e.handle));
    list.push_back(value + typeName(reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(e.handle))));
  }
  return list;
}

std::string newHandles(const std::vector<std::string>& before, const std::vector<std::string>& now) {
  std::string text;
  for (const std::string& h : now) {
    if (std::find(before.begin(), before.end(), h) == before.end()) text += (text.empty() ? "" : " ") + h;
  }
  return text;
}

}  // namespace a2w::testing
