// What an opened render endpoint offers, in ASIO's terms (rates, buffer
// sizes, channel names), for one stream mode.
#pragma once

#include <windows.h>
#include <audioclient.h>
#include <mmdeviceapi.h>

#include <cstdint>

#include "core/audio_backend.h"
#include "core/driver_settings.h"

namespace a2w::wasapi {

// The rates we probe besides the mix rate.
const std::vector<double>& commonSampleRates();

// The largest ASIO buffer we offer: far beyond what anyone asks of a
// low-latency driver, still small enough for every WASAPI buffer limit.
constexpr std::int32_t kMaxBufferFrames = 8192;

// Fills sampleRates, defaultSampleRate and bufferSizes for `mode` (never
// Auto) using a probe client (not initialised; only queried).
//  - exclusive: rates where some exclusive format is accepted; buffers from
//    the minimum device period up to kMaxBufferFrames, preferred = default
//    device period (or settings.bufferFrames), granularity 1 (the alignment
//    retry adjusts sizes the hardware cannot do exactly);
//  - shared: the mix rate plus rates IsFormatSupported(SHARED) takes
//    exactly; minimum = the engine period (IAudioClient3's minimum when it
//    answers, else the default device period: the period the engine
//    really runs at), preferred = default period.
HRESULT describeRenderOffer(IAudioClient* probe, const WAVEFORMATEX& mix, StreamMode mode,
                            const DriverSettings& settings, DeviceDescription* description);

}  // namespace a2w::wasapi
