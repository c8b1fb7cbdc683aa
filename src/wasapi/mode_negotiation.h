// Opening an IAudioClient in one of the WASAPI modes, and the Auto fallback
// chain. Direction-agnostic: the render and the capture stream use the same
// functions (they only differ in the service interface they get from the
// initialised client); capture adds two options, loopback and a shared
// stream at the mix rate when the host's rate is not taken exactly.
#pragma once

#include <windows.h>
#include <audioclient.h>
#include <mmdeviceapi.h>
#include <wrl/client.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/device_format.h"
#include "core/driver_settings.h"
#include "core/status.h"
#include "wasapi/unique_handle.h"

namespace a2w::wasapi {

struct ClientSetup {
  StreamMode mode = StreamMode::Auto;  // Auto only for openWithFallback()
  double sampleRate = 0;
  int channels = 0;
  DWORD channelMask = 0;
  std::int32_t periodFrames = 0;       // the ASIO buffer the host asked for
  const WAVEFORMATEX* mixFormat = nullptr;
  // Capture only: WASAPI loopback of a render endpoint (`device` is the
  // render endpoint). Shared mode only, and without EVENTCALLBACK: loopback
  // events are unreliable while nothing plays, so the stream is polled.
  bool loopback = false;
  // Shared mode: when the engine does not take sampleRate exactly, open at
  // the mix rate instead of failing (the core resamples: capture in its
  // input FIFO, render between the host's buffers and the device periods).
  bool allowMixRate = false;
  // Shared mode: open at the mix rate whenever sampleRate differs from it,
  // even when the engine would take sampleRate (SharedModeResample::Always;
  // Wine's engine takes most rates, so this is how the resampling path is
  // tested there).
  bool forceMixRate = false;
  // Render in shared mode: room in the buffer for this many device frames of
  // adaptive safety margin beyond the smallest buffer the engine gives for
  // our request (core/render_queue.h). 0: no room (the whole buffer is the
  // queue, as before the margin existed).
  std::int32_t safetyRoomFrames = 0;
};

struct InitializedClient {
  Microsoft::WRL::ComPtr<IAudioClient> client;
  StreamMode mode = StreamMode::SharedEvent;
  WAVEFORMATEXTENSIBLE format{};
  DeviceSampleFormat sampleFormat = DeviceSampleFormat::Float32;
  std::uint32_t bufferFrames = 0;  // the WASAPI buffer (GetBufferSize)
  std::int32_t periodFrames = 0;   // the ASIO buffer actually used (alignment may change it)
  // The device period in device frames: what one capture packet carries
  // (exclusive: the period we asked for; shared: the engine period).
  std::int32_t devicePeriodFrames = 0;
  // The queue to keep at start (device frames): the buffer the engine gave
  // for our smallest request, when the buffer was opened larger to leave
  // room for a safety margin (ClientSetup::safetyRoomFrames). 0: the whole buffer.
  std::uint32_t minimumQueueFrames = 0;
  UniqueHandle event;              // set in the event modes, null in ExclusivePoll and loopback
  REFERENCE_TIME streamLatency = 0;
};

// The exclusive formats we try, best first: float32, int32, int24-in-32,
// int24 packed, int16.
const std::vector<DeviceSampleFormat>& exclusiveFormatPreference();

// The first format of exclusiveFormatPreference() that IsFormatSupported
// (EXCLUSIVE) accepts at `rate` / `channels`. On failure returns the most
// telling refusal (a mode refusal such as EXCLUSIVE_MODE_NOT_ALLOWED beats
// the generic UNSUPPORTED_FORMAT).
HRESULT negotiateExclusiveFormat(IAudioClient* client, double rate, int channels, DWORD channelMask,
                                 WAVEFORMATEXTENSIBLE* out);

// The shared-mode format at `rate`: the mix format's sample type and channels,
// accepted by IsFormatSupported(SHARED) exactly (S_OK, not a closest match).
HRESULT negotiateSharedFormat(IAudioClient* client, const WAVEFORMATEX& mix, double rate,
                              WAVEFORMATEXTENSIBLE* out);

// Opens the client in exactly setup.mode (not Auto). On failure returns the
// HRESULT and puts a short reason in *why; `notes` collects what happened on
// the way (alignment retries, IAudioClient3 fallbacks).
HRESULT initializeClient(IMMDevice* device, const ClientSetup& setup, InitializedClient* out, std::string* why,
                         std::vector<std::string>* notes);

// The modes to try for a requested mode: Auto -> ExclusiveEvent,
// ExclusivePoll, SharedEvent; any other mode -> only itself.
std::vector<StreamMode> modesToTry(StreamMode requested);

// Tries modesToTry(setup.mode) in order and keeps the first that opens.
// Every refusal is appended to *decisions as
//   "exclusive-event refused: AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED (0x8889000E)"
// and the success as "shared-event chosen: float32 2ch 48000 Hz, ...".
// `lastFailure` (optional) gets the last refusal's HRESULT (S_OK when none).
Status openWithFallback(IMMDevice* device, const ClientSetup& setup, InitializedClient* out,
                        std::vector<std::string>* decisions, HRESULT* lastFailure = nullptr);

HRESULT activateClient(IMMDevice* device, Microsoft::WRL::ComPtr<IAudioClient>* out);

}  // namespace a2w::wasapi
