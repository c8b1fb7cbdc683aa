#include "support/fake_backend.h"

#include <cmath>
#include <cstring>
#include <numbers>
#include <numeric>

#include "support/sample_patterns.h"

namespace a2w::test {

namespace {
std::vector<std::string> namesOr(const std::vector<std::string>& names, int count, const char* prefix) {
  if (!names.empty()) return names;
  std::vector<std::string> generated;
  for (int i = 0; i < count; ++i) generated.push_back(std::string(prefix) + " " + std::to_string(i + 1));
  return generated;
}
constexpr std::byte kGarbage{0xA5};  // what the render buffer holds before the core writes
}  // namespace

FakeBackend::FakeBackend(FakeDeviceConfig config) : config_(std::move(config)) {
  if (config_.bufferSizes.empty()) {
    config_.bufferSizes.assign(config_.sampleRates.size(), BufferSizeOptions{64, 2048, 256, -1});
  }
}

FakeBackend::~FakeBackend() {
  if (periodThread_.joinable()) {  // (a violation below: the core did not stop us)
    stopPeriodThread_.store(true, std::memory_order_release);
    periodThread_.join();
  }
  // The core must have released everything before it deletes its backend.
  if (started_) violation("destroyed while started");
  if (prepared_) violation("destroyed while prepared");
  if (open_) violation("destroyed while open");
}

std::vector<EndpointInfo> FakeBackend::listEndpoints() {
  std::vector<EndpointInfo> list;
  if (config_.outputChannels > 0) {
    list.push_back({"fake-render", "Fake Speakers", Direction::Render, true, config_.outputChannels,
                    config_.defaultSampleRate, config_.renderFormat, 480, 128});
  }
  if (config_.inputChannels > 0) {
    list.push_back({"fake-capture", "Fake Microphone", Direction::Capture, true, config_.inputChannels,
                    config_.defaultSampleRate, config_.captureFormat, 480, 128});
  }
  return list;
}

Status FakeBackend::open(const DriverSettings& settings, DeviceDescription* description) {
  ++log_->open;
  log_->lastSettings = settings;
  if (open_) violation("open while open");
  if (failOpen_) return *failOpen_;
  if (description == nullptr) {
    violation("open without a description");
    return Status::failure(asio::err::kInvalidParameter, "fake: no description");
  }
  DeviceDescription d;
  d.render.present = config_.outputChannels > 0;
  d.render.endpointName = "Fake Speakers";
  if (d.render.present) d.render.channelNames = namesOr(config_.outputNames, config_.outputChannels, "Speaker");
  d.capture.present = config_.inputChannels > 0;
  d.capture.endpointName = "Fake Microphone";
  if (d.capture.present) d.capture.channelNames = namesOr(config_.inputNames, config_.inputChannels, "Mic");
  d.sampleRates = config_.sampleRates;
  d.defaultSampleRate = config_.defaultSampleRate;
  d.bufferSizes = config_.bufferSizes;
  *description = std::move(d);
  open_ = true;
  return Status::success();
}

int FakeBackend::renderChannels() const {
  return config_.renderStreamChannels > 0 ? config_.renderStreamChannels : config_.outputChannels;
}
int FakeBackend::captureChannels() const {
  return config_.captureStreamChannels > 0 ? config_.captureStreamChannels : config_.inputChannels;
}

Status FakeBackend::prepare(const StreamRequest& request, StreamInfo* info) {
  ++log_->prepare;
  log_->lastRequest = request;
  if (!open_) violation("prepare while not open");
  if (prepared_) violation("prepare while prepared");
  if (failPrepare_) return *failPrepare_;
  if (request.render && config_.outputChannels == 0) violation("render asked of a device without outputs");
  if (request.capture && config_.inputChannels == 0) violation("capture asked of a device without inputs");

  StreamInfo out;
  out.mode = config_.streamMode;
  out.bufferFrames = config_.streamBufferFrames > 0 ? config_.streamBufferFrames : request.bufferFrames;
  out.render = {request.render, config_.renderFormat, request.render ? renderChannels() : 0,
                config_.renderExtraLatencyFrames};
  out.capture = {request.capture, config_.captureFormat, request.capture ? captureChannels() : 0,
                 config_.captureExtraLatencyFrames};
  out.render.osLatencyFrames = request.render ? config_.renderOsLatencyFrames : 0;
  out.capture.osLatencyFrames = request.capture ? config_.captureOsLatencyFrames : 0;
  out.capture.packetFrames = request.capture ? packetFramesFor(request) : 0;
  out.capture.deviceSampleRate = request.capture ? captureRateFor(request) : 0;
  out.capture.timingJitterFrames = request.capture ? config_.captureTimingJitterFrames : 0;
  out.captureSharesRenderClock = config_.captureSharesRenderClock;
  out.description = "fake " + std::to_string(out.bufferFrames) + " frames";
  if (config_.alwaysOpenRender && !request.render && config_.outputChannels > 0) {
    out.render = {true, config_.renderFormat, renderChannels(), config_.renderExtraLatencyFrames,
                  config_.renderOsLatencyFrames};
  }
  out.captureDrivesPeriods = out.capture.active && !out.render.active;
  // At the host's rate, periods of another length than the buffer: the
  // core rebuffers (a shared-mode engine period under any host buffer).
  if (out.render.active && config_.renderPeriodFrames > 0 &&
      (config_.renderDeviceSampleRate <= 0 || config_.renderDeviceSampleRate == request.sampleRate)) {
    out.render.packetFrames = config_.renderPeriodFrames;
  }
  if (out.render.active && config_.renderDeviceSampleRate > 0) {
    out.render.deviceSampleRate = config_.renderDeviceSampleRate;
    if (config_.renderDeviceSampleRate != request.sampleRate) {
      out.render.packetFrames = config_.renderPeriodFrames > 0
                                    ? config_.renderPeriodFrames
                                    : static_cast<std::int32_t>(std::lround(request.bufferFrames *
                                                                            config_.renderDeviceSampleRate /
                                                                            request.sampleRate));
    }
  }
  *info = out;
  request_ = request;
  request_.render = out.render.active;  // periods carry what was opened
  prepared_ = true;
  return Status::success();
}

Status FakeBackend::start(PeriodHandler* handler) {
  ++log_->start;
  if (!prepared_) violation("start while not prepared");
  if (started_) violation("start while started");
  if (handler == nullptr) violation("start without a handler");
  if (failStart_) return *failStart_;
  handler_ = handler;
  startHandler_.store(handler, std::memory_order_release);
  started_ = true;
  framesSinceStart_ = 0;
  dryFrames_ = 0;
  nextUnderrunFrames_ = 0;
  nextEngineLateFrames_ = 0;
  periodsRun_ = 0;
  packetsDue_ = 0;
  packetsDelivered_ = 0;
  lastDeliveryNs_ = 0;
  lostSinceLastDelivery_ = false;
  if (request_.capture) {
    captureBuffer_.assign(static_cast<std::size_t>(packetFrames() * captureChannels() * bytesPerSample(config_.captureFormat)),
                          std::byte{0});
    sineTable_.clear();
    if (config_.captureSignal == FakeDeviceConfig::Signal::Sine) {
      // One whole cycle: rate / gcd(rate, hz) frames.
      const auto rate = static_cast<long long>(std::llround(captureRate()));
      const long long length = rate / std::gcd(rate, static_cast<long long>(config_.captureSineHz));
      sineTable_.resize(static_cast<std::size_t>(length));
      for (long long n = 0; n < length; ++n) {
        const double phase = 2.0 * std::numbers::pi * static_cast<double>(n) * config_.captureSineHz / static_cast<double>(rate);
        sineTable_[static_cast<std::size_t>(n)] =
            static_cast<std::int32_t>(std::llround(config_.captureSineAmplitude * std::sin(phase) * 2147483647.0));
      }
    }
  }
  if (config_.threaded) {
    stopPeriodThread_.store(false, std::memory_order_relaxed);
    periodThread_ = std::thread([this] {
      while (!stopPeriodThread_.load(std::memory_order_acquire)) {
        tick(1);
        std::this_thread::yield();  // pacing only: let the host's threads in
      }
    });
  }
  return Status::success();
}

// Returns once no period runs (the contract), like the WASAPI backend's.
void FakeBackend::stop() {
  ++log_->stop;
  if (periodThread_.joinable()) {
    stopPeriodThread_.store(true, std::memory_order_release);
    periodThread_.join();
  }
  started_ = false;
}

void FakeBackend::unprepare() {
  ++log_->unprepare;
  if (started_) violation("unprepare while started");
  prepared_ = false;
}

void FakeBackend::close() {
  ++log_->close;
  if (prepared_) violation("close while prepared");
  open_ = false;
}

std::int32_t FakeBackend::captureValue(int channel, std::uint64_t frame) const {
  if (!sineTable_.empty()) {
    // Channel c runs c/8 of a cycle ahead, so channels differ.
    const std::uint64_t length = sineTable_.size();
    return sineTable_[(frame + static_cast<std::uint64_t>(channel) * length / 8) % length];
  }
  return patternValue(config_.captureSeed, channel, frame);
}

double FakeBackend::captureRateFor(const StreamRequest& request) const {
  return config_.captureDeviceSampleRate > 0 ? config_.captureDeviceSampleRate : request.sampleRate;
}
double FakeBackend::captureRate() const { return captureRateFor(request_); }
std::int32_t FakeBackend::packetFramesFor(const StreamRequest& request) const {
  return config_.capturePacketFrames > 0 ? config_.capturePacketFrames : request.bufferFrames;
}
std::int32_t FakeBackend::packetFrames() const { return packetFramesFor(request_); }

// The true time device frame `frame` is captured: the capture clock runs
// ppm faster than its nominal rate measured against the render clock.
std::uint64_t FakeBackend::frameCaptureNs(std::uint64_t frame) const {
  const long double rate = static_cast<long double>(captureRate()) * (1.0L + config_.captureClockPpm * 1e-6L);
  // Floor, as clockNs() truncates: on a shared clock a packet and a period
  // that end on the same frame get the same nanosecond.
  return config_.startTimeNs + static_cast<std::uint64_t>(std::floor(static_cast<long double>(frame) * 1e9L / rate));
}

// A packet is delivered once its last frame is captured, late by a
// deterministic pseudo-random jitter, never before the previous one.
std::uint64_t FakeBackend::packetDeliveryNs(std::uint64_t packet) const {
  const std::uint64_t end = frameCaptureNs((packet + 1) * static_cast<std::uint64_t>(packetFrames()));
  std::uint64_t jitter = 0;
  if (config_.captureJitterNs > 0) {
    std::uint64_t h = packet * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    jitter = h % (config_.captureJitterNs + 1);
  }
  if (config_.captureLoadJitterNs > 0 && config_.captureLoadCycleNs > 0 &&
      (end - config_.startTimeNs) % config_.captureLoadCycleNs >= config_.captureLoadCycleNs / 2) {
    std::uint64_t h = (packet + config_.captureLoadSeed * 0x2545F4914F6CDD1Dull) * 0xBF58476D1CE4E5B9ull + 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    jitter += h % (config_.captureLoadJitterNs + 1);
  }
  return std::max(end + jitter, lastDeliveryNs_);
}

void FakeBackend::deliverPacket() {
  const std::uint64_t packet = packetsDue_++;
  const std::uint64_t at = packetDeliveryNs(packet);
  lastDeliveryNs_ = at;
  if (packet >= lost_.first && packet < lost_.second) {
    lostSinceLastDelivery_ = true;
    return;
  }
  const int channels = captureChannels();
  const int bytes = bytesPerSample(config_.captureFormat);
  const auto frames = static_cast<std::uint64_t>(packetFrames());
  const std::uint64_t first = packet * frames;
  CapturePacket p;
  p.frames = packetFrames();
  if (config_.captureTimestamps) p.deviceTimeNs = config_.captureStampedAtDelivery ? at : frameCaptureNs(first);
  if (config_.captureArrivalTimes) p.arrivalNs = at;
  p.discontinuity = lostSinceLastDelivery_;
  lostSinceLastDelivery_ = false;
  if (packet >= silent_.first && packet < silent_.second) {
    p.silent = true;
  } else {
    std::byte* out = captureBuffer_.data();
    for (std::uint64_t f = 0; f < frames; ++f) {
      for (int c = 0; c < channels; ++c, out += bytes) writeDeviceSample(config_.captureFormat, captureValue(c, first + f), out);
    }
    p.data = captureBuffer_.data();
  }
  ++packetsDelivered_;
  handler_->captureArrived(p);
}

void FakeBackend::injectCapturePackets(int count) {
  if (!started_ || handler_ == nullptr) return;
  for (int i = 0; i < count; ++i) {
    CapturePacket p;
    p.frames = packetFrames();
    p.silent = true;
    handler_->captureArrived(p);
  }
}

bool FakeBackend::deliverCapturePacket(const CapturePacket& packet) {
  if (!started_ || handler_ == nullptr) return false;
  handler_->captureArrived(packet);
  return true;
}

double FakeBackend::renderRate() const {
  return config_.renderDeviceSampleRate > 0 && request_.render ? config_.renderDeviceSampleRate : request_.sampleRate;
}

std::int32_t FakeBackend::renderPeriodFrames() const {
  if (config_.renderPeriodFrames > 0 && request_.render) return config_.renderPeriodFrames;
  if (renderRate() == request_.sampleRate) return request_.bufferFrames;
  return static_cast<std::int32_t>(std::lround(request_.bufferFrames * renderRate() / request_.sampleRate));
}

std::uint64_t FakeBackend::periodTimeNs(std::uint64_t period) const {
  const std::uint64_t frames = period * static_cast<std::uint64_t>(renderPeriodFrames());
  return config_.startTimeNs + frames * 1'000'000'000ull / static_cast<std::uint64_t>(renderRate());
}

std::uint64_t FakeBackend::clockNs() const {
  return config_.startTimeNs +
         (framesSinceStart_ + dryFrames_) * 1'000'000'000ull / static_cast<std::uint64_t>(renderRate());
}

int FakeBackend::tick(int periods) {
  int ran = 0;
  while (ran < periods && started_) {
    if (request_.render) {
      // Every packet due by the period boundary first (a tie goes to capture).
      if (request_.capture && packetDeliveryNs(packetsDue_) <= clockNs()) {
        deliverPacket();
        continue;
      }
      runRenderPeriod();
      ++ran;
    } else if (request_.capture) {
      // The capture drives the periods: one each time a host buffer's worth
      // of device frames has arrived (at the host rate, when they differ).
      deliverPacket();
      const long double delivered = static_cast<long double>(packetsDue_) * packetFrames() *
                                    static_cast<long double>(request_.sampleRate) / captureRate();
      while (ran < periods && started_ &&
             delivered >= static_cast<long double>((periodsRun_ + 1) * static_cast<std::uint64_t>(request_.bufferFrames))) {
        runRenderPeriod();
        ++ran;
      }
    } else {
      runRenderPeriod();
      ++ran;
    }
  }
  return ran;
}

void FakeBackend::runRenderPeriod() {
  const std::int32_t frames = periodFramesOverride_ > 0 ? periodFramesOverride_ : renderPeriodFrames();
  const auto frameCount = static_cast<std::size_t>(frames);
  Period period;
  period.frames = frames;
  period.systemTimeNs = request_.render ? clockNs() : lastDeliveryNs_;
  period.renderUnderrunFrames = nextUnderrunFrames_;
  period.renderSafetyFrames = safetyFrames_;
  period.renderEngineLateFrames = nextEngineLateFrames_;
  nextUnderrunFrames_ = 0;
  nextEngineLateFrames_ = 0;
  const std::size_t renderBytes =
      request_.render ? frameCount * static_cast<std::size_t>(renderChannels() * bytesPerSample(config_.renderFormat)) : 0;
  if (request_.render) {
    renderBuffer_.assign(renderBytes, kGarbage);
    period.render = renderBuffer_.data();
  }

  periodStartNs_ = period.systemTimeNs;
  spentNs_ = 0;
  handler_->processPeriod(period);

  if (request_.render && config_.recordRendered) {
    rendered_.insert(rendered_.end(), renderBuffer_.begin(), renderBuffer_.end());
    renderedFrames_ += frameCount;
  }
  framesSinceStart_ += frameCount;
  ++periodsRun_;
}

bool FakeBackend::emitDeviceEvent(DeviceEvent event) {
  PeriodHandler* target = eventHandler_.load(std::memory_order_acquire);
  if (target == nullptr) target = startHandler_.load(std::memory_order_acquire);
  if (target == nullptr) return false;
  target->deviceEvent(event);
  return true;
}

float FakeBackend::renderedFloat(int channel, std::uint64_t frame) const {
  float value = 0;
  const std::size_t at = (frame * static_cast<std::uint64_t>(renderChannels()) + static_cast<std::uint64_t>(channel)) * 4;
  std::memcpy(&value, rendered_.data() + at, 4);
  return value;
}

std::int32_t FakeBackend::renderedInt32(int channel, std::uint64_t frame) const {
  std::int32_t value = 0;
  const std::size_t at = (frame * static_cast<std::uint64_t>(renderChannels()) + static_cast<std::uint64_t>(channel)) * 4;
  std::memcpy(&value, rendered_.data() + at, 4);
  return value;
}

}  // namespace a2w::test
