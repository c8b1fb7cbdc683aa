// asio2wasapi's own future() selectors, for hosts that know us (our
// asiohost, our control panel). Any other driver answers them like every
// unknown selector (ASE_InvalidParameter), so a host can simply try.
// The values sit far from ASIO's own selectors and spell "A2W".
#pragma once

#include <cstddef>
#include <cstdint>

namespace a2w::vendor {

// future(kGetStreamStatus, char text[kStreamStatusBytes]): a NUL-terminated
// line saying what is running, e.g. "shared-event float32 2ch 48000 Hz,
// 480 frames". ASE_SUCCESS once createBuffers opened the streams;
// ASE_NotPresent before; ASE_InvalidParameter for a null pointer.
constexpr std::int32_t kGetStreamStatus = 0x41325701;
constexpr std::size_t kStreamStatusBytes = 256;

}  // namespace a2w::vendor
