#include "wasapi/wasapi_backend.h"

#include <audioclient.h>
#include <propidl.h>
#include <propsys.h>

#include <algorithm>
#include <cmath>

#include "core/log.h"
#include "core/sample_rates.h"
#include "wasapi/device_description.h"
#include "wasapi/failure_advice.h"
#include "wasapi/hresult_name.h"
#include "wasapi/mode_negotiation.h"
#include "wasapi/speaker_names.h"
#include "wasapi/utf.h"
#include "wasapi/wave_format.h"

using Microsoft::WRL::ComPtr;

namespace a2w::wasapi {
namespace {

constexpr char kLoopbackPrefix[] = "loopback:";

bool isNone(const std::string& selector) { return selector == "none"; }
bool isDefault(const std::string& selector) { return selector.empty() || selector == "default"; }

// PKEY_AudioEngine_DeviceFormat of an endpoint, as bytes (empty: unknown).
std::vector<BYTE> deviceFormatOf(IMMDevice* device) {
  std::vector<BYTE> bytes;
  ComPtr<IPropertyStore> store;
  if (!device || FAILED(device->OpenPropertyStore(STGM_READ, &store))) return bytes;
  PROPVARIANT value;
  PropVariantInit(&value);
  if (SUCCEEDED(store->GetValue(kDeviceFormatKey, &value)) && value.vt == VT_BLOB && value.blob.pBlobData) {
    bytes.assign(value.blob.pBlobData, value.blob.pBlobData + value.blob.cbSize);
  }
  PropVariantClear(&value);
  return bytes;
}

std::string sideName(Direction direction, bool loopback) {
  if (loopback) return "loopback source";
  return direction == Direction::Render ? "output device" : "input device";
}

}  // namespace

HRESULT createSystemEnumerator(IMMDeviceEnumerator** out) {
  return CoCreateInstance(__uuidof(MMDeviceEnumerator), nullptr, CLSCTX_INPROC_SERVER,
                          __uuidof(IMMDeviceEnumerator), reinterpret_cast<void**>(out));
}

WasapiBackend::WasapiBackend(EnumeratorFactory factory) : factory_(std::move(factory)) {
  if (!factory_) factory_ = createSystemEnumerator;
  clock_.calibrate();  // nowNs() is valid from the start; start() calibrates again
}

WasapiBackend::~WasapiBackend() { close(); }

std::vector<EndpointInfo> WasapiBackend::listEndpoints() {
  ComInit com;
  std::vector<EndpointInfo> endpoints;
  ComPtr<IMMDeviceEnumerator> enumerator = enumerator_;
  if (!enumerator && FAILED(factory_(enumerator.GetAddressOf()))) return endpoints;
  wasapi::listEndpoints(enumerator.Get(), Direction::Render, &endpoints);
  std::vector<EndpointInfo> capture;
  wasapi::listEndpoints(enumerator.Get(), Direction::Capture, &capture);
  endpoints.insert(endpoints.end(), capture.begin(), capture.end());
  return endpoints;
}

Status WasapiBackend::open(const DriverSettings& settings, DeviceDescription* description) {
  close();
  ComInit com;
  if (!com.ok()) {
    return Status::failure(asio::err::kNotPresent, "COM is not available (" + hresultName(com.result()) + ").");
  }
  const bool wantRender = !isNone(settings.outputDevice);
  const bool wantCapture = !isNone(settings.inputDevice) && !settings.inputDevice.empty();
  if (!wantRender && !wantCapture) {
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

  Status s = Status::success();
  if (wantRender) s = openSide(Direction::Render, settings.outputDevice, &render_);
  if (s.ok() && wantCapture) s = openSide(Direction::Capture, settings.inputDevice, &capture_);
  if (s.ok() && render_.present() && capture_.present()) {
    loopbackOfRender_ = capture_.loopback && equalsIgnoringCase(render_.endpoint.info.id, capture_.endpoint.info.id);
    // One engine clocks the loopback of the endpoint we play to; otherwise
    // only a shared hardware container tells us the clocks are one.
    sharesClock_ = loopbackOfRender_ ||
                   sameHardwareContainer(render_.endpoint.device.Get(), capture_.endpoint.device.Get());
    if (loopbackOfRender_) decisions_.push_back("input: loopback of the output endpoint: one clock, shared mode");
  }
  if (s.ok()) s = chooseMode(settings);
  if (s.ok()) s = describe(settings, description);
  if (s.ok()) watchDevices(settings);
  if (!s.ok()) close();
  return s;
}

// Device events from here to close(). Without them the driver still works
// (the audio thread still notices a failing stream), so a failure to start
// them is only noted.
void WasapiBackend::watchDevices(const DriverSettings& settings) {
  HRESULT hr = notifier_.start([this](DeviceEvent event) { deliver(event); });
  if (SUCCEEDED(hr)) {
    WatchedEndpoint render;
    WatchedEndpoint capture;
    if (render_.present()) {
      render.id = toUtf16(render_.endpoint.info.id);
      render.flow = eRender;
      render.followsDefault = isDefault(settings.outputDevice);
    }
    if (capture_.present()) {
      capture.id = toUtf16(capture_.endpoint.info.id);
      capture.flow = capture_.loopback ? eRender : eCapture;
      capture.followsDefault = capture_.loopback
                                   ? isDefault(settings.inputDevice.substr(sizeof kLoopbackPrefix - 1))
                                   : isDefault(settings.inputDevice);
    }
    hr = watcher_.start(enumerator_.Get(), render, capture, &notifier_);
  }
  if (FAILED(hr)) decisions_.push_back("device events unavailable: " + hresultName(hr));
}

void WasapiBackend::deliver(DeviceEvent event) {
  if (event == DeviceEvent::FormatChanged && !formatChanged()) {
    log::info(log::Tag::Device, "device format notification without a change: ignored");
    return;
  }
  PeriodHandler* handler = eventHandler_.load();
  if (handler == nullptr) handler = streamHandler_.load();
  if (handler != nullptr) handler->deviceEvent(event);
}

// Windows also announces a DeviceFormat "change" to the same value; only a
// real change (or a format no longer readable) is worth a reset.
bool WasapiBackend::formatChanged() const {
  const OpenedSide* sides[2] = {&render_, &capture_};
  for (const OpenedSide* side : sides) {
    if (!side->present()) continue;
    const std::vector<BYTE> now = deviceFormatOf(side->endpoint.device.Get());
    if (now.empty() || now != side->deviceFormat) return true;
  }
  return false;
}

Status WasapiBackend::openSide(Direction direction, const std::string& selector, OpenedSide* side) {
  std::string what = selector;
  Direction endpointDirection = direction;
  if (direction == Direction::Capture && selector.rfind(kLoopbackPrefix, 0) == 0) {
    side->loopback = true;
    endpointDirection = Direction::Render;
    what = selector.substr(sizeof kLoopbackPrefix - 1);
    if (what.empty()) what = "default";
  }
  Status s = findEndpoint(enumerator_.Get(), endpointDirection, what, &side->endpoint);
  if (!s.ok()) {
    if (side->loopback) s.message = "Loopback input \"" + selector + "\": " + s.message;
    return s;
  }
  HRESULT hr = activateClient(side->endpoint.device.Get(), &side->probe);
  if (SUCCEEDED(hr)) {
    WAVEFORMATEX* mix = nullptr;
    hr = side->probe->GetMixFormat(&mix);
    side->mix.reset(mix);
  }
  if (FAILED(hr) || !side->mix) {
    return Status::failure(asio::err::kNotPresent, adviceFor(hr, StreamMode::Auto) + "The " +
                                                       sideName(direction, side->loopback) + " \"" +
                                                       side->endpoint.info.name + "\" cannot be opened (" +
                                                       hresultName(hr) + ").");
  }
  side->deviceFormat = deviceFormatOf(side->endpoint.device.Get());
  return Status::success();
}

std::vector<StreamMode> WasapiBackend::modeChain(StreamMode from) const {
  std::vector<StreamMode> chain = modesToTry(settings_.mode);
  // Loopback of the endpoint we play to: both streams go through the
  // engine. Input-only loopback: the capture stream is all there is.
  if (loopbackOfRender_ || (capture_.loopback && !render_.present())) chain = {StreamMode::SharedEvent};
  const auto at = std::find(chain.begin(), chain.end(), from);
  if (at != chain.end()) chain.erase(chain.begin(), at);
  return chain;
}

std::string WasapiBackend::sideLabel(const OpenedSide& side) const {
  const bool capture = &side == &capture_;
  return "the " + sideName(capture ? Direction::Capture : Direction::Render, side.loopback) + " \"" +
         side.endpoint.info.name + "\"" + (side.loopback ? " (" + settings_.inputDevice + ")" : "");
}

ClientSetup WasapiBackend::setupFor(const OpenedSide& side, StreamMode mode, double rate, std::int32_t frames) const {
  const WAVEFORMATEX& mix = *side.mix;
  ClientSetup setup;
  setup.mode = mode;
  setup.sampleRate = rate;
  setup.channels = mix.nChannels;
  setup.channelMask = channelMaskFor(mix.nChannels, &mix);
  setup.periodFrames = frames;
  if (setup.periodFrames <= 0) setup.periodFrames = side.endpoint.info.defaultPeriodFrames;
  if (setup.periodFrames <= 0) setup.periodFrames = framesFromRefTime(100000, rate);  // 10 ms
  setup.mixFormat = side.mix.get();
  const bool capture = &side == &capture_;
  setup.loopback = capture && side.loopback;
  // Shared mode at a rate the engine refuses (Windows 10/11: any but the
  // mix rate): the stream runs at the mix rate and the core resamples, both
  // directions. SharedModeResample::Always does so whenever the rates differ.
  setup.allowMixRate = true;
  setup.forceMixRate = settings_.sharedModeResample == SharedModeResample::Always;
  // Render: room for the safety margin (core/render_queue.h), in device
  // frames at the faster of the two rates the stream may run at.
  if (!capture) {
    setup.safetyRoomFrames =
        maximumSafetyFrames(settings_, std::max(rate, static_cast<double>(mix.nSamplesPerSec)));
  }
  return setup;
}

Status WasapiBackend::chooseMode(const DriverSettings& settings) {
  const bool loopbackOnly = (loopbackOfRender_ || (capture_.loopback && !render_.present()));
  if (loopbackOnly && settings.mode != StreamMode::Auto && settings.mode != StreamMode::SharedEvent) {
    return Status::failure(asio::err::kNotPresent,
                           "Loopback capture (\"" + settings.inputDevice + "\") works in shared mode only" +
                               (loopbackOfRender_ ? ", and it records the output device, which must then be shared too"
                                                  : "") +
                               ": choose mode auto or shared-event.");
  }
  describedMode_ = loopbackOnly ? StreamMode::SharedEvent : settings.mode;
  if (settings.mode != StreamMode::Auto) {
    // Loopback is one shared mode, so it can be tried at once: a system
    // that refuses loopback capture says so at init, not at createBuffers.
    if (capture_.loopback) return trialSide(capture_, StreamMode::SharedEvent, settings, nullptr);
    return Status::success();
  }

  // Auto: find out now which mode every endpoint in use takes, so the rates
  // and buffer sizes offered to the host are the ones that mode accepts.
  // The trial streams are released right away; prepare() starts its
  // fallback chain from the mode found here.
  std::string reasons;
  HRESULT lastFailure = S_OK;
  StreamMode lastMode = StreamMode::Auto;
  for (StreamMode mode : modeChain(StreamMode::ExclusiveEvent)) {
    bool ok = true;
    const OpenedSide* sides[2] = {&render_, &capture_};
    for (const OpenedSide* side : sides) {
      if (!ok || !side->present()) continue;
      lastMode = side == &capture_ ? captureModeFor(mode) : mode;
      const Status s = trialSide(*side, lastMode, settings, &lastFailure);
      if (!s.ok()) {
        // Loopback is shared-only: no later mode can help it.
        if (side == &capture_ && capture_.loopback) return s;
        ok = false;
        if (!reasons.empty()) reasons += "; ";
        reasons += sideLabel(*side) + ": " + s.message;
      }
    }
    if (ok) {
      describedMode_ = mode;
      return Status::success();
    }
  }
  // Each reason names its device and ends with the HRESULT name and value.
  return Status::failure(asio::err::kNotPresent,
                         adviceFor(lastFailure, lastMode) + "No stream mode suits every device: " + reasons);
}

Status WasapiBackend::trialSide(const OpenedSide& side, StreamMode mode, const DriverSettings& settings,
                                HRESULT* failure) {
  const bool capture = &side == &capture_;
  const double rate = settings.sampleRate > 0 ? settings.sampleRate : side.mix->nSamplesPerSec;
  InitializedClient trial;
  std::vector<std::string> lines;
  Status s = openWithFallback(side.endpoint.device.Get(), setupFor(side, mode, rate, settings.bufferFrames), &trial,
                              &lines, failure);
  for (auto& l : lines) decisions_.push_back(capture ? "input: " + l : l);
  if (!s.ok() || !capture) return s;
  // Wine 8 initialises a loopback client and then refuses its capture
  // service (AUDCLNT_E_WRONG_ENDPOINT_TYPE): ask for it here too.
  ComPtr<IAudioCaptureClient> service;
  const HRESULT hr =
      trial.client->GetService(__uuidof(IAudioCaptureClient), reinterpret_cast<void**>(service.GetAddressOf()));
  if (FAILED(hr)) {
    const std::string line = std::string(toString(mode)) + " refused: no capture service: " + hresultName(hr);
    decisions_.push_back("input: " + line);
    if (side.loopback) {
      // The HRESULT first: getErrorMessage keeps 123 characters, and a long
      // device name must not push the reason out of them.
      return Status::failure(asio::err::kNotPresent,
                             "Loopback capture refused: " + hresultName(hr) + ", no capture service for \"" +
                                 settings.inputDevice + "\".");
    }
    return Status::failure(asio::err::kNotPresent, line + ".");
  }
  return Status::success();
}

Status WasapiBackend::describe(const DriverSettings& settings, DeviceDescription* description) {
  DeviceDescription renderOffer;
  DeviceDescription captureOffer;
  if (render_.present()) {
    OfferOptions options;
    options.resampledRates = true;  // shared mode: the core resamples to the mix rate
    if (capture_.present()) options.extraRates.push_back(capture_.mix->nSamplesPerSec);
    const HRESULT hr = describeOffer(render_.probe.Get(), *render_.mix, describedMode_, settings, options, &renderOffer);
    if (FAILED(hr)) {
      return Status::failure(asio::err::kNotPresent,
                             "The output device \"" + render_.endpoint.info.name + "\" cannot be used in " +
                                 std::string(toString(describedMode_)) + " mode (" + hresultName(hr) +
                                 "). Choose mode auto or shared-event.");
    }
    const WAVEFORMATEX& mix = *render_.mix;
    renderOffer.render.present = true;
    renderOffer.render.endpointName = render_.endpoint.info.name;
    renderOffer.render.channelNames = channelNames(channelMaskFor(mix.nChannels, &mix), mix.nChannels);
  }
  if (capture_.present()) {
    const StreamMode mode = captureModeFor(describedMode_);
    OfferOptions options;
    options.resampledRates = true;  // shared mode: the core resamples from the mix rate
    if (render_.present()) options.extraRates.push_back(render_.mix->nSamplesPerSec);
    const HRESULT hr = describeOffer(capture_.probe.Get(), *capture_.mix, mode, settings, options, &captureOffer);
    const std::string& name = capture_.endpoint.info.name;
    if (FAILED(hr)) {
      return Status::failure(asio::err::kNotPresent, "The " + sideName(Direction::Capture, capture_.loopback) +
                                                         " \"" + name + "\" cannot be used in " +
                                                         std::string(toString(mode)) + " mode (" + hresultName(hr) +
                                                         "). Choose mode auto or shared-event.");
    }
    const WAVEFORMATEX& mix = *capture_.mix;
    std::vector<std::string> names = channelNames(channelMaskFor(mix.nChannels, &mix), mix.nChannels);
    if (capture_.loopback) {
      for (auto& n : names) n = name + " " + n + " (loopback)";
    }
    captureOffer.capture.present = true;
    captureOffer.capture.endpointName = capture_.loopback ? name + " (loopback)" : name;
    captureOffer.capture.channelNames = std::move(names);
  }

  if (render_.present()) {
    *description = renderOffer;
    if (capture_.present()) {
      description->capture = captureOffer.capture;
      if (!intersectOffers(captureOffer, settings, render_.mix->nSamplesPerSec, description)) {
        return Status::failure(asio::err::kNotPresent,
                               "The output device \"" + render_.endpoint.info.name + "\" and the input device \"" +
                                   capture_.endpoint.info.name + "\" have no sample rate and buffer size in common in " +
                                   std::string(toString(describedMode_)) + " mode.");
      }
    }
  } else {
    *description = captureOffer;
  }
  return Status::success();
}

Status WasapiBackend::prepare(const StreamRequest& request, StreamInfo* info) {
  unprepare();
  if (!render_.present() && !capture_.present()) {
    return Status::failure(asio::err::kInvalidMode, "The device is not open.");
  }
  if (request.capture && !capture_.present()) {
    return Status::failure(asio::err::kInvalidMode, "No input device is open.");
  }
  if (request.bufferFrames <= 0 || request.sampleRate <= 0) {
    return Status::failure(asio::err::kInvalidParameter, "Invalid buffer size or sample rate.");
  }
  ComInit com;
  // The render stream is opened even if the host uses no output channel:
  // it is the clock that drives the periods (the core writes silence).
  // Input-only, the capture stream is that clock and is always opened.
  const bool withRender = render_.present();
  const bool withCapture = capture_.present() && (request.capture || !withRender);

  Status s = Status::failure(asio::err::kNotPresent, "No stream mode to try.");
  std::string reasons;
  HRESULT lastFailure = S_OK;  // the last refusal, for the advice in front of the message
  StreamMode lastMode = StreamMode::Auto;
  InitializedClient renderClient;
  InitializedClient captureClient;
  bool opened = false;
  // Auto: continue the chain from the mode open() settled on.
  for (StreamMode mode : modeChain(describedMode_)) {
    renderClient = InitializedClient{};
    captureClient = InitializedClient{};
    std::int32_t frames = request.bufferFrames;
    if (withRender) {
      lastMode = mode;
      s = openWithFallback(render_.endpoint.device.Get(), setupFor(render_, mode, request.sampleRate, frames),
                           &renderClient, &decisions_, &lastFailure);
      if (!s.ok()) {
        if (withCapture) s.message = sideLabel(render_) + ": " + s.message;
        reasons += (reasons.empty() ? "" : "; ") + s.message;
        continue;
      }
      frames = renderClient.periodFrames;  // alignment may have moved it
    }
    if (withCapture) {
      std::vector<std::string> lines;
      lastMode = captureModeFor(mode);
      s = openWithFallback(capture_.endpoint.device.Get(),
                           setupFor(capture_, captureModeFor(mode), request.sampleRate, frames), &captureClient,
                           &lines, &lastFailure);
      for (auto& l : lines) decisions_.push_back("input: " + l);
      if (!s.ok()) {
        s.message = sideLabel(capture_) + ": " + s.message;
        reasons += (reasons.empty() ? "" : "; ") + s.message;
        continue;
      }
      if (!withRender) frames = captureClient.periodFrames;
    }
    preparedFrames_ = frames;
    opened = true;
    break;
  }
  if (!opened) {
    if (reasons.find("; ") != std::string::npos) s.message = "No stream mode works: " + reasons;
    s.message = adviceFor(lastFailure, lastMode) + s.message;
    return s;
  }

  if (withRender) {
    s = RenderStream::create(std::move(renderClient), request.sampleRate, settings_, &renderStream_);
    if (!s.ok()) return s;
  }
  if (withCapture) {
    s = CaptureStream::create(std::move(captureClient), capture_.loopback, request.sampleRate, &captureStream_);
    if (!s.ok()) {
      s.message = sideLabel(capture_) + ": " + s.message;
      renderStream_.reset();
      return s;
    }
  }
  prepared_ = request;

  *info = StreamInfo{};
  info->mode = renderStream_ ? renderStream_->mode() : captureStream_->mode();
  info->bufferFrames = preparedFrames_;
  if (renderStream_) info->render = renderStream_->info();
  if (captureStream_) info->capture = captureStream_->info(!renderStream_);
  info->captureSharesRenderClock = renderStream_ && captureStream_ && sharesClock_;
  info->captureDrivesPeriods = !renderStream_;
  if (renderStream_) {
    info->description = std::string(toString(info->mode)) + " " + describeWaveFormat(renderStream_->format().Format) +
                        ", " + std::to_string(info->bufferFrames) + " frames";
    if (renderStream_->resampled()) {
      info->description += " (resampled from " + formatRate(request.sampleRate) + ", periods of " +
                           std::to_string(renderStream_->chunkFrames()) + " device frames)";
    } else if (renderStream_->rebuffered()) {
      info->description += " (written in engine periods of " + std::to_string(renderStream_->chunkFrames()) + " frames)";
    }
  }
  if (captureStream_) {
    if (!info->description.empty()) info->description += "; ";
    info->description += "input " + std::string(toString(captureStream_->mode())) +
                         (captureStream_->loopback() ? " loopback " : " ") +
                         describeWaveFormat(captureStream_->format().Format) + ", packets of " +
                         std::to_string(captureStream_->packetFrames()) + " frames";
    if (!renderStream_) info->description += ", " + std::to_string(info->bufferFrames) + " frames";
  }
  return Status::success();
}

Status WasapiBackend::start(PeriodHandler* handler) {
  if (!renderStream_ && !captureStream_) return Status::failure(asio::err::kInvalidMode, "No stream is prepared.");
  if (started_) return Status::success();
  if (!handler) return Status::failure(asio::err::kInvalidParameter, "No period handler.");
  if (thread_.isCurrentThread()) {
    return Status::failure(asio::err::kInvalidMode, "start() from inside an audio callback.");
  }
  finishStop();  // what a stop() from inside a callback left to join
  ComInit com;
  clock_.calibrate();
  const auto fail = [&](const char* what, HRESULT hr) {
    if (renderStream_) renderStream_->stop();
    if (captureStream_) captureStream_->stop();
    streamHandler_.store(nullptr);
    const StreamMode mode = renderStream_ ? renderStream_->mode() : captureStream_->mode();
    return Status::failure(asio::err::kHardwareMalfunction,
                           adviceFor(hr, mode) + std::string(what) + " (" + hresultName(hr) + ").");
  };
  HRESULT hr = S_OK;
  if (renderStream_) {
    hr = renderStream_->prefill();
    if (SUCCEEDED(hr)) hr = renderStream_->start();
    if (FAILED(hr)) return fail("The output stream did not start", hr);
  }
  if (captureStream_) {
    hr = captureStream_->start();
    if (FAILED(hr)) return fail("The input stream did not start", hr);
  }
  streamHandler_.store(handler);
  AudioThreadSetup setup;
  setup.render = renderStream_.get();
  setup.capture = captureStream_.get();
  setup.handler = handler;
  setup.clock = &clock_;
  setup.notifier = &notifier_;
  setup.bufferFrames = preparedFrames_;
  setup.hostRate = prepared_.sampleRate;
  setup.minimumStallTimeoutMs = minimumStallTimeoutMs_;
  hr = thread_.start(setup);
  if (FAILED(hr)) return fail("The audio thread did not start", hr);
  streamsRunning_ = true;
  started_ = true;
  return Status::success();
}

void WasapiBackend::stop() {
  if (thread_.isCurrentThread()) {
    // From processPeriod/captureArrived: we cannot join ourselves. The loop
    // ends when the callback returns (and stops the clients); the join and
    // the Reset come with the next call from another thread.
    thread_.requestStop();
    started_ = false;
    return;
  }
  // Any other thread, the notifier's included (a host stopping from inside
  // its reset request): the audio thread is another one and can be joined.
  finishStop();
}

void WasapiBackend::finishStop() {
  thread_.stop();
  streamHandler_.store(nullptr);  // events after the stream go to the event handler only
  if (streamsRunning_.exchange(false)) {
    ComInit com;
    if (renderStream_) renderStream_->stop();
    if (captureStream_) captureStream_->stop();
  }
  started_ = false;
}

void WasapiBackend::unprepare() {
  stop();
  // From processPeriod the audio thread still uses the streams: releasing
  // them has to wait for the next call from another thread.
  if (thread_.isCurrentThread()) return;
  renderStream_.reset();
  captureStream_.reset();
  preparedFrames_ = 0;
}

void WasapiBackend::close() {
  unprepare();
  if (thread_.isCurrentThread()) return;
  // The client first (Windows waits for a notification in progress, which
  // only posts), then the notifier it posts to. On the notifier thread
  // itself (a host closing from inside its reset request) the notifier
  // detaches and ends once that delivery returns.
  watcher_.stop();
  notifier_.stop();
  render_ = OpenedSide{};
  capture_ = OpenedSide{};
  loopbackOfRender_ = false;
  sharesClock_ = false;
  enumerator_.Reset();
  mta_.release();
}

}  // namespace a2w::wasapi
