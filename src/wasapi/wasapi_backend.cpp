#include "wasapi/wasapi_backend.h"

#include <audioclient.h>

#include "core/sample_rates.h"
#include "wasapi/device_description.h"
#include "wasapi/hresult_name.h"
#include "wasapi/mode_negotiation.h"
#include "wasapi/speaker_names.h"
#include "wasapi/wave_format.h"

using Microsoft::WRL::ComPtr;

namespace a2w::wasapi {

HRESULT createSystemEnumerator(IMMDeviceEnumerator** out) {
  return CoCreateInstance(__uuidof(MMDeviceEnumerator), nullptr, CLSCTX_INPROC_SERVER,
                          __uuidof(IMMDeviceEnumerator), reinterpret_cast<void**>(out));
}

WasapiBackend::WasapiBackend(EnumeratorFactory factory) : factory_(std::move(factory)) {
  if (!factory_) factory_ = createSystemEnumerator;
}

WasapiBackend::~WasapiBackend() { close(); }

std::vector<EndpointInfo> WasapiBackend::listEndpoints() {
  ComInit com;
  std::vector<EndpointInfo> endpoints;
  ComPtr<IMMDeviceEnumerator> enumerator = enumerator_;
  if (!enumerator && FAILED(factory_(enumerator.GetAddressOf()))) return endpoints;
  wasapi::listEndpoints(enumerator.Get(), Direction::Render, &endpoints);
  return endpoints;
}

Status WasapiBackend::open(const DriverSettings& settings, DeviceDescription* description) {
  close();
  ComInit com;
  if (!com.ok()) {
    return Status::failure(asio::err::kNotPresent, "COM is not available (" + hresultName(com.result()) + ").");
  }
  if (settings.inputDevice != "none" && !settings.inputDevice.empty()) {
    return Status::failure(asio::err::kNotPresent,
                           "Input devices are not supported yet: set the input device to \"none\".");
  }
  if (settings.outputDevice == "none") {
    return Status::failure(asio::err::kNotPresent,
                           "No output device and no input device: there is nothing to play or record.");
  }
  HRESULT hr = mta_.acquire();
  if (FAILED(hr)) return Status::failure(asio::err::kNotPresent, "COM MTA unavailable (" + hresultName(hr) + ").");
  hr = factory_(enumerator_.ReleaseAndGetAddressOf());
  if (FAILED(hr) || !enumerator_) {
    close();
    return Status::failure(asio::err::kNotPresent,
                           "Windows audio is not available: no device enumerator (" + hresultName(hr) + ").");
  }
  settings_ = settings;
  decisions_.clear();
  *description = DeviceDescription{};
  Status s = openRender(settings, description);
  if (!s.ok()) close();
  return s;
}

Status WasapiBackend::openRender(const DriverSettings& settings, DeviceDescription* description) {
  Status s = findEndpoint(enumerator_.Get(), Direction::Render, settings.outputDevice, &render_);
  if (!s.ok()) return s;

  ComPtr<IAudioClient> probe;
  HRESULT hr = activateClient(render_.device.Get(), &probe);
  if (SUCCEEDED(hr)) {
    WAVEFORMATEX* mix = nullptr;
    hr = probe->GetMixFormat(&mix);
    renderMix_.reset(mix);
  }
  if (FAILED(hr) || !renderMix_) {
    return Status::failure(asio::err::kNotPresent, "The output device \"" + render_.info.name +
                                                       "\" cannot be opened (" + hresultName(hr) + ").");
  }
  const WAVEFORMATEX& mix = *renderMix_;

  // Auto: find out now which mode the endpoint takes, so the rates and
  // buffer sizes offered to the host are the ones that mode accepts. The
  // trial stream is released right away; prepare() starts its fallback
  // chain from the mode found here.
  describedMode_ = settings.mode;
  if (settings.mode == StreamMode::Auto) {
    ClientSetup setup;
    setup.mode = StreamMode::Auto;
    setup.sampleRate = settings.sampleRate > 0 ? settings.sampleRate : mix.nSamplesPerSec;
    setup.channels = mix.nChannels;
    setup.channelMask = channelMaskFor(mix.nChannels, &mix);
    setup.periodFrames = settings.bufferFrames > 0 ? settings.bufferFrames : render_.info.defaultPeriodFrames;
    if (setup.periodFrames <= 0) setup.periodFrames = framesFromRefTime(100000, setup.sampleRate);  // 10 ms
    setup.mixFormat = &mix;
    InitializedClient trial;
    s = openWithFallback(render_.device.Get(), setup, &trial, &decisions_);
    if (!s.ok()) return s;
    describedMode_ = trial.mode;
  }

  hr = describeRenderOffer(probe.Get(), mix, describedMode_, settings, description);
  if (FAILED(hr)) {
    return Status::failure(asio::err::kNotPresent,
                           "The output device \"" + render_.info.name + "\" cannot be used in " +
                               std::string(toString(describedMode_)) + " mode (" + hresultName(hr) +
                               "). Choose mode auto or shared-event.");
  }
  description->render.present = true;
  description->render.endpointName = render_.info.name;
  description->render.channelNames = channelNames(channelMaskFor(mix.nChannels, &mix), mix.nChannels);
  return Status::success();
}

Status WasapiBackend::prepare(const StreamRequest& request, StreamInfo* info) {
  unprepare();
  if (!render_.device || !renderMix_) return Status::failure(asio::err::kInvalidMode, "The device is not open.");
  if (request.capture) {
    return Status::failure(asio::err::kInvalidMode, "Input streams are not supported yet.");
  }
  if (request.bufferFrames <= 0 || request.sampleRate <= 0) {
    return Status::failure(asio::err::kInvalidParameter, "Invalid buffer size or sample rate.");
  }
  ComInit com;
  const WAVEFORMATEX& mix = *renderMix_;
  // The render stream is opened even if the host uses no output channel:
  // it is the clock that drives the periods (the core writes silence).
  ClientSetup setup;
  setup.mode = settings_.mode == StreamMode::Auto ? describedMode_ : settings_.mode;
  setup.sampleRate = request.sampleRate;
  setup.channels = mix.nChannels;
  setup.channelMask = channelMaskFor(mix.nChannels, &mix);
  setup.periodFrames = request.bufferFrames;
  setup.mixFormat = &mix;

  // Auto: continue the chain from the mode open() settled on.
  std::vector<StreamMode> chain = modesToTry(settings_.mode);
  Status s = Status::failure(asio::err::kNotPresent, "No stream mode to try.");
  InitializedClient client;
  bool found = false;
  for (StreamMode m : chain) {
    if (!found && m != setup.mode) continue;
    found = true;
    ClientSetup one = setup;
    one.mode = m;
    s = openWithFallback(render_.device.Get(), one, &client, &decisions_);
    if (s.ok()) break;
  }
  if (!s.ok()) return s;

  s = RenderStream::create(std::move(client), &renderStream_);
  if (!s.ok()) return s;

  *info = StreamInfo{};
  info->mode = renderStream_->mode();
  info->bufferFrames = renderStream_->periodFrames();
  info->render = renderStream_->info();
  info->description = std::string(toString(info->mode)) + " " + describeWaveFormat(renderStream_->format().Format) +
                      ", " + std::to_string(info->bufferFrames) + " frames";
  return Status::success();
}

Status WasapiBackend::start(PeriodHandler* handler) {
  if (!renderStream_) return Status::failure(asio::err::kInvalidMode, "No stream is prepared.");
  if (started_) return Status::success();
  if (!handler) return Status::failure(asio::err::kInvalidParameter, "No period handler.");
  ComInit com;
  clock_.calibrate();
  HRESULT hr = renderStream_->prefill();
  if (SUCCEEDED(hr)) hr = renderStream_->start();
  if (FAILED(hr)) {
    renderStream_->stop();
    return Status::failure(asio::err::kHardwareMalfunction, "The output stream did not start (" + hresultName(hr) + ").");
  }
  hr = thread_.start(renderStream_.get(), handler, &clock_);
  if (FAILED(hr)) {
    renderStream_->stop();
    return Status::failure(asio::err::kHardwareMalfunction, "The audio thread did not start (" + hresultName(hr) + ").");
  }
  started_ = true;
  return Status::success();
}

void WasapiBackend::stop() {
  thread_.stop();
  if (started_ && renderStream_) {
    ComInit com;
    renderStream_->stop();
  }
  started_ = false;
}

void WasapiBackend::unprepare() {
  stop();
  renderStream_.reset();
}

void WasapiBackend::close() {
  unprepare();
  renderMix_.reset();
  render_ = FoundEndpoint{};
  enumerator_.Reset();
  mta_.release();
}

}  // namespace a2w::wasapi
