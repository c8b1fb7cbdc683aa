// DriverCore: construction, init, identity, clocks, future, the small
// methods. The buffer lifecycle is in driver_core_buffers.cpp, the queries in
// driver_core_queries.cpp, the audio thread in driver_core_audio.cpp.
#include "core/driver_core.h"

#include <cmath>
#include <cstring>
#include <string>

#include "core/buffer_size_rules.h"
#include "core/driver_core_impl.h"
#include "core/fixed_text.h"
#include "core/sample_rates.h"
#include "core/vendor_selectors.h"

namespace a2w {

namespace {

// What is wrong with a description the backend returned, or "" when it is usable.
std::string describeProblem(const DeviceDescription& d) {
  if (!d.render.present && !d.capture.present) {
    return "init: neither an output nor an input device is selected; choose at least one";
  }
  if (d.render.present && d.render.channelNames.empty()) return "init: the output device reports no channels";
  if (d.capture.present && d.capture.channelNames.empty()) return "init: the input device reports no channels";
  if (d.sampleRates.empty()) return "init: the audio device offers no sample rate";
  if (d.bufferSizes.size() != d.sampleRates.size()) {
    return "init: the backend described buffer sizes for " + std::to_string(d.bufferSizes.size()) +
           " rates but offers " + std::to_string(d.sampleRates.size());
  }
  for (const BufferSizeOptions& o : d.bufferSizes) {
    if (o.preferred <= 0 || o.minimum <= 0 || o.minimum > o.maximum) {
      return "init: the backend described an invalid buffer size range (" + std::to_string(o.minimum) + " to " +
             std::to_string(o.maximum) + ", preferred " + std::to_string(o.preferred) + ")";
    }
  }
  return {};
}

}  // namespace

DriverCore::DriverCore(std::unique_ptr<AudioBackend> backend, DriverSettings settings, DriverIdentity identity)
    : impl_(std::make_unique<Impl>(std::move(backend), std::move(settings), std::move(identity))) {
  // Device events reach the core whether a stream runs or not (a device
  // unplugged while only initialised still means reopening at next init).
  if (impl_->backend) impl_->backend->setEventHandler(this);
}

// Releases whatever the host left behind, in lifecycle order: hosts that
// crash or are killed never call stop or disposeBuffers.
DriverCore::~DriverCore() {
  Impl& s = *impl_;
  if (!s.backend) return;
  const DriverState state = s.currentState();
  if (state == DriverState::Running) s.backend->stop();
  if (state == DriverState::Running || state == DriverState::Prepared) s.backend->unprepare();
  if (state != DriverState::Loaded) s.backend->close();
  s.backend->setEventHandler(nullptr);
}

asio::Bool DriverCore::init(void* /*sysHandle: the host's window; the panel will use it*/) {
  Impl& s = *impl_;
  // Settings saved since (live reload), or a device event since the device
  // was opened (removed, default changed, format changed, stalled): reopen
  // the device, with the new settings if any.
  std::optional<DriverSettings> pending = takePendingSettings();
  if ((pending || s.reopenPending.load(std::memory_order_acquire)) && s.currentState() == DriverState::Initialised) {
    s.backend->close();
    s.setState(DriverState::Loaded);
  }
  if (pending) s.settings = std::move(*pending);
  // Hosts call init again on a driver they already use (some after every
  // reset). Answering yes without reopening keeps their buffers valid.
  if (s.currentState() != DriverState::Loaded) return asio::kTrue;
  // Opening now: an event from here on concerns the device being opened
  // and asks for yet another reopen.
  s.reopenPending.store(false, std::memory_order_release);

  if (const Status configError = this->configError(); !configError.ok()) {  // parked by setConfigError
    s.error.set(configError.message.empty() ? "init: the driver settings could not be read" : configError.message);
    return asio::kFalse;
  }

  if (!s.backend) {
    s.error.set("init: the driver has no audio backend");
    return asio::kFalse;
  }
  if (!isSupportedHostType(s.settings.hostSampleType)) {
    s.error.set("init: the configured host sample type " +
                std::to_string(static_cast<int>(s.settings.hostSampleType)) + " is not supported");
    return asio::kFalse;
  }

  DeviceDescription description;
  DriverSettings opening = s.settings;
  // buffer_ms: in frames at the configured rate (48 kHz when the device's
  // own rate is not known yet); bufferSizeOptions converts at the real rate.
  opening.bufferFrames = preferredBufferFrames(opening, opening.sampleRate > 0 ? opening.sampleRate : 48000);
  const Status opened = s.backend->open(opening, &description);
  if (!opened.ok()) {
    s.backend->close();  // whatever open() got before it failed
    s.error.set(opened.message.empty()
                    ? "init: the audio device could not be opened (error " + std::to_string(opened.code) + ")"
                    : opened.message);
    return asio::kFalse;
  }
  if (const std::string problem = describeProblem(description); !problem.empty()) {
    s.backend->close();
    s.error.set(problem);
    return asio::kFalse;
  }
  if (const std::string problem = s.applyChannelMaps(&description); !problem.empty()) {
    s.backend->close();
    s.error.set(problem);
    return asio::kFalse;
  }

  // The user's rate when the device offers it, else the device's own.
  std::optional<double> rate = s.settings.sampleRate != 0
                                   ? matchSampleRate(description.sampleRates, s.settings.sampleRate)
                                   : std::nullopt;
  if (!rate) rate = matchSampleRate(description.sampleRates, description.defaultSampleRate);
  if (!rate) rate = description.sampleRates.front();

  s.description = std::move(description);
  s.sampleRate = *rate;
  s.setState(DriverState::Initialised);
  return asio::kTrue;
}

void DriverCore::getDriverName(char* name) const {
  copyFixedText(name, asio::kDriverNameBytes, impl_->identity.name);
}

std::int32_t DriverCore::getDriverVersion() const { return impl_->identity.version; }

void DriverCore::getErrorMessage(char* text) const { impl_->error.copyTo(text); }

// One clock: the device's own. ASIO counts in/out: capacity in, sources out.
asio::Error DriverCore::getClockSources(asio::ClockSource* clocks, std::int32_t* count) {
  Impl& s = *impl_;
  if (clocks == nullptr || count == nullptr) {
    return s.fail(asio::err::kInvalidParameter, "getClockSources: the host passed a null pointer");
  }
  if (*count < 1) {
    return s.fail(asio::err::kInvalidParameter,
                  "getClockSources: room for " + std::to_string(*count) + " sources; at least 1 is needed");
  }
  std::memset(&clocks[0], 0, sizeof(asio::ClockSource));
  clocks[0].index = 0;
  clocks[0].associatedChannel = -1;  // not tied to a channel
  clocks[0].associatedGroup = -1;
  clocks[0].isCurrentSource = asio::kTrue;
  copyFixedText(clocks[0].name, asio::kClockNameBytes, "Internal");
  *count = 1;
  return asio::err::kOk;
}

asio::Error DriverCore::setClockSource(std::int32_t index) {
  if (index == 0) return asio::err::kOk;
  return impl_->fail(asio::err::kInvalidParameter,
                     "setClockSource: clock " + std::to_string(index) + " does not exist; the only clock is 0");
}

// TODO(panel issue): open the settings window (device, mode, buffer size).
// Until it exists, kOk: an error here makes hosts show an alarming dialog
// for what is only a missing convenience.
asio::Error DriverCore::controlPanel() { return asio::err::kOk; }

// Answers are kSuccess for what we do and kNotPresent for the features we do
// not have. A kNotPresent is an answer, not a failure, so it leaves the error
// message alone (hosts probe future() between a failure and reading it).
asio::Error DriverCore::future(std::int32_t selector, void* opt) {
  Impl& s = *impl_;
  switch (selector) {
    case asio::fut::kCanTimeInfo:
    case asio::fut::kCanReportOverload:
      return asio::err::kSuccess;
    case asio::fut::kGetInternalBufferSamples: {
      if (opt == nullptr) {
        return s.fail(asio::err::kInvalidParameter, "future(kGetInternalBufferSamples): the host passed a null pointer");
      }
      // Output: none on the direct path (the host's output goes straight
      // into the device's period); the resampler's group delay when the
      // output is resampled. Input: the FIFO's target fill plus the
      // resampler's group delay, in host frames (the same figures
      // getLatencies adds; see there).
      asio::InternalBufferSamples samples{0, 0};
      const DriverState state = s.currentState();
      if ((state == DriverState::Prepared || state == DriverState::Running) && s.stream.input) {
        samples.inputSamples = s.stream.input->addedLatencyHostFrames();
      }
      if ((state == DriverState::Prepared || state == DriverState::Running) && s.stream.output) {
        samples.outputSamples =
            static_cast<std::int32_t>(std::ceil(s.stream.output->resampler.groupDelayInputFrames()));
      }
      std::memcpy(opt, &samples, sizeof samples);
      return asio::err::kSuccess;
    }
    case vendor::kGetStreamStatus: {
      if (opt == nullptr) {
        return s.fail(asio::err::kInvalidParameter, "future(kGetStreamStatus): the host passed a null pointer");
      }
      const DriverState state = s.currentState();
      if (state != DriverState::Prepared && state != DriverState::Running) return asio::err::kNotPresent;
      copyFixedText(static_cast<char*>(opt), vendor::kStreamStatusBytes, s.stream.info.description);
      return asio::err::kSuccess;
    }
    case vendor::kGetLatencyParts: {
      if (opt == nullptr) {
        return s.fail(asio::err::kInvalidParameter, "future(kGetLatencyParts): the host passed a null pointer");
      }
      std::int32_t bytes = 0;
      std::memcpy(&bytes, opt, sizeof bytes);
      if (bytes < static_cast<std::int32_t>(sizeof(vendor::LatencyParts))) {
        return s.fail(asio::err::kInvalidParameter,
                      "future(kGetLatencyParts): structBytes is " + std::to_string(bytes) + ", expected " +
                          std::to_string(sizeof(vendor::LatencyParts)) + " (set it to sizeof(LatencyParts))");
      }
      const DriverState state = s.currentState();
      if (state != DriverState::Prepared && state != DriverState::Running) return asio::err::kNotPresent;
      const vendor::LatencyParts parts = s.latencyParts();
      std::memcpy(opt, &parts, sizeof parts);
      return asio::err::kSuccess;
    }
    case asio::fut::kEnableTimeCodeRead:
    case asio::fut::kDisableTimeCodeRead:
    case asio::fut::kSetInputMonitor:
    case asio::fut::kTransport:
    case asio::fut::kSetInputGain:
    case asio::fut::kGetInputMeter:
    case asio::fut::kSetOutputGain:
    case asio::fut::kGetOutputMeter:
    case asio::fut::kCanInputMonitor:
    case asio::fut::kCanTimeCode:
    case asio::fut::kCanTransport:
    case asio::fut::kCanInputGain:
    case asio::fut::kCanInputMeter:
    case asio::fut::kCanOutputGain:
    case asio::fut::kCanOutputMeter:
    case asio::fut::kOptionalOne:
    case asio::fut::kSetIoFormat:    // PCM only: no DSD, so the IoFormat family is absent
    case asio::fut::kGetIoFormat:
    case asio::fut::kCanDoIoFormat:
      return asio::err::kNotPresent;
    default:
      return s.fail(asio::err::kInvalidParameter, "future: unknown selector " + std::to_string(selector));
  }
}

// kOk in Prepared and Running. Our design converts the output half right
// after bufferSwitch returns, so outputReady cannot make output earlier; but
// saying "supported" is harmless and lets hosts that want it use it. It may
// be called on the audio thread inside bufferSwitch: the success path only
// bumps an atomic counter.
asio::Error DriverCore::outputReady() {
  Impl& s = *impl_;
  const DriverState state = s.currentState();
  if (state != DriverState::Prepared && state != DriverState::Running) {
    return s.fail(asio::err::kInvalidMode, "outputReady: there are no buffers; call createBuffers first");
  }
  s.outputReadyCalls.fetch_add(1, std::memory_order_relaxed);
  return asio::err::kOk;
}

DriverState DriverCore::state() const { return impl_->currentState(); }

AudioBackend& DriverCore::backend() { return *impl_->backend; }

DriverStats DriverCore::stats() const {
  const Impl& s = *impl_;
  DriverStats stats;
  stats.periods = s.periods.load(std::memory_order_relaxed);
  stats.bufferSwitches = s.bufferSwitches.load(std::memory_order_relaxed);
  stats.outputReadyCalls = s.outputReadyCalls.load(std::memory_order_relaxed);
  stats.overloads = s.overloads.load(std::memory_order_relaxed);
  stats.mismatchedPeriods = s.mismatchedPeriods.load(std::memory_order_relaxed);
  stats.deviceEvents = s.deviceEvents.load(std::memory_order_relaxed);
  stats.resetRequestsSent = s.resetRequestsSent.load(std::memory_order_relaxed);
  stats.resetPending = s.resetPending.load(std::memory_order_relaxed);
  stats.renderUnderruns = s.renderUnderruns.load(std::memory_order_relaxed);
  stats.resyncRequestsSent = s.resyncRequestsSent.load(std::memory_order_relaxed);
  stats.renderSafetyFrames = s.renderSafetyFrames.load(std::memory_order_relaxed);
  stats.lastRenderUnderrunFrames = s.lastRenderUnderrunFrames.load(std::memory_order_relaxed);
  stats.renderEngineLatePasses = s.renderEngineLatePasses.load(std::memory_order_relaxed);
  stats.bufferAdviceFrames = s.bufferAdviceFrames.load(std::memory_order_relaxed);
  stats.lastRenderEngineLateFrames = s.lastRenderEngineLateFrames.load(std::memory_order_relaxed);
  // The stream's part: held against createBuffers / disposeBuffers replacing it.
  const std::lock_guard<std::mutex> lock(s.streamMutex);
  const DriverState state = s.currentState();
  if (state == DriverState::Prepared || state == DriverState::Running) {
    stats.hostUsesTimeInfo = s.host.usesTimeInfo();
    stats.hostEngineVersion = s.host.engineVersion();
    stats.outputResampling = s.stream.output != nullptr;
    if (s.stream.rebuffer) stats.outputRebufferedPeriodFrames = s.stream.info.render.packetFrames;
    if (s.stream.info.render.active) {
      stats.outputDeviceSampleRate =
          s.stream.output ? s.stream.output->deviceRate : s.stream.sampleRate;
    }
    if (s.stream.input) {
      const InputFifo::Stats in = s.stream.input->stats();
      stats.inputPackets = in.packets;
      stats.inputSilentPackets = in.silentPackets;
      stats.inputDiscontinuities = in.discontinuities;
      stats.inputUnderruns = in.underruns;
      stats.inputOverruns = in.overruns;
      stats.inputRealigns = in.realigns;
      stats.inputFifoTargetFrames = in.targetFrames;
      stats.inputFifoFrames = in.fillFrames;
      stats.inputFifoMinFrames = in.fillMinFrames;
      stats.inputFifoMaxFrames = in.fillMaxFrames;
      stats.inputFifoLevelFrames = in.levelFrames;
      stats.inputDriftPpm = in.driftPpm;
      stats.inputClockRatioPpm = in.clockRatioPpm;
      stats.inputClockLocked = in.clockLocked;
      stats.inputCaptureClockStdErrPpm = in.captureClockStdErrPpm;
      stats.inputPeriodClockStdErrPpm = in.readerClockStdErrPpm;
      stats.inputResampling = in.resampling;
      stats.inputDriftCompensation = in.driftCompensation;
    }
  }
  return stats;
}

std::optional<BufferSizeOptions> DriverCore::Impl::bufferSizeOptions() const {
  const BufferSizeOptions* options = bufferSizesAtRate(description, sampleRate);
  if (options == nullptr) return std::nullopt;
  return applyPreferredSize(*options, preferredBufferFrames(settings, sampleRate));
}

void DriverCore::Impl::requestReset() {
  resetPending.store(true, std::memory_order_relaxed);
  if (HostCallbacks::MessageFunction send = resetMessenger.load(std::memory_order_acquire)) {
    resetRequestsSent.fetch_add(1, std::memory_order_relaxed);
    // Nothing of *this after the call: the host may release the driver in it.
    send(asio::msg::kResetRequest, 0, nullptr, nullptr);
  }
}

}  // namespace a2w
