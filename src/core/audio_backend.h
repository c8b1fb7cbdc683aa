// The abstract audio backend the driver core runs on. The WASAPI backend
// (src/wasapi) implements it on Windows; tests use a fake one that produces
// periods on demand. Portable: no Windows types cross this interface.
//
// Lifecycle, driven by the core from the host's calls:
//   open(settings)      at init: find the endpoints, describe what they offer
//   prepare(request)    at createBuffers: create the streams, fix the format
//   start(handler)      at start: the backend begins calling processPeriod
//   stop()              at stop: returns once no processPeriod is running
//   unprepare()         at disposeBuffers: release the streams
//   close()             when the driver is released (or re-initialised)
//
// Device events (DeviceEvent) may come at any time between open() and
// close(), streaming or not, from a thread of the backend's own: the core
// sets where they go with setEventHandler() before its first open().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/device_format.h"
#include "core/driver_settings.h"
#include "core/status.h"

namespace a2w {

enum class Direction : std::uint8_t { Render, Capture };

struct EndpointInfo {
  std::string id;        // stable endpoint id
  std::string name;      // friendly name, UTF-8
  Direction direction = Direction::Render;
  bool isDefault = false;  // the default console endpoint of its direction
  int mixChannels = 0;
  double mixSampleRate = 0;
  DeviceSampleFormat mixFormat = DeviceSampleFormat::Float32;
  std::int32_t defaultPeriodFrames = 0;  // at the mix rate
  std::int32_t minimumPeriodFrames = 0;
};

// The buffer sizes the host may choose, in ASIO's terms: granularity -1 means
// powers of two from min to max; 0 means only `preferred` (min == max);
// n > 0 means min, min + n, ... up to max.
struct BufferSizeOptions {
  std::int32_t minimum = 0;
  std::int32_t maximum = 0;
  std::int32_t preferred = 0;
  std::int32_t granularity = 0;
};

// What the opened endpoints offer, known after open() and before prepare().
struct DeviceDescription {
  struct Side {
    bool present = false;          // false: no stream in this direction ("none")
    std::string endpointName;      // friendly name of the endpoint
    std::vector<std::string> channelNames;  // one per channel ("Front Left", ...)
  };
  Side render;   // ASIO output channels
  Side capture;  // ASIO input channels
  std::vector<double> sampleRates;  // rates prepare() accepts, ascending
  double defaultSampleRate = 0;     // the rate to start at
  // Buffer sizes at a given rate: the device's periods scale with the rate.
  // Entries parallel sampleRates.
  std::vector<BufferSizeOptions> bufferSizes;
};

struct StreamRequest {
  double sampleRate = 0;
  std::int32_t bufferFrames = 0;  // the ASIO buffer size = one period
  bool render = false;            // open the render stream (host uses outputs)
  bool capture = false;           // open the capture stream (host uses inputs)
};

// What prepare() opened.
struct StreamInfo {
  StreamMode mode = StreamMode::SharedEvent;  // the mode actually running, never Auto
  std::int32_t bufferFrames = 0;              // may differ from the request (alignment)
  struct Side {
    bool active = false;
    DeviceSampleFormat format = DeviceSampleFormat::Float32;
    int channels = 0;
    // Frames of delay the device and the OS add beyond the ASIO buffer
    // itself (WASAPI stream latency, engine buffering), in host frames (at
    // the request's rate). Render at another device rate: beyond one device
    // period (packetFrames) instead of one ASIO buffer.
    std::int32_t extraLatencyFrames = 0;
    // The part of extraLatencyFrames the OS reports (WASAPI's
    // GetStreamLatency) rather than the backend's own queueing: the driver
    // passes it on but cannot check it (vendor::LatencyParts::os).
    std::int32_t osLatencyFrames = 0;
    // Capture: the frames one packet normally carries (the device period);
    // the core sizes its input FIFO from it.
    // Render at another device rate: the device frames a period normally
    // carries (Period::frames; 0: the ASIO buffer's worth at the device rate).
    std::int32_t packetFrames = 0;
    // The rate the device runs at (0: the request's rate). Render: when it
    // differs from the request's rate, the core resamples the host's output
    // (host rate -> this rate) and the periods are in device frames (see
    // Period). Capture: the core's input FIFO resamples (this -> host rate).
    double deviceSampleRate = 0;
    // Capture: how late a packet may come after the frames it holds were
    // captured, beyond one packet, in device frames: timer-driven streams
    // (shared mode, polling) can be up to a period late; exclusive-event
    // capture is clocked by the device itself (0). The input FIFO starts
    // with this much margin (and grows it if the device is later still).
    std::int32_t timingJitterFrames = 0;
  };
  Side render;
  Side capture;
  // Capture and render run on one hardware clock (the same physical device),
  // so the input FIFO needs no drift compensation.
  bool captureSharesRenderClock = false;
  // No render stream: the backend calls processPeriod(render = null) each
  // time it has delivered one buffer's worth of capture frames.
  bool captureDrivesPeriods = false;
  std::string description;  // one line for logs and the panel, e.g. "exclusive-event float32 2ch 48000 Hz"
};

// Captured frames, handed to the core on the audio thread as the device
// delivers them: zero or more packets before each processPeriod.
struct CapturePacket {
  const std::byte* data = nullptr;  // interleaved, device format; may be null when silent
  std::int32_t frames = 0;
  bool silent = false;              // AUDCLNT_BUFFERFLAGS_SILENT: treat as zeros
  bool discontinuity = false;       // the device lost frames before this packet
  std::uint64_t deviceTimeNs = 0;   // capture time of the first frame, timeGetTime() base; 0 = unknown
  // When the backend took the packet from the OS, on the periods' clock
  // (0 = unknown). No frame was captured after it: the input FIFO counts
  // the frames in flight from the earlier of this and the stamp's packet
  // end, so an OS that stamps packets when it hands them over (Wine) or
  // not at all still has its in-flight frames counted (input_fifo.h).
  std::uint64_t arrivalNs = 0;
};

// One period handed to the core on the audio thread. The render buffer is
// interleaved in the device format and holds `frames` frames. (Capture
// comes separately, as CapturePackets, before the periods that use it.)
//
// What `frames` is:
//  - render at the request's rate (render.deviceSampleRate 0 or equal to
//    it), and input-only streams: exactly one ASIO buffer
//    (StreamInfo::bufferFrames); the core runs one bufferSwitch per period;
//  - render at another device rate: any number >= 0 of DEVICE frames (at
//    render.deviceSampleRate), normally render.packetFrames (the engine
//    period), possibly more or fewer (what the WASAPI buffer has room for).
//    The core fills all of them from its resampler and runs a bufferSwitch
//    each time the resampler needs the next host buffer: 0, 1 or more per
//    period, one ASIO buffer per device-rate-converted ASIO buffer on
//    average. `systemTimeNs` is then the time of the period's first device
//    frame; the core stamps each host buffer with it plus the offset (at the
//    device rate) of the device frame where that buffer's first frame is
//    first needed.
//
// systemTimeNs is the period's on-time moment: when a backend that queues
// ahead (shared mode, polling) writes a period late, it stamps it with the
// time it would have been written on time (core/render_queue.h), so the
// periods of one catch-up burst carry evenly spaced times.
struct Period {
  std::byte* render = nullptr;         // null when there is no render stream
  std::int32_t frames = 0;
  std::uint64_t systemTimeNs = 0;  // period boundary, nanoseconds on the timeGetTime() base
  // > 0: the render device ran dry before this period (the audio thread
  // woke too late), for about this many device frames: everything from
  // here on plays that much later. The core counts an xrun, tells the host
  // (kResyncRequest) and realigns the input FIFO to its target.
  std::int32_t renderUnderrunFrames = 0;
  // > 0: the render engine itself fell this many device frames behind the
  // system clock since the last period (core/engine_clock_watch.h): its own
  // late pass, which no padding shows. The device behind it most likely
  // played silence for up to that long (under Wine, PulseAudio ran dry); how
  // much no WASAPI call tells. The core counts an xrun, tells the host
  // (kResyncRequest) and realigns the input FIFO, as for an underrun.
  std::int32_t renderEngineLateFrames = 0;
  // Device frames the backend now keeps queued beyond the queue its
  // StreamInfo latency counts (the adaptive safety margin: 0 at start,
  // a period more after each underrun, up to the cap). The core adds it to
  // the output latency and sends kLatenciesChanged when it changes.
  std::int32_t renderSafetyFrames = 0;
};

enum class DeviceEvent : std::uint8_t {
  Lost,            // the endpoint was removed, disabled or invalidated
  DefaultChanged,  // the default endpoint changed and we follow it
  FormatChanged,   // the device format changed under us
  Stalled,         // no period for several periods' worth of time, even after a restart
  Failed,          // the stream failed for another reason (a WASAPI call returned an error)
};

// Implemented by the core.
class PeriodHandler {
 public:
  // On the audio thread: no allocation, no locks, no I/O.
  virtual void processPeriod(const Period& period) noexcept = 0;
  // On the audio thread, before the processPeriod the frames belong to.
  virtual void captureArrived(const CapturePacket& packet) noexcept = 0;
  // From a backend thread that is neither the audio thread nor the host's
  // (so the handler may call the host, and the host may call stop(),
  // disposeBuffers or even Release from inside it); must return promptly
  // enough that later events are not held up for long.
  virtual void deviceEvent(DeviceEvent event) noexcept = 0;

 protected:
  ~PeriodHandler() = default;
};

class AudioBackend {
 public:
  virtual ~AudioBackend() = default;

  virtual std::vector<EndpointInfo> listEndpoints() = 0;

  virtual Status open(const DriverSettings& settings, DeviceDescription* description) = 0;
  virtual Status prepare(const StreamRequest& request, StreamInfo* info) = 0;
  virtual Status start(PeriodHandler* handler) = 0;
  virtual void stop() = 0;  // idempotent; returns once no processPeriod is running
  virtual void unprepare() = 0;  // idempotent
  virtual void close() = 0;      // idempotent

  // Where device events go from now on (whether a stream runs or not);
  // null: nowhere. Set by the core before its first open(). Backends that
  // report no events may ignore it.
  virtual void setEventHandler(PeriodHandler* handler) { (void)handler; }
  // The time now on the Period::systemTimeNs base (nanoseconds, the
  // timeGetTime() base), for the core to see a host callback overrun its
  // period. Called on the audio thread: no locks, no allocation. 0: the
  // backend has no clock (overloads are then not measured).
  virtual std::uint64_t nowNs() const noexcept { return 0; }
};

}  // namespace a2w
