// DriverCore: the questions a host asks between init and start (channels,
// latencies, buffer sizes, rates, channel info) and getSamplePosition.
#include <cmath>
#include <string>

#include "core/buffer_size_rules.h"
#include "core/driver_core.h"
#include "core/driver_core_impl.h"
#include "core/fixed_text.h"
#include "core/sample_rates.h"

namespace a2w {

namespace {
bool initialised(DriverState s) { return s != DriverState::Loaded; }
bool hasBuffers(DriverState s) { return s == DriverState::Prepared || s == DriverState::Running; }

std::string notInitialised(const char* method) { return std::string(method) + ": call init first"; }
std::string nullPointer(const char* method) { return std::string(method) + ": the host passed a null pointer"; }
}  // namespace

asio::Error DriverCore::getChannels(std::int32_t* inputs, std::int32_t* outputs) {
  Impl& s = *impl_;
  if (inputs == nullptr || outputs == nullptr) return s.fail(asio::err::kInvalidParameter, nullPointer("getChannels"));
  if (!initialised(s.currentState())) return s.fail(asio::err::kInvalidMode, notInitialised("getChannels"));
  *inputs = s.channelCount(true);
  *outputs = s.channelCount(false);
  return asio::err::kOk;
}

// ASIO latency is the time between a sample in the host's buffer and that
// sample at the converters. Output: the host fills half `index` while the
// device plays the period before it, so one buffer, plus what the device and
// the OS queue behind it (extraLatencyFrames). Input: the half handed to the
// host was recorded during the previous period, so again one buffer plus the
// capture side's own delay. Before createBuffers nothing is open yet: the
// estimate uses the preferred buffer size and no extra.
asio::Error DriverCore::getLatencies(std::int32_t* input, std::int32_t* output) {
  Impl& s = *impl_;
  if (input == nullptr || output == nullptr) return s.fail(asio::err::kInvalidParameter, nullPointer("getLatencies"));
  const DriverState state = s.currentState();
  if (!initialised(state)) return s.fail(asio::err::kInvalidMode, notInitialised("getLatencies"));
  if (hasBuffers(state)) {
    const vendor::LatencyParts parts = s.latencyParts();
    *input = parts.input.total;
    *output = parts.output.total;
    return asio::err::kOk;
  }
  const std::optional<BufferSizeOptions> options = s.bufferSizeOptions();
  if (!options) {
    return s.fail(asio::err::kHardwareMalfunction,
                  "getLatencies: the device describes no buffer size at " + formatRate(s.sampleRate));
  }
  *input = options->preferred;
  *output = options->preferred;
  return asio::err::kOk;
}

// Input: a frame the device captured reaches the host's buffer after
//   the OS's own delay (GetStreamLatency: StreamInfo::Side::osLatencyFrames)
//   + input only, the backend's wait for a whole packet (the rest of
//     extraLatencyFrames; with a render stream the FIFO counts that wait)
//   + the input FIFO's target fill (frames waiting, counting those still in
//     flight from the device: input_fifo.h) and the resampler's group delay
//     when the input is resampled
//   + one buffer (the host processes a whole buffer at once),
// all in host frames. The simulated-clock tests check that a captured frame
// lands exactly this many frames later.
// Output: outputLatencyBase() below, plus the backend's extraLatencyFrames
// (its queue beyond one period, and the OS's delay).
vendor::LatencyParts DriverCore::Impl::latencyParts() const {
  vendor::LatencyParts parts{};
  parts.structBytes = sizeof parts;
  const StreamInfo::Side& capture = stream.info.capture;
  const StreamInfo::Side& render = stream.info.render;
  parts.input.buffer = stream.bufferFrames;
  parts.input.fifo = stream.input ? stream.input->addedLatencyHostFrames() : 0;
  parts.input.os = capture.osLatencyFrames;
  parts.input.queue = capture.extraLatencyFrames - capture.osLatencyFrames;
  parts.output.buffer = outputLatencyBase();
  parts.output.os = render.osLatencyFrames;
  parts.output.queue = render.extraLatencyFrames - render.osLatencyFrames + renderSafetyHostFrames();
  for (vendor::LatencyParts::Side* side : {&parts.input, &parts.output}) {
    side->total = side->buffer + side->fifo + side->queue + side->os;
  }
  return parts;
}

// Output latency before the backend's extra, in host frames.
//  - direct path: one buffer. The host fills half `index` while the device
//    plays the period before it (a period is one buffer).
//  - resampled render (device rate fd != host rate fs, periods of N device
//    frames): host buffer k starts at position kB, and is stamped with the
//    time of device frame m_k, the first output frame that needs its first
//    frame (driver_core_audio.cpp). The output frame that carries position
//    kB comes the resampler's group delay D (host frames) after that, and
//    the device plays a period one device period (N fs/fd host frames)
//    after the period's own time, as it plays one buffer after on the
//    direct path. So: D + N fs/fd, rounded up (m_k is the next whole device
//    frame, so the true figure is up to one device frame less).
//    The staging (the rest of a host buffer the resampler has not consumed
//    at the end of a period) adds nothing against these stamps: a buffer is
//    stamped where its consumption starts, so waiting in the staging moves
//    its stamp, not the delay from stamp to sound. The simulated-clock test
//    (driver_core_render_resample_test.cpp) finds an impulse exactly there.
//  - rebuffered render (the host's rate, periods of N device frames that
//    are not one buffer): the same with no resampler, so N. A buffer is
//    stamped at the device frame where its first frame is played
//    (driver_core_rebuffer.cpp), and a period plays one period after its
//    own time.
std::int32_t DriverCore::Impl::outputLatencyBase() const {
  if (stream.rebuffer) return stream.info.render.packetFrames;
  if (!stream.output) return stream.bufferFrames;
  const OutputResampler& o = *stream.output;
  const double period = stream.info.render.packetFrames > 0
                            ? stream.info.render.packetFrames * stream.sampleRate / o.deviceRate
                            : static_cast<double>(stream.bufferFrames);
  return static_cast<std::int32_t>(std::ceil(o.resampler.groupDelayInputFrames() + period - 1e-9));
}

// The margin is in device frames: at another device rate, in host frames
// rounded up (the safe side for the recording's alignment).
std::int32_t DriverCore::Impl::renderSafetyHostFrames() const {
  const std::int32_t frames = renderSafetyFrames.load(std::memory_order_relaxed);
  if (frames <= 0) return 0;
  if (!stream.output) return frames;
  return static_cast<std::int32_t>(std::ceil(frames * stream.sampleRate / stream.output->deviceRate - 1e-9));
}

asio::Error DriverCore::getBufferSize(std::int32_t* minSize, std::int32_t* maxSize, std::int32_t* preferredSize,
                                      std::int32_t* granularity) {
  Impl& s = *impl_;
  if (minSize == nullptr || maxSize == nullptr || preferredSize == nullptr || granularity == nullptr) {
    return s.fail(asio::err::kInvalidParameter, nullPointer("getBufferSize"));
  }
  if (!initialised(s.currentState())) return s.fail(asio::err::kInvalidMode, notInitialised("getBufferSize"));
  const std::optional<BufferSizeOptions> options = s.bufferSizeOptions();
  if (!options) {
    return s.fail(asio::err::kHardwareMalfunction,
                  "getBufferSize: the device describes no buffer size at " + formatRate(s.sampleRate));
  }
  *minSize = options->minimum;
  *maxSize = options->maximum;
  *preferredSize = options->preferred;
  *granularity = options->granularity;
  return asio::err::kOk;
}

asio::Error DriverCore::canSampleRate(asio::SampleRate rate) {
  Impl& s = *impl_;
  if (!initialised(s.currentState())) return s.fail(asio::err::kInvalidMode, notInitialised("canSampleRate"));
  if (matchSampleRate(s.description.sampleRates, rate)) return asio::err::kOk;
  return s.fail(asio::err::kNoClock, "canSampleRate: " + formatRate(rate) + " is not offered (the device offers " +
                                         formatRateList(s.description.sampleRates) + ")");
}

asio::Error DriverCore::getSampleRate(asio::SampleRate* rate) {
  Impl& s = *impl_;
  if (rate == nullptr) return s.fail(asio::err::kInvalidParameter, nullPointer("getSampleRate"));
  if (!initialised(s.currentState())) return s.fail(asio::err::kInvalidMode, notInitialised("getSampleRate"));
  *rate = s.sampleRate;
  return asio::err::kOk;
}

// In Initialised the new rate simply applies to the next createBuffers. With
// buffers (Prepared, Running) the stream keeps running at the old rate until
// the host resets: we store the rate, ask the host for a reset (when it
// understands kResetRequest) and answer kOk, as hardware drivers do.
asio::Error DriverCore::setSampleRate(asio::SampleRate rate) {
  Impl& s = *impl_;
  const DriverState state = s.currentState();
  if (!initialised(state)) return s.fail(asio::err::kInvalidMode, notInitialised("setSampleRate"));
  if (rate == 0) {
    return s.fail(asio::err::kNoClock, "setSampleRate: rate 0 asks for an external clock; this driver has none");
  }
  if (!std::isfinite(rate) || rate < 0) {
    return s.fail(asio::err::kInvalidParameter, "setSampleRate: " + formatRate(rate) + " is not a sample rate");
  }
  const std::optional<double> matched = matchSampleRate(s.description.sampleRates, rate);
  if (!matched) {
    return s.fail(asio::err::kNoClock, "setSampleRate: " + formatRate(rate) + " is not offered (the device offers " +
                                           formatRateList(s.description.sampleRates) + ")");
  }
  if (*matched == s.sampleRate) return asio::err::kOk;

  s.sampleRate = *matched;
  s.rateChangePending.store(true, std::memory_order_relaxed);
  if (hasBuffers(state)) s.requestReset();
  return asio::err::kOk;
}

asio::Error DriverCore::getChannelInfo(asio::ChannelInfo* info) {
  Impl& s = *impl_;
  if (info == nullptr) return s.fail(asio::err::kInvalidParameter, nullPointer("getChannelInfo"));
  if (!initialised(s.currentState())) return s.fail(asio::err::kInvalidMode, notInitialised("getChannelInfo"));
  if (info->isInput != asio::kFalse && info->isInput != asio::kTrue) {
    return s.fail(asio::err::kInvalidParameter,
                  "getChannelInfo: isInput is " + std::to_string(info->isInput) + "; it must be 0 or 1");
  }
  const bool input = info->isInput == asio::kTrue;
  const int count = s.channelCount(input);
  const char* direction = input ? "input" : "output";
  if (info->channel < 0 || info->channel >= count) {
    return s.fail(asio::err::kInvalidParameter, "getChannelInfo: " + std::string(direction) + " channel " +
                                                    std::to_string(info->channel) + " is out of range (the device has " +
                                                    std::to_string(count) + " " + direction + " channels)");
  }
  const auto channel = static_cast<std::size_t>(info->channel);
  const std::vector<bool>& active = input ? s.inputActive : s.outputActive;
  info->isActive = (channel < active.size() && active[channel]) ? asio::kTrue : asio::kFalse;
  info->channelGroup = 0;
  info->type = s.settings.hostSampleType;
  const std::string& name = (input ? s.description.capture : s.description.render).channelNames[channel];
  const std::string fallback = std::string(input ? "In " : "Out ") + std::to_string(info->channel + 1);
  copyFixedText(info->name, asio::kChannelNameBytes, name.empty() ? fallback : name);
  return asio::err::kOk;
}

// Often called by hosts from inside bufferSwitch, on the audio thread: the
// success path reads the seqlock and touches no lock.
asio::Error DriverCore::getSamplePosition(asio::Samples* position, asio::TimeStamp* stamp) {
  Impl& s = *impl_;
  if (position == nullptr || stamp == nullptr) {
    return s.fail(asio::err::kInvalidParameter, nullPointer("getSamplePosition"));
  }
  if (s.currentState() != DriverState::Running) {
    return s.fail(asio::err::kSamplePositionNotAdvancing, "getSamplePosition: the driver is not running");
  }
  PublishedPosition::Value value;
  if (!s.position.read(&value)) {
    return s.fail(asio::err::kSamplePositionNotAdvancing, "getSamplePosition: the device has not delivered a period yet");
  }
  *position = asio::toSplit64(value.samples);
  *stamp = asio::toSplit64(value.systemTimeNs);
  return asio::err::kOk;
}

}  // namespace a2w
