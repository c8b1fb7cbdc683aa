#include "support/fake_backend.h"

#include <cstring>

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
  out.mode = StreamMode::SharedEvent;
  out.bufferFrames = config_.streamBufferFrames > 0 ? config_.streamBufferFrames : request.bufferFrames;
  out.render = {request.render, config_.renderFormat, request.render ? renderChannels() : 0,
                config_.renderExtraLatencyFrames};
  out.capture = {request.capture, config_.captureFormat, request.capture ? captureChannels() : 0,
                 config_.captureExtraLatencyFrames};
  out.description = "fake";
  if (config_.alwaysOpenRender && !request.render && config_.outputChannels > 0) {
    out.render = {true, config_.renderFormat, renderChannels(), config_.renderExtraLatencyFrames};
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
  started_ = true;
  framesSinceStart_ = 0;
  return Status::success();
}

void FakeBackend::stop() {
  ++log_->stop;
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
  return patternValue(config_.captureSeed, channel, frame);
}

std::uint64_t FakeBackend::periodTimeNs(std::uint64_t period) const {
  const std::uint64_t frames = period * static_cast<std::uint64_t>(request_.bufferFrames);
  return config_.startTimeNs + frames * 1'000'000'000ull / static_cast<std::uint64_t>(request_.sampleRate);
}

std::uint64_t FakeBackend::clockNs() const {
  return config_.startTimeNs +
         framesSinceStart_ * 1'000'000'000ull / static_cast<std::uint64_t>(request_.sampleRate);
}

int FakeBackend::tick(int periods) {
  int ran = 0;
  for (; ran < periods && started_; ++ran) {
    const std::int32_t frames = periodFramesOverride_ > 0 ? periodFramesOverride_ : request_.bufferFrames;
    const auto frameCount = static_cast<std::size_t>(frames);
    Period period;
    period.frames = frames;
    period.systemTimeNs = clockNs();

    if (request_.capture) {
      const int channels = captureChannels();
      const int bytes = bytesPerSample(config_.captureFormat);
      captureBuffer_.assign(frameCount * static_cast<std::size_t>(channels * bytes), std::byte{0});
      for (std::size_t f = 0; f < frameCount; ++f) {
        for (int c = 0; c < channels; ++c) {
          writeDeviceSample(config_.captureFormat, captureValue(c, framesSinceStart_ + f),
                            captureBuffer_.data() + (f * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)) *
                                                        static_cast<std::size_t>(bytes));
        }
      }
      period.capture = captureBuffer_.data();
    }
    const std::size_t renderBytes =
        request_.render ? frameCount * static_cast<std::size_t>(renderChannels() * bytesPerSample(config_.renderFormat))
                        : 0;
    if (request_.render) {
      renderBuffer_.assign(renderBytes, kGarbage);
      period.render = renderBuffer_.data();
    }

    handler_->processPeriod(period);

    if (request_.render) {
      rendered_.insert(rendered_.end(), renderBuffer_.begin(), renderBuffer_.end());
      renderedFrames_ += frameCount;
    }
    framesSinceStart_ += frameCount;
  }
  return ran;
}

bool FakeBackend::emitDeviceEvent(DeviceEvent event) {
  if (handler_ == nullptr) return false;
  handler_->deviceEvent(event);
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
