// What an opened endpoint offers, in ASIO's terms (rates, buffer sizes), for
// one stream mode; and what a render and a capture endpoint offer together.
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
// The smallest ASIO buffer shared mode offers: the core plays the host's
// buffers across the engine's periods (driver_core_rebuffer.cpp), so any
// size works there; some hosts and plugins need 32 or 64.
constexpr std::int32_t kMinSharedBufferFrames = 32;

// Fills sampleRates, defaultSampleRate and bufferSizes for `mode` (never
// Auto) using a probe client (not initialised; only queried).
//  - exclusive: rates where some exclusive format is accepted; buffers from
//    the minimum device period up to kMaxBufferFrames, preferred = default
//    device period (or settings.bufferFrames), granularity 1 (the alignment
//    retry adjusts sizes the hardware cannot do exactly);
//  - shared: the mix rate plus rates IsFormatSupported(SHARED) takes
//    exactly (OfferOptions::resampledRates: every candidate rate); every
//    size from kMinSharedBufferFrames to kMaxBufferFrames, granularity 1
//    (the stream writes engine periods and the core rebuffers), preferred =
//    the default device period (or settings.bufferFrames).
HRESULT describeRenderOffer(IAudioClient* probe, const WAVEFORMATEX& mix, StreamMode mode,
                            const DriverSettings& settings, DeviceDescription* description);

struct OfferOptions {
  // Shared mode: every candidate rate (commonSampleRates(), the mix rate,
  // extraRates) is offered, not only those the engine takes exactly; the
  // stream then runs at the mix rate and the core resamples
  // (StreamInfo::Side::deviceSampleRate). Exclusive modes ignore it.
  bool resampledRates = false;
  // Rates to probe besides commonSampleRates() and the mix rate (the other
  // side's mix rate).
  std::vector<double> extraRates;
};

// describeRenderOffer for either direction (loopback: the render endpoint's
// probe client and mix format, shared mode).
HRESULT describeOffer(IAudioClient* probe, const WAVEFORMATEX& mix, StreamMode mode, const DriverSettings& settings,
                      const OfferOptions& options, DeviceDescription* description);

// Duplex: keeps the rates both descriptions offer, each with the buffer sizes
// both take (minimum the larger, maximum the smaller; preferred the first's,
// clamped, then settings.bufferFrames when offered). The default rate is
// settings.sampleRate, else `preferredRate`, else the first rate left.
// False when no rate is left.
bool intersectOffers(const DeviceDescription& other, const DriverSettings& settings, double preferredRate,
                     DeviceDescription* inout);

}  // namespace a2w::wasapi
