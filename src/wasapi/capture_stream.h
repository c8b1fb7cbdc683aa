// The capture side of a running WASAPI stream: an initialised IAudioClient
// plus its IAudioCaptureClient. Same shape as RenderStream; the audio thread
// drains it packet by packet and hands each packet to
// PeriodHandler::captureArrived.
//
// Modes:
//   ExclusiveEvent  one event per device period; a packet = one ASIO buffer.
//   ExclusivePoll   a buffer of two periods, drained from the poll timer.
//   SharedEvent     the engine's format; packets of one engine period. The
//                   stream runs at the host's rate when the engine takes it
//                   exactly, else at the mix rate (deviceSampleRate tells
//                   the core to resample).
//   loopback        SharedEvent with AUDCLNT_STREAMFLAGS_LOOPBACK on a render
//                   endpoint, and no event: polled (event() is null).
#pragma once

#include <windows.h>
#include <audioclient.h>
#include <wrl/client.h>

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/audio_backend.h"
#include "core/status.h"
#include "wasapi/mode_negotiation.h"
#include "wasapi/time_base.h"

namespace a2w::wasapi {

class CaptureStream {
 public:
  // Takes the initialised client and gets its capture service. hostRate is
  // the rate the host runs at (latency figures are reported in its frames).
  static Status create(InitializedClient client, bool loopback, double hostRate,
                       std::unique_ptr<CaptureStream>* out);

  StreamMode mode() const { return client_.mode; }
  bool loopback() const { return loopback_; }
  const WAVEFORMATEXTENSIBLE& format() const { return client_.format; }
  double deviceRate() const { return client_.format.Format.nSamplesPerSec; }
  // The frames one packet normally carries (device frames).
  std::int32_t packetFrames() const { return client_.devicePeriodFrames; }
  // The WASAPI event, or null when the stream is polled (ExclusivePoll, loopback).
  HANDLE event() const { return client_.event.get(); }
  // drivesPeriods: no render stream, the capture runs the periods (input only).
  StreamInfo::Side info(bool drivesPeriods) const;

  HRESULT start();
  // Stop only (the audio thread calls this when its loop ends).
  void halt() noexcept;
  // Stop and Start again (the watchdog; audio thread).
  HRESULT restart() noexcept;
  // Packets handed to the handler since creation (audio thread only).
  std::uint64_t packetsDelivered() const noexcept { return delivered_; }
  // Stop and Reset: the next start begins with an empty buffer.
  void stop();

  // Audio thread: hands the next packet the device holds to the handler and
  // releases it. *frames = the packet's frames, 0 when no packet was ready.
  // No allocation, no locks, no waits.
  HRESULT deliverOne(PeriodHandler& handler, const TimeBase& clock, std::uint32_t* frames) noexcept;

 private:
  CaptureStream(InitializedClient client, bool loopback, double hostRate)
      : client_(std::move(client)), loopback_(loopback), hostRate_(hostRate) {}

  InitializedClient client_;
  Microsoft::WRL::ComPtr<IAudioCaptureClient> capture_;
  bool loopback_ = false;
  double hostRate_ = 0;
  std::uint64_t delivered_ = 0;
};

}  // namespace a2w::wasapi
