#include "wasapi/mode_negotiation.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/sample_rates.h"
#include "wasapi/co_task_mem.h"
#include "wasapi/hresult_name.h"
#include "wasapi/wave_format.h"

using Microsoft::WRL::ComPtr;

namespace a2w::wasapi {
namespace {

bool isModeRefusal(HRESULT hr) {
  // Answers that say "not this mode / not now" rather than "not this format":
  // worth reporting over UNSUPPORTED_FORMAT when every format failed.
  return FAILED(hr) && hr != AUDCLNT_E_UNSUPPORTED_FORMAT && hr != E_INVALIDARG;
}

std::string exclusiveRefusalReason(HRESULT hr, double rate) {
  // A mode refusal (EXCLUSIVE_MODE_NOT_ALLOWED, DEVICE_IN_USE) speaks for
  // itself; a format refusal needs the rate to make sense.
  if (isModeRefusal(hr)) return hresultName(hr);
  return hresultName(hr) + " (no exclusive format at " + formatRate(rate) + ")";
}

std::string modeName(StreamMode m) { return std::string(toString(m)); }

HRESULT finishInitialize(InitializedClient* out, std::string* why) {
  if (out->event) {
    const HRESULT hr = out->client->SetEventHandle(out->event.get());
    if (FAILED(hr)) {
      *why = "SetEventHandle: " + hresultName(hr);
      return hr;
    }
  }
  UINT32 frames = 0;
  HRESULT hr = out->client->GetBufferSize(&frames);
  if (FAILED(hr)) {
    *why = "GetBufferSize: " + hresultName(hr);
    return hr;
  }
  out->bufferFrames = frames;
  REFERENCE_TIME latency = 0;
  // Some drivers do not report a latency; it only feeds getLatencies, so a
  // failure here is not worth refusing the stream for.
  if (SUCCEEDED(out->client->GetStreamLatency(&latency))) out->streamLatency = latency;
  return S_OK;
}

// The common start of both exclusive modes: the format, and the device's
// minimum period with the host's period raised to it.
HRESULT prepareExclusive(const ClientSetup& setup, InitializedClient* out, std::string* why,
                         REFERENCE_TIME* period, REFERENCE_TIME* minimumPeriod) {
  const HRESULT hr = negotiateExclusiveFormat(out->client.Get(), setup.sampleRate, setup.channels,
                                              setup.channelMask, &out->format);
  if (FAILED(hr)) {
    *why = exclusiveRefusalReason(hr, setup.sampleRate);
    return hr;
  }
  REFERENCE_TIME defaultPeriod = 0;
  *minimumPeriod = 0;
  out->client->GetDevicePeriod(&defaultPeriod, minimumPeriod);
  *period = refTimeFromFrames(setup.periodFrames, setup.sampleRate);
  if (*minimumPeriod > 0 && *period < *minimumPeriod) *period = *minimumPeriod;
  return S_OK;
}

struct ExclusiveTiming {
  REFERENCE_TIME buffer = 0;
  REFERENCE_TIME period = 0;
};

// Initialize in exclusive mode with `timing`. On AUDCLNT_E_BUFFER_SIZE_NOT_ALIGNED,
// Microsoft's documented dance: the failed client still reports the aligned
// buffer size; `realign` turns it into a new timing, and a fresh client is
// initialised with it (the failed one cannot be initialised again). `timing`
// ends as what was used; `misaligned` names what was not aligned in the note.
template <typename Realign>
HRESULT initializeExclusiveAligned(IMMDevice* device, const ClientSetup& setup, DWORD flags,
                                   const std::string& misaligned, Realign realign, ExclusiveTiming* timing,
                                   InitializedClient* out, std::string* why, std::vector<std::string>* notes) {
  const WAVEFORMATEX* fmt = &out->format.Format;
  HRESULT hr = out->client->Initialize(AUDCLNT_SHAREMODE_EXCLUSIVE, flags, timing->buffer, timing->period, fmt,
                                       nullptr);
  if (hr == AUDCLNT_E_BUFFER_SIZE_NOT_ALIGNED) {
    UINT32 aligned = 0;
    hr = out->client->GetBufferSize(&aligned);
    if (FAILED(hr) || aligned == 0) {
      *why = "AUDCLNT_E_BUFFER_SIZE_NOT_ALIGNED and no aligned size (" + hresultName(hr) + ")";
      return FAILED(hr) ? hr : AUDCLNT_E_BUFFER_SIZE_NOT_ALIGNED;
    }
    notes->push_back(modeName(setup.mode) + ": " + misaligned + " not aligned, device aligns to " +
                     std::to_string(aligned));
    out->client.Reset();
    hr = activateClient(device, &out->client);
    if (FAILED(hr)) {
      *why = "Activate after alignment: " + hresultName(hr);
      return hr;
    }
    *timing = realign(aligned);
    hr = out->client->Initialize(AUDCLNT_SHAREMODE_EXCLUSIVE, flags, timing->buffer, timing->period, fmt, nullptr);
  }
  if (FAILED(hr)) {
    *why = hresultName(hr);
    return hr;
  }
  return S_OK;
}

// ExclusiveEvent: buffer == period == the ASIO buffer, one event per period.
HRESULT initializeExclusiveEvent(IMMDevice* device, const ClientSetup& setup, InitializedClient* out,
                                 std::string* why, std::vector<std::string>* notes) {
  REFERENCE_TIME period = 0, minimumPeriod = 0;
  HRESULT hr = prepareExclusive(setup, out, why, &period, &minimumPeriod);
  if (FAILED(hr)) return hr;
  ExclusiveTiming timing{period, period};
  const auto realign = [&](UINT32 aligned) {
    const REFERENCE_TIME p = refTimeFromFrames(aligned, setup.sampleRate);
    return ExclusiveTiming{p, p};
  };
  hr = initializeExclusiveAligned(device, setup, AUDCLNT_STREAMFLAGS_EVENTCALLBACK,
                                  std::to_string(setup.periodFrames) + " frames", realign, &timing, out, why, notes);
  if (FAILED(hr)) return hr;
  out->event.reset(CreateEventW(nullptr, FALSE, FALSE, nullptr));
  if (!out->event) {
    hr = HRESULT_FROM_WIN32(GetLastError());
    *why = "CreateEvent: " + hresultName(hr);
    return hr;
  }
  hr = finishInitialize(out, why);
  if (FAILED(hr)) return hr;
  out->periodFrames = static_cast<std::int32_t>(out->bufferFrames);
  out->devicePeriodFrames = out->periodFrames;
  return S_OK;
}

// ExclusivePoll: a buffer of about two ASIO periods, filled from a timer.
HRESULT initializeExclusivePoll(IMMDevice* device, const ClientSetup& setup, InitializedClient* out,
                                std::string* why, std::vector<std::string>* notes) {
  REFERENCE_TIME period = 0, minimumPeriod = 0;
  HRESULT hr = prepareExclusive(setup, out, why, &period, &minimumPeriod);
  if (FAILED(hr)) return hr;
  REFERENCE_TIME buffer = refTimeFromFrames(2 * static_cast<std::int64_t>(setup.periodFrames), setup.sampleRate);
  if (buffer < 2 * period) buffer = 2 * period;
  ExclusiveTiming timing{buffer, period};
  const auto realign = [&](UINT32 aligned) {
    const REFERENCE_TIME b = refTimeFromFrames(aligned, setup.sampleRate);
    return ExclusiveTiming{b, std::max<REFERENCE_TIME>(b / 2, minimumPeriod)};
  };
  hr = initializeExclusiveAligned(device, setup, 0, "buffer", realign, &timing, out, why, notes);
  if (FAILED(hr)) return hr;
  hr = finishInitialize(out, why);
  if (FAILED(hr)) return hr;
  if (out->bufferFrames < static_cast<std::uint32_t>(setup.periodFrames)) {
    *why = "buffer of " + std::to_string(out->bufferFrames) + " frames cannot hold a period of " +
           std::to_string(setup.periodFrames);
    return AUDCLNT_E_BUFFER_SIZE_ERROR;
  }
  out->periodFrames = setup.periodFrames;
  out->devicePeriodFrames = std::max(framesFromRefTime(timing.period, setup.sampleRate), 1);
  return S_OK;
}

// SharedEvent: the engine's format; IAudioClient3's low-latency engine
// period when the system has it, else a plain buffer of ASIO buffer + one
// engine period.
HRESULT initializeSharedEvent(IMMDevice* device, const ClientSetup& setup, InitializedClient* out,
                              std::string* why, std::vector<std::string>* notes) {
  if (!setup.mixFormat) {
    *why = "no mix format";
    return E_POINTER;
  }
  const double mixRate = setup.mixFormat->nSamplesPerSec;
  const bool atMixRate = std::lround(setup.sampleRate) == std::lround(mixRate);
  HRESULT hr = S_OK;
  if (setup.forceMixRate && !atMixRate) {
    notes->push_back("shared-event: " + formatRate(setup.sampleRate) + " resampled to the mix rate " +
                     formatRate(mixRate) + " (shared-mode resampling: always)");
    hr = negotiateSharedFormat(out->client.Get(), *setup.mixFormat, mixRate, &out->format);
  } else {
    hr = negotiateSharedFormat(out->client.Get(), *setup.mixFormat, setup.sampleRate, &out->format);
    if (FAILED(hr) && setup.allowMixRate && !atMixRate) {
      notes->push_back("shared-event: " + formatRate(setup.sampleRate) + " not taken (" + hresultName(hr) +
                       "), opening at the mix rate " + formatRate(mixRate));
      hr = negotiateSharedFormat(out->client.Get(), *setup.mixFormat, mixRate, &out->format);
    }
  }
  if (FAILED(hr)) {
    *why = hresultName(hr) + " (shared mode does not take " + formatRate(setup.sampleRate) + ")";
    return hr;
  }
  const WAVEFORMATEX* fmt = &out->format.Format;
  // The rate the engine runs this stream at (the host's rate, or the mix
  // rate when allowMixRate had to fall back to it).
  const double deviceRate = fmt->nSamplesPerSec;
  const DWORD flags = setup.loopback ? AUDCLNT_STREAMFLAGS_LOOPBACK : AUDCLNT_STREAMFLAGS_EVENTCALLBACK;
  bool initialised = false;

  ComPtr<IAudioClient3> client3;
  // IAudioClient3's low-latency streams are for event-driven streams; a
  // polled loopback stream gains nothing from them.
  if (!setup.loopback && SUCCEEDED(out->client.As(&client3))) {
    UINT32 defaultFrames = 0, fundamental = 0, minimum = 0, maximum = 0;
    hr = client3->GetSharedModeEnginePeriod(fmt, &defaultFrames, &fundamental, &minimum, &maximum);
    if (SUCCEEDED(hr)) {
      hr = client3->InitializeSharedAudioStream(flags, minimum, fmt, nullptr);
      if (SUCCEEDED(hr)) {
        UINT32 frames = 0;
        out->client->GetBufferSize(&frames);
        if (frames >= static_cast<std::uint32_t>(framesFromRefTime(
                          refTimeFromFrames(setup.periodFrames, setup.sampleRate), deviceRate)) +
                          minimum) {
          initialised = true;
          out->devicePeriodFrames = static_cast<std::int32_t>(minimum);
          notes->push_back("shared-event: IAudioClient3 engine period " + std::to_string(minimum) + " frames");
        } else {
          notes->push_back("shared-event: IAudioClient3 buffer of " + std::to_string(frames) +
                           " frames too small for " + std::to_string(setup.periodFrames) +
                           ", using IAudioClient::Initialize");
        }
      } else {
        notes->push_back("shared-event: InitializeSharedAudioStream: " + hresultName(hr) +
                         ", using IAudioClient::Initialize");
      }
      if (!initialised) {
        // The client may be initialised (or half so): start from a fresh one.
        client3.Reset();
        out->client.Reset();
        hr = activateClient(device, &out->client);
        if (FAILED(hr)) {
          *why = "Activate: " + hresultName(hr);
          return hr;
        }
      }
    } else {
      notes->push_back("shared-event: IAudioClient3 GetSharedModeEnginePeriod: " + hresultName(hr) +
                       ", using IAudioClient::Initialize");
    }
  }

  if (!initialised) {
    REFERENCE_TIME defaultPeriod = 0;
    REFERENCE_TIME minimumPeriod = 0;
    out->client->GetDevicePeriod(&defaultPeriod, &minimumPeriod);
    const std::int32_t engineFrames = framesFromRefTime(defaultPeriod, setup.sampleRate);
    const REFERENCE_TIME buffer = refTimeFromFrames(setup.periodFrames + engineFrames, setup.sampleRate);
    // Room for a safety margin: first learn the buffer the engine gives for
    // the smallest request (Wine makes it three engine periods, Windows
    // about what was asked): that is the queue to start at. Then open a
    // fresh client with the margin's room on top (a client initialises
    // once). If the larger buffer is refused, the smallest one it is.
    REFERENCE_TIME request = buffer;
    if (setup.safetyRoomFrames > 0 && !setup.loopback) {
      hr = out->client->Initialize(AUDCLNT_SHAREMODE_SHARED, flags, buffer, 0, fmt, nullptr);
      UINT32 smallest = 0;
      if (SUCCEEDED(hr)) hr = out->client->GetBufferSize(&smallest);
      if (FAILED(hr)) {
        *why = hresultName(hr);
        return hr;
      }
      hr = activateClient(device, &out->client);
      if (FAILED(hr)) {
        *why = "Activate: " + hresultName(hr);
        return hr;
      }
      out->minimumQueueFrames = smallest;
      request = refTimeFromFrames(static_cast<std::int64_t>(smallest) + setup.safetyRoomFrames, deviceRate);
    }
    hr = out->client->Initialize(AUDCLNT_SHAREMODE_SHARED, flags, request, 0, fmt, nullptr);
    if (FAILED(hr) && request != buffer) {
      notes->push_back("shared-event: a buffer with room for the safety margin refused (" + hresultName(hr) +
                       "), no margin");
      out->minimumQueueFrames = 0;
      hr = activateClient(device, &out->client);
      if (SUCCEEDED(hr)) hr = out->client->Initialize(AUDCLNT_SHAREMODE_SHARED, flags, buffer, 0, fmt, nullptr);
    }
    if (FAILED(hr)) {
      *why = hresultName(hr);
      return hr;
    }
    out->devicePeriodFrames = std::max(framesFromRefTime(defaultPeriod, deviceRate), 1);
  }
  if (!setup.loopback) {
    out->event.reset(CreateEventW(nullptr, FALSE, FALSE, nullptr));
    if (!out->event) {
      hr = HRESULT_FROM_WIN32(GetLastError());
      *why = "CreateEvent: " + hresultName(hr);
      return hr;
    }
  }
  hr = finishInitialize(out, why);
  if (FAILED(hr)) return hr;
  // The buffer is in device frames; the period in the host's.
  const std::int32_t periodAtDeviceRate =
      framesFromRefTime(refTimeFromFrames(setup.periodFrames, setup.sampleRate), deviceRate);
  if (out->bufferFrames < static_cast<std::uint32_t>(periodAtDeviceRate)) {
    *why = "shared buffer of " + std::to_string(out->bufferFrames) + " frames cannot hold a period of " +
           std::to_string(setup.periodFrames);
    return AUDCLNT_E_BUFFER_SIZE_ERROR;
  }
  out->periodFrames = setup.periodFrames;
  return S_OK;
}

}  // namespace

HRESULT activateClient(IMMDevice* device, ComPtr<IAudioClient>* out) {
  out->Reset();
  return device->Activate(__uuidof(IAudioClient), CLSCTX_ALL, nullptr,
                          reinterpret_cast<void**>(out->ReleaseAndGetAddressOf()));
}

const std::vector<DeviceSampleFormat>& exclusiveFormatPreference() {
  static const std::vector<DeviceSampleFormat> kOrder = {
      DeviceSampleFormat::Float32, DeviceSampleFormat::Int32, DeviceSampleFormat::Int24In32,
      DeviceSampleFormat::Int24Packed, DeviceSampleFormat::Int16};
  return kOrder;
}

HRESULT negotiateExclusiveFormat(IAudioClient* client, double rate, int channels, DWORD channelMask,
                                 WAVEFORMATEXTENSIBLE* out) {
  HRESULT worst = AUDCLNT_E_UNSUPPORTED_FORMAT;
  for (DeviceSampleFormat f : exclusiveFormatPreference()) {
    const WAVEFORMATEXTENSIBLE candidate = makeWaveFormat(f, rate, channels, channelMask);
    // Exclusive mode has no "closest match": the out pointer must be null.
    const HRESULT hr = client->IsFormatSupported(AUDCLNT_SHAREMODE_EXCLUSIVE, &candidate.Format, nullptr);
    if (hr == S_OK) {
      *out = candidate;
      return S_OK;
    }
    if (isModeRefusal(hr) && !isModeRefusal(worst)) worst = hr;
  }
  return worst;
}

HRESULT negotiateSharedFormat(IAudioClient* client, const WAVEFORMATEX& mix, double rate,
                              WAVEFORMATEXTENSIBLE* result) {
  const auto sampleFormat = deviceFormatOf(mix);
  if (!sampleFormat) return AUDCLNT_E_UNSUPPORTED_FORMAT;
  if (std::lround(rate) == static_cast<long>(mix.nSamplesPerSec)) {
    // The mix format itself is what the engine runs: take it byte for byte,
    // so nothing in our re-spelling of it can make it "different".
    *result = WAVEFORMATEXTENSIBLE{};
    const std::size_t size = std::min(sizeof(WAVEFORMATEXTENSIBLE), sizeof(WAVEFORMATEX) + mix.cbSize);
    std::memcpy(result, &mix, size);
    if (mix.wFormatTag != WAVE_FORMAT_EXTENSIBLE) result->Format.cbSize = 0;
    // ... except a mask that does not name every channel (Wine reports such
    // masks for PulseAudio sinks with aux channels and refuses them back).
    if (mix.wFormatTag == WAVE_FORMAT_EXTENSIBLE) result->dwChannelMask = channelMaskFor(mix.nChannels, &mix);
    return S_OK;
  }
  const WAVEFORMATEXTENSIBLE candidate =
      makeWaveFormat(*sampleFormat, rate, mix.nChannels, channelMaskFor(mix.nChannels, &mix));
  WAVEFORMATEX* rawClosest = nullptr;
  const HRESULT hr = client->IsFormatSupported(AUDCLNT_SHAREMODE_SHARED, &candidate.Format, &rawClosest);
  const CoTaskMemPtr<WAVEFORMATEX> closest(rawClosest);  // only freed: we want the exact format or nothing
  if (hr != S_OK) return FAILED(hr) ? hr : AUDCLNT_E_UNSUPPORTED_FORMAT;  // S_FALSE: only a closest match
  *result = candidate;
  return S_OK;
}

HRESULT initializeClient(IMMDevice* device, const ClientSetup& setup, InitializedClient* out, std::string* why,
                         std::vector<std::string>* notes) {
  *out = InitializedClient{};
  out->mode = setup.mode;
  if (setup.sampleRate <= 0 || setup.channels <= 0 || setup.periodFrames <= 0) {
    *why = "invalid stream setup";
    return E_INVALIDARG;
  }
  HRESULT hr = activateClient(device, &out->client);
  if (FAILED(hr)) {
    *why = "Activate: " + hresultName(hr);
    return hr;
  }
  if (setup.loopback && setup.mode != StreamMode::SharedEvent) {
    *why = "loopback capture is shared mode only";
    *out = InitializedClient{};
    return AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED;
  }
  switch (setup.mode) {
    case StreamMode::ExclusiveEvent: hr = initializeExclusiveEvent(device, setup, out, why, notes); break;
    case StreamMode::ExclusivePoll: hr = initializeExclusivePoll(device, setup, out, why, notes); break;
    case StreamMode::SharedEvent: hr = initializeSharedEvent(device, setup, out, why, notes); break;
    case StreamMode::Auto:
      *why = "Auto is not a mode to initialise";
      return E_INVALIDARG;
  }
  if (FAILED(hr)) {
    *out = InitializedClient{};
    return hr;
  }
  const auto f = deviceFormatOf(out->format.Format);
  if (!f) {
    *why = "unusable format " + describeWaveFormat(out->format.Format);
    *out = InitializedClient{};
    return AUDCLNT_E_UNSUPPORTED_FORMAT;
  }
  out->sampleFormat = *f;
  return S_OK;
}

std::vector<StreamMode> modesToTry(StreamMode requested) {
  if (requested == StreamMode::Auto) {
    return {StreamMode::ExclusiveEvent, StreamMode::ExclusivePoll, StreamMode::SharedEvent};
  }
  return {requested};
}

Status openWithFallback(IMMDevice* device, const ClientSetup& setup, InitializedClient* out,
                        std::vector<std::string>* decisions, HRESULT* lastFailure) {
  if (lastFailure) *lastFailure = S_OK;
  std::string reasons;
  for (StreamMode mode : modesToTry(setup.mode)) {
    ClientSetup one = setup;
    one.mode = mode;
    std::string why;
    std::vector<std::string> notes;
    const HRESULT hr = initializeClient(device, one, out, &why, &notes);
    for (auto& n : notes) decisions->push_back(std::move(n));
    if (SUCCEEDED(hr)) {
      decisions->push_back(modeName(mode) + " chosen: " + describeWaveFormat(out->format.Format) + ", period " +
                           std::to_string(out->periodFrames) + " frames, WASAPI buffer " +
                           std::to_string(out->bufferFrames) + " frames");
      return Status::success();
    }
    if (lastFailure) *lastFailure = hr;
    const std::string line = modeName(mode) + " refused: " + why;
    decisions->push_back(line);
    if (!reasons.empty()) reasons += "; ";
    reasons += line;
  }
  return Status::failure(asio::err::kNotPresent, "The device refused every stream mode: " + reasons + ".");
}

}  // namespace a2w::wasapi
