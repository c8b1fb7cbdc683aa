// ASIO's buffer size rules (getBufferSize's granularity) in one place, so
// getBufferSize and createBuffers can never disagree about what is offered.
#pragma once

#include <cstdint>
#include <string>

#include "core/audio_backend.h"

namespace a2w {

// True when the host may ask createBuffers for `frames`:
//   granularity -1: a power of two from minimum to maximum;
//   granularity  0: only the preferred size;
//   granularity  n: minimum + k*n, up to maximum.
// The preferred size is always accepted: getBufferSize reports it, so a
// host that simply takes it must never be refused.
bool isOfferedBufferSize(const BufferSizeOptions& options, std::int32_t frames);

// The options with the user's preferred size applied, when the device offers
// it (settings.bufferFrames; 0 keeps the device's preference).
BufferSizeOptions applyPreferredSize(BufferSizeOptions options, std::int32_t wantedFrames);

// "powers of two from 64 to 2048", "only 480", "64 to 2048 in steps of 32":
// for error messages.
std::string describeBufferSizes(const BufferSizeOptions& options);

// The entry of description.bufferSizes for `rate` (exact match: the core only
// ever holds rates taken from description.sampleRates), or nullptr.
const BufferSizeOptions* bufferSizesAtRate(const DeviceDescription& description, double rate);

}  // namespace a2w
