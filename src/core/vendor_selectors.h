// asio2wasapi's own future() selectors, for hosts that know us (our
// asiohost, our control panel). Any other driver answers them like every
// unknown selector (ASE_InvalidParameter), so a host can simply try.
// The values sit far from ASIO's own selectors and spell "A2W".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace a2w::vendor {

// future(kGetStreamStatus, char text[kStreamStatusBytes]): a NUL-terminated
// line saying what is running, e.g. "shared-event float32 2ch 48000 Hz,
// 480 frames". ASE_SUCCESS once createBuffers opened the streams;
// ASE_NotPresent before; ASE_InvalidParameter for a null pointer.
constexpr std::int32_t kGetStreamStatus = 0x41325701;
constexpr std::size_t kStreamStatusBytes = 256;

// future(kGetLatencyParts, LatencyParts*): what getLatencies adds up, term by
// term, in host frames, so that a host measuring a loop can tell the part
// the driver vouches for from the part the OS reports (and the driver can
// only pass on). For each side: total == buffer + fifo + queue + os, and
// total is what getLatencies answers.
// The host sets structBytes to sizeof(LatencyParts) first; a smaller value
// (an older or wrong layout) gets ASE_InvalidParameter, as does a null
// pointer. ASE_SUCCESS once createBuffers opened the streams; ASE_NotPresent
// before. Only fixed-width fields: the layout is the same in the 32-bit and
// the 64-bit DLL.
// Totals and the OS part of the reported latencies are also in the driver's
// log (at createBuffers) and in the control panel's status.
constexpr std::int32_t kGetLatencyParts = 0x41325702;

struct LatencyParts {
  std::int32_t structBytes;  // in: sizeof(LatencyParts)
  struct Side {
    std::int32_t total;   // = getLatencies
    std::int32_t buffer;  // the ASIO buffer (output: the period ahead of the one being written,
                          // plus the output resampler's group delay when there is one)
    std::int32_t fifo;    // input: the FIFO's target fill + the input resampler's group delay; output: 0
    std::int32_t queue;   // the driver's WASAPI queueing: render frames queued beyond one period;
                          // input only, capture's wait for a whole packet (worst case)
    std::int32_t os;      // IAudioClient::GetStreamLatency, as the OS reports it
  };
  Side input;
  Side output;
};
static_assert(sizeof(LatencyParts) == 44, "LatencyParts is a fixed layout");

// "input 2754 = buffer 480 + fifo 1314 + queue 0 + OS 960": one side for
// people (the driver's log, asiohost).
inline std::string latencyPartsText(const char* name, const LatencyParts::Side& p) {
  return std::string(name) + " " + std::to_string(p.total) + " = buffer " + std::to_string(p.buffer) + " + fifo " +
         std::to_string(p.fifo) + " + queue " + std::to_string(p.queue) + " + OS " + std::to_string(p.os);
}

}  // namespace a2w::vendor
