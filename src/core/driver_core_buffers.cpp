// DriverCore: the buffer and streaming lifecycle (createBuffers, start,
// stop, disposeBuffers).
#include <algorithm>
#include <cmath>
#include <new>
#include <string>
#include <vector>

#include "core/buffer_size_rules.h"
#include "core/channel_map.h"
#include "core/driver_core.h"
#include "core/driver_core_impl.h"
#include "core/sample_rates.h"

namespace a2w {

OutputResampler::OutputResampler(int channelsIn, double hostRate, double deviceRateIn, std::int32_t bufferFramesIn)
    : resampler(channelsIn, hostRate, deviceRateIn),
      deviceRate(deviceRateIn),
      channels(channelsIn),
      bufferFrames(bufferFramesIn) {
  const auto n = static_cast<std::size_t>(channels);
  staged.assign(n * static_cast<std::size_t>(bufferFrames), 0.0f);
  chunk.assign(n * static_cast<std::size_t>(kChunkFrames), 0.0f);
  stagedPlanes.assign(n, nullptr);
  chunkPlanes.assign(n, nullptr);
  stageTargets.assign(1, nullptr);
  chunkSources.assign(n, nullptr);
}

void OutputResampler::reset() {
  resampler.reset();
  std::fill(staged.begin(), staged.end(), 0.0f);
  stagedLeft = 0;
  stagedRead = 0;
}

namespace {

// The render device runs at a rate of its own (the core resamples).
bool resampledRender(const StreamInfo& info, double hostRate) {
  const double device = info.render.deviceSampleRate;
  return info.render.active && info.render.channels > 0 && device > 0 &&
         std::fabs(device - hostRate) > 1e-9 * hostRate;
}

// The render device runs at the host's rate with periods that are not one
// host buffer long (a shared-mode engine period under any host buffer): the
// core plays the host's buffers across them (driver_core_rebuffer.cpp).
bool rebufferedRender(const StreamInfo& info, double hostRate, std::int32_t bufferFrames) {
  return info.render.active && info.render.channels > 0 && !resampledRender(info, hostRate) &&
         info.render.packetFrames > 0 && info.render.packetFrames != bufferFrames;
}

std::string directionName(bool input) { return input ? "input" : "output"; }

// Checks the host's arguments against the device; "" when all is well.
// Touches nothing: createBuffers must not change any state on a bad call.
std::string checkBufferInfos(const asio::BufferInfo* infos, std::int32_t count, int inputs, int outputs) {
  std::vector<bool> seenInput(static_cast<std::size_t>(inputs)), seenOutput(static_cast<std::size_t>(outputs));
  for (std::int32_t i = 0; i < count; ++i) {
    const asio::BufferInfo& b = infos[i];
    const std::string which = "createBuffers: entry " + std::to_string(i) + ": ";
    if (b.isInput != asio::kFalse && b.isInput != asio::kTrue) {
      return which + "isInput is " + std::to_string(b.isInput) + "; it must be 0 or 1";
    }
    const bool input = b.isInput == asio::kTrue;
    const int available = input ? inputs : outputs;
    if (b.channelNum < 0 || b.channelNum >= available) {
      return "createBuffers: " + directionName(input) + " channel " + std::to_string(b.channelNum) +
             " is out of range (the device has " + std::to_string(available) + " " + directionName(input) +
             " channels)";
    }
    std::vector<bool>& seen = input ? seenInput : seenOutput;
    if (seen[static_cast<std::size_t>(b.channelNum)]) {
      return "createBuffers: " + directionName(input) + " channel " + std::to_string(b.channelNum) +
             " is listed twice";
    }
    seen[static_cast<std::size_t>(b.channelNum)] = true;
  }
  return {};
}

// What the backend opened, checked against what was asked; "" when usable.
std::string checkStream(const StreamRequest& request, const StreamInfo& info) {
  const auto side = [](const char* name, bool wanted, const StreamInfo::Side& s) -> std::string {
    if (!wanted) return {};
    if (!s.active || s.channels <= 0) return std::string("createBuffers: the ") + name + " stream did not open";
    return {};
  };
  if (std::string problem = side("output", request.render, info.render); !problem.empty()) return problem;
  if (std::string problem = side("input", request.capture, info.capture); !problem.empty()) return problem;
  // The direct render path has no FIFO: a device period must be exactly one
  // host buffer. (Capture goes through the input FIFO and may come in any
  // packet size; a resampled render stream reports the host's buffer here
  // and runs periods of device frames.)
  if (info.render.deviceSampleRate < 0 || !std::isfinite(info.render.deviceSampleRate)) {
    return "createBuffers: the output device reports no usable sample rate";
  }
  if (info.bufferFrames != 0 && info.bufferFrames != request.bufferFrames) {
    return "createBuffers: the device runs " + std::to_string(info.bufferFrames) + "-frame periods, not the " +
           std::to_string(request.bufferFrames) + " asked for; choose another buffer size";
  }
  return {};
}

}  // namespace

asio::Error DriverCore::createBuffers(asio::BufferInfo* infos, std::int32_t count, std::int32_t bufferSize,
                                      asio::Callbacks* callbacks) {
  Impl& s = *impl_;
  switch (s.currentState()) {
    case DriverState::Loaded: return s.fail(asio::err::kInvalidMode, "createBuffers: call init first");
    case DriverState::Prepared:
      return s.fail(asio::err::kInvalidMode, "createBuffers called twice; call disposeBuffers first");
    case DriverState::Running:
      return s.fail(asio::err::kInvalidMode, "createBuffers: the driver is running; call stop and disposeBuffers first");
    case DriverState::Initialised: break;
  }

  // --- Validate everything before touching any state.
  if (infos == nullptr) return s.fail(asio::err::kInvalidParameter, "createBuffers: the host passed no BufferInfo array");
  if (callbacks == nullptr) return s.fail(asio::err::kInvalidParameter, "createBuffers: the host passed no callbacks");
  if (callbacks->bufferSwitch == nullptr) {
    return s.fail(asio::err::kInvalidParameter, "createBuffers: the host passed no bufferSwitch callback");
  }
  const int inputs = s.channelCount(true);
  const int outputs = s.channelCount(false);
  if (count <= 0 || count > inputs + outputs) {
    return s.fail(asio::err::kInvalidParameter, "createBuffers: " + std::to_string(count) +
                                                    " channels asked for; the device has " +
                                                    std::to_string(inputs + outputs) + " (in and out)");
  }
  const std::optional<BufferSizeOptions> sizes = s.bufferSizeOptions();
  if (!sizes) {
    return s.fail(asio::err::kHardwareMalfunction,
                  "createBuffers: the device describes no buffer size at " + formatRate(s.sampleRate));
  }
  if (!isOfferedBufferSize(*sizes, bufferSize)) {
    return s.fail(asio::err::kInvalidParameter, "createBuffers: " + std::to_string(bufferSize) +
                                                    " frames is not an offered buffer size (" +
                                                    describeBufferSizes(*sizes) + ")");
  }
  if (std::string problem = checkBufferInfos(infos, count, inputs, outputs); !problem.empty()) {
    return s.fail(asio::err::kInvalidParameter, problem);
  }

  // --- The host: which messages it understands, time info or not.
  s.host.connect(*callbacks);

  // --- The host buffers (before the device, so a shortage costs no stream).
  const auto bytesPerHostSample = static_cast<std::size_t>(bytesPerSample(s.settings.hostSampleType));
  if (!s.buffers.allocate(static_cast<std::size_t>(count), bytesPerHostSample * static_cast<std::size_t>(bufferSize))) {
    s.host.disconnect();
    return s.fail(asio::err::kNoMemory, "createBuffers: not enough memory for " + std::to_string(count) +
                                            " channels of " + std::to_string(bufferSize) + " frames");
  }

  // --- The device streams.
  StreamRequest request;
  request.sampleRate = s.sampleRate;
  request.bufferFrames = bufferSize;
  for (std::int32_t i = 0; i < count; ++i) (infos[i].isInput ? request.capture : request.render) = true;
  StreamInfo info;
  const Status prepared = s.backend->prepare(request, &info);
  std::string problem = prepared.ok() ? checkStream(request, info) : std::string();
  if (!prepared.ok() || !problem.empty()) {
    if (prepared.ok()) s.backend->unprepare();
    s.buffers.release();
    s.host.disconnect();
    if (!prepared.ok()) {
      problem = prepared.message.empty()
                    ? "createBuffers: the audio stream could not be opened (error " + std::to_string(prepared.code) + ")"
                    : prepared.message;
    }
    return s.fail(prepared.ok() ? asio::err::kHardwareMalfunction : prepared.code, problem);
  }

  // --- What the audio thread needs, fixed from here until disposeBuffers.
  Impl::Stream stream;
  try {
    stream.sampleRate = s.sampleRate;
    stream.bufferFrames = bufferSize;
    stream.info = info;
    stream.info.bufferFrames = bufferSize;
    stream.hostType = s.settings.hostSampleType;
    stream.hostBytesPerSample = bytesPerHostSample;
    if (s.settings.dither) stream.dither.emplace();
    const ChannelMap& outputMap = s.outputMap;  // the settings' routing (init)
    const ChannelMap& inputMap = s.inputMap;
    // Sized by what the backend opened, not by what was asked: a backend may
    // run a stream the host has no channel on (e.g. render as the clock of an
    // input-only host); its slots stay nullptr and are written as silence.
    const auto slots = [](const StreamInfo::Side& side) {
      return static_cast<std::size_t>(side.active && side.channels > 0 ? side.channels : 0);
    };
    for (int half = 0; half < 2; ++half) {
      stream.renderSources[half].assign(slots(info.render), nullptr);
      stream.captureDestinations[half].assign(slots(info.capture), nullptr);
    }
    std::vector<bool> inputActive(static_cast<std::size_t>(inputs)), outputActive(static_cast<std::size_t>(outputs));
    for (std::int32_t i = 0; i < count; ++i) {
      const bool input = infos[i].isInput == asio::kTrue;
      const auto channel = static_cast<std::size_t>(infos[i].channelNum);
      (input ? inputActive : outputActive)[channel] = true;
      const int slot = (input ? inputMap : outputMap).deviceSlot(channel);
      for (int half = 0; half < 2; ++half) {
        void* buffer = s.buffers.half(static_cast<std::size_t>(i), half);
        if (input && slot >= 0 && static_cast<std::size_t>(slot) < stream.captureDestinations[half].size()) {
          stream.captureDestinations[half][static_cast<std::size_t>(slot)] = buffer;
        } else if (!input && slot >= 0 && static_cast<std::size_t>(slot) < stream.renderSources[half].size()) {
          stream.renderSources[half][static_cast<std::size_t>(slot)] = buffer;
        }
      }
    }
    // Render at another rate: the resampler between the host's output and
    // the device's periods. Its device period (for the latency and the input
    // FIFO's early reads) is what the backend says, else a buffer's worth.
    std::int32_t earlyReads = 0;
    if (resampledRender(info, s.sampleRate)) {
      const double deviceRate = info.render.deviceSampleRate;
      stream.output = std::make_unique<OutputResampler>(info.render.channels, s.sampleRate, deviceRate, bufferSize);
      for (std::size_t slot = 0; slot < stream.output->chunkSources.size(); ++slot) {
        if (stream.renderSources[0][slot] != nullptr) {
          stream.output->chunkSources[slot] =
              stream.output->chunk.data() + slot * static_cast<std::size_t>(OutputResampler::kChunkFrames);
        }
      }
      earlyReads = info.render.packetFrames > 0
                       ? info.render.packetFrames
                       : static_cast<std::int32_t>(std::ceil(bufferSize * deviceRate / s.sampleRate));
    }
    if (rebufferedRender(info, s.sampleRate, bufferSize)) {
      stream.rebuffer = std::make_unique<OutputRebuffer>(info.render.channels);
      earlyReads = info.render.packetFrames;
    }
    if (info.capture.active && info.capture.channels > 0) {
      // Drift compensation where input and periods may run on two clocks.
      const bool ownClock = !info.captureSharesRenderClock && !info.captureDrivesPeriods;
      InputFifoConfig fifo;
      fifo.format = info.capture.format;
      fifo.channels = info.capture.channels;
      fifo.bufferFrames = bufferSize;
      fifo.hostRate = s.sampleRate;
      fifo.deviceRate = info.capture.deviceSampleRate > 0 ? info.capture.deviceSampleRate : s.sampleRate;
      fifo.packetFrames = info.capture.packetFrames;
      fifo.driftCompensation = s.settings.driftCompensation == DriftCompensation::On ||
                               (s.settings.driftCompensation == DriftCompensation::Auto && ownClock);
      fifo.hostType = s.settings.hostSampleType;
      fifo.captureDrivesPeriods = info.captureDrivesPeriods;
      fifo.minimumJitterFrames = info.capture.timingJitterFrames;
      // Host buffers run 0, 1 or more at a time at a resampled or
      // rebuffered render period's start, each stamped up to one device
      // period later: reads come early by up to that period, in capture frames.
      if (stream.output || stream.rebuffer) {
        const double renderRate = info.render.deviceSampleRate > 0 ? info.render.deviceSampleRate : s.sampleRate;
        fifo.earlyReadFrames = static_cast<std::int32_t>(std::ceil(earlyReads * fifo.deviceRate / renderRate));
      }
      stream.input = std::make_unique<InputFifo>();
      stream.input->configure(fifo);
    }
    s.inputActive = std::move(inputActive);
    s.outputActive = std::move(outputActive);
  } catch (const std::bad_alloc&) {
    s.backend->unprepare();
    s.buffers.release();
    s.host.disconnect();
    return s.fail(asio::err::kNoMemory, "createBuffers: not enough memory for the channel tables");
  }
  {
    const std::lock_guard<std::mutex> lock(s.streamMutex);  // stats() on another thread
    s.stream = std::move(stream);
    s.setState(DriverState::Prepared);
  }

  // --- Success: hand the buffers to the host.
  for (std::int32_t i = 0; i < count; ++i) {
    infos[i].buffers[0] = s.buffers.half(static_cast<std::size_t>(i), 0);
    infos[i].buffers[1] = s.buffers.half(static_cast<std::size_t>(i), 1);
  }
  s.resetMessenger.store(s.host.resetMessenger(), std::memory_order_release);
  return asio::err::kOk;
}

asio::Error DriverCore::start() {
  Impl& s = *impl_;
  switch (s.currentState()) {
    case DriverState::Loaded: return s.fail(asio::err::kInvalidMode, "start: call init and createBuffers first");
    case DriverState::Initialised: return s.fail(asio::err::kInvalidMode, "start: call createBuffers first");
    case DriverState::Running: return s.fail(asio::err::kInvalidMode, "start: the driver is already running");
    case DriverState::Prepared: break;
  }
  if (s.insidePeriod()) {
    // stop() from inside bufferSwitch is fine; starting again there is not:
    // the period in progress still runs on the old stream.
    return s.fail(asio::err::kInvalidMode, "start: called from inside bufferSwitch; start again after it returns");
  }
  // The audio thread's state, set before the backend can call processPeriod.
  s.nextIndex = 0;
  s.framesSinceStart = 0;
  s.seenTargetGrowths = s.stream.input ? s.stream.input->targetGrowths() : 0;
  s.position.reset();
  if (s.stream.input) {
    s.stream.input->reset();
    const InputFifo::Stats in = s.stream.input->stats();
    s.seenInputUnderruns = in.underruns;
    s.seenInputOverruns = in.overruns;
    s.seenInputDiscontinuities = in.discontinuities;
  }
  s.resyncDue = false;
  s.renderSafetyFrames.store(0, std::memory_order_relaxed);  // the backend starts at its minimum
  s.exclusiveMisses = 0;
  s.worstMissFrames = 0;
  s.bufferAdviceFrames.store(0, std::memory_order_relaxed);
  if (s.stream.output) s.stream.output->reset();
  if (s.stream.rebuffer) s.stream.rebuffer->reset();
  // Running before the backend starts: its first period may come before
  // start() returns, and a host may call getSamplePosition inside it.
  s.setState(DriverState::Running);
  const Status started = s.backend->start(this);
  if (!started.ok()) {
    s.setState(DriverState::Prepared);
    return s.fail(started.code,
                  started.message.empty()
                      ? "start: the audio stream could not be started (error " + std::to_string(started.code) + ")"
                      : started.message);
  }
  return asio::err::kOk;
}

// stop when Prepared (already stopped) answers kOk: hosts call stop
// defensively before disposeBuffers or after a failed start, and an error
// there helps nobody. Before createBuffers it is a real ordering mistake.
asio::Error DriverCore::stop() {
  Impl& s = *impl_;
  switch (s.currentState()) {
    case DriverState::Loaded:
    case DriverState::Initialised: return s.fail(asio::err::kInvalidMode, "stop: there is nothing to stop; call createBuffers and start first");
    case DriverState::Prepared: return asio::err::kOk;
    case DriverState::Running: break;
  }
  s.backend->stop();  // returns once no processPeriod is running
  s.setState(DriverState::Prepared);
  return asio::err::kOk;
}

// disposeBuffers while Running stops first and then disposes (kOk): freeing
// buffers under a running stream would crash, refusing would leave a host
// that skipped stop with a device it cannot release. Both are worse.
asio::Error DriverCore::disposeBuffers() {
  Impl& s = *impl_;
  const DriverState state = s.currentState();
  if (state == DriverState::Loaded || state == DriverState::Initialised) {
    return s.fail(asio::err::kInvalidMode, "disposeBuffers: there are no buffers; call createBuffers first");
  }
  if (s.insidePeriod()) {
    // The period in progress still reads and writes these buffers.
    return s.fail(asio::err::kInvalidMode,
                  "disposeBuffers: called from inside bufferSwitch; call it after bufferSwitch returns");
  }
  if (state == DriverState::Running) {
    s.backend->stop();
    s.setState(DriverState::Prepared);
  }
  // No period can run now: the audio thread's state may change.
  s.resetMessenger.store(nullptr, std::memory_order_release);
  s.backend->unprepare();
  {
    const std::lock_guard<std::mutex> lock(s.streamMutex);  // stats() on another thread
    s.setState(DriverState::Initialised);
    s.stream = Impl::Stream{};
    s.host.disconnect();
  }
  s.buffers.release();
  s.inputActive.clear();
  s.outputActive.clear();
  s.resetPending.store(false, std::memory_order_relaxed);  // the host is acting on it
  return asio::err::kOk;
}

}  // namespace a2w
