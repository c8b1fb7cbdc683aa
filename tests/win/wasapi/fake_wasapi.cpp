#include "fake_wasapi.h"

#include <propidl.h>
#include <propsys.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>

#include "wasapi/wave_format.h"

namespace a2w::fake {
namespace {

bool sameIid(REFIID a, REFIID b) { return IsEqualGUID(a, b) != 0; }

// Reference counting shared by every fake; QueryInterface stays per class.
template <typename Interface>
class ComObject : public Interface {
 public:
  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
  ULONG STDMETHODCALLTYPE Release() override {
    const ULONG n = --refs_;
    if (n == 0) delete this;
    return n;
  }

 protected:
  virtual ~ComObject() = default;
  HRESULT answer(REFIID riid, void** ppv, std::initializer_list<IID> iids) {
    if (!ppv) return E_POINTER;
    *ppv = nullptr;
    if (sameIid(riid, __uuidof(IUnknown))) {
      *ppv = static_cast<Interface*>(this);
    } else {
      for (const IID& iid : iids) {
        if (sameIid(riid, iid)) *ppv = static_cast<Interface*>(this);
      }
    }
    if (!*ppv) return E_NOINTERFACE;
    AddRef();
    return S_OK;
  }

 private:
  std::atomic<ULONG> refs_{1};
};

std::uint32_t framesOf(REFERENCE_TIME hns, double rate) {
  return static_cast<std::uint32_t>(std::llround(static_cast<double>(hns) * rate / 1e7));
}

bool sameFormat(const WAVEFORMATEX& a, const WAVEFORMATEX& b) {
  return a.nSamplesPerSec == b.nSamplesPerSec && a.nChannels == b.nChannels &&
         a.wBitsPerSample == b.wBitsPerSample && wasapi::deviceFormatOf(a) == wasapi::deviceFormatOf(b);
}

WAVEFORMATEX* coTaskCopy(const WAVEFORMATEXTENSIBLE& f) {
  auto* p = static_cast<WAVEFORMATEXTENSIBLE*>(CoTaskMemAlloc(sizeof f));
  if (p) std::memcpy(p, &f, sizeof f);
  return reinterpret_cast<WAVEFORMATEX*>(p);
}

class FakeRenderClient final : public ComObject<IAudioRenderClient> {
 public:
  FakeRenderClient(std::shared_ptr<FakeEndpoint> ep, std::uint32_t generation)
      : ep_(std::move(ep)), generation_(generation) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    return answer(riid, ppv, {__uuidof(IAudioRenderClient)});
  }
  HRESULT STDMETHODCALLTYPE GetBuffer(UINT32 frames, BYTE** data) override {
    if (ep_->invalidatedSince(generation_)) return AUDCLNT_E_DEVICE_INVALIDATED;
    return ep_->onGetBuffer(frames, data);
  }
  HRESULT STDMETHODCALLTYPE ReleaseBuffer(UINT32 frames, DWORD flags) override {
    if (ep_->invalidatedSince(generation_)) return AUDCLNT_E_DEVICE_INVALIDATED;
    return ep_->onReleaseBuffer(frames, flags);
  }

 private:
  std::shared_ptr<FakeEndpoint> ep_;
  std::uint32_t generation_;
};

class FakeCaptureClient final : public ComObject<IAudioCaptureClient> {
 public:
  FakeCaptureClient(std::shared_ptr<FakeEndpoint> ep, std::uint32_t generation)
      : ep_(std::move(ep)), generation_(generation) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    return answer(riid, ppv, {__uuidof(IAudioCaptureClient)});
  }
  HRESULT STDMETHODCALLTYPE GetBuffer(BYTE** data, UINT32* frames, DWORD* flags, UINT64* position,
                                      UINT64* qpc) override {
    if (ep_->invalidatedSince(generation_)) return AUDCLNT_E_DEVICE_INVALIDATED;
    return ep_->onCaptureGetBuffer(data, frames, flags, position, qpc);
  }
  HRESULT STDMETHODCALLTYPE ReleaseBuffer(UINT32 frames) override {
    if (ep_->invalidatedSince(generation_)) return AUDCLNT_E_DEVICE_INVALIDATED;
    return ep_->onCaptureReleaseBuffer(frames);
  }
  HRESULT STDMETHODCALLTYPE GetNextPacketSize(UINT32* frames) override {
    if (!frames) return E_POINTER;
    if (ep_->invalidatedSince(generation_)) return AUDCLNT_E_DEVICE_INVALIDATED;
    return ep_->nextPacketFrames(frames);
  }

 private:
  std::shared_ptr<FakeEndpoint> ep_;
  std::uint32_t generation_;
};

class FakeAudioClient final : public ComObject<IAudioClient3> {
 public:
  // Like Windows: a client belongs to the endpoint as it was when it was
  // activated; once the endpoint is unplugged, disabled or reformatted
  // (FakeEndpoint::invalidate) every call answers AUDCLNT_E_DEVICE_INVALIDATED.
  FakeAudioClient(std::shared_ptr<FakeEndpoint> ep, std::uint32_t generation)
      : ep_(std::move(ep)), generation_(generation) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    return answer(riid, ppv, {__uuidof(IAudioClient), __uuidof(IAudioClient2), __uuidof(IAudioClient3)});
  }

  HRESULT STDMETHODCALLTYPE Initialize(AUDCLNT_SHAREMODE mode, DWORD flags, REFERENCE_TIME buffer,
                                       REFERENCE_TIME period, const WAVEFORMATEX* format, LPCGUID) override {
    // Like Windows: a client initialises once; after a failed alignment it
    // cannot be initialised again either (the caller must re-activate).
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (initialised_ || spent_) return AUDCLNT_E_ALREADY_INITIALIZED;
    if (const HRESULT fault = ep_->takeFault(FakeCall::Initialize); FAILED(fault)) return fault;
    std::uint32_t aligned = 0;
    const HRESULT hr = ep_->onInitialize(mode, flags, buffer, period, format, &aligned);
    if (hr == AUDCLNT_E_BUFFER_SIZE_NOT_ALIGNED) {
      spent_ = true;
      alignedFrames_ = aligned;
    }
    if (SUCCEEDED(hr)) {
      initialised_ = true;
      loopback_ = (flags & AUDCLNT_STREAMFLAGS_LOOPBACK) != 0;
    }
    return hr;
  }
  HRESULT STDMETHODCALLTYPE GetBufferSize(UINT32* frames) override {
    if (!frames) return E_POINTER;
    if (spent_) {
      *frames = alignedFrames_;
      return S_OK;
    }
    if (!initialised_) return AUDCLNT_E_NOT_INITIALIZED;
    *frames = loopback_ ? ep_->loopbackBufferFrames() : ep_->bufferFrames();
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetStreamLatency(REFERENCE_TIME* latency) override {
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!initialised_) return AUDCLNT_E_NOT_INITIALIZED;
    *latency = ep_->config().streamLatency;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetCurrentPadding(UINT32* padding) override {
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!initialised_) return AUDCLNT_E_NOT_INITIALIZED;
    if (const HRESULT fault = ep_->takeFault(FakeCall::GetCurrentPadding); FAILED(fault)) return fault;
    *padding = ep_->padding();
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE IsFormatSupported(AUDCLNT_SHAREMODE mode, const WAVEFORMATEX* format,
                                              WAVEFORMATEX** closest) override {
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    return ep_->onIsFormatSupported(mode, format, closest);
  }
  HRESULT STDMETHODCALLTYPE GetMixFormat(WAVEFORMATEX** format) override {
    if (!format) return E_POINTER;
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    *format = coTaskCopy(ep_->mix());
    return *format ? S_OK : E_OUTOFMEMORY;
  }
  HRESULT STDMETHODCALLTYPE GetDevicePeriod(REFERENCE_TIME* def, REFERENCE_TIME* min) override {
    if (def) *def = ep_->config().defaultPeriod;
    if (min) *min = ep_->config().minimumPeriod;
    return S_OK;
  }
  // A loopback client shares the endpoint with the render client of the
  // same endpoint: it leaves the render state (started, padding) alone.
  HRESULT STDMETHODCALLTYPE Start() override {
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!initialised_) return AUDCLNT_E_NOT_INITIALIZED;
    if (const HRESULT fault = ep_->takeFault(FakeCall::Start); FAILED(fault)) return fault;
    if (!loopback_) ep_->onStart(true);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Stop() override {
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!initialised_) return AUDCLNT_E_NOT_INITIALIZED;
    if (!loopback_) ep_->onStart(false);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Reset() override {
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!initialised_) return AUDCLNT_E_NOT_INITIALIZED;
    if (!loopback_) ep_->onReset();
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE SetEventHandle(HANDLE event) override {
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!initialised_) return AUDCLNT_E_NOT_INITIALIZED;
    ep_->onSetEvent(event);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetService(REFIID riid, void** ppv) override {
    if (!ppv) return E_POINTER;
    *ppv = nullptr;
    if (stale()) return AUDCLNT_E_DEVICE_INVALIDATED;
    if (!initialised_) return AUDCLNT_E_NOT_INITIALIZED;
    const bool capture = loopback_ || ep_->config().flow == eCapture;
    if (capture && sameIid(riid, __uuidof(IAudioCaptureClient))) {
      *ppv = static_cast<IAudioCaptureClient*>(new FakeCaptureClient(ep_, generation_));
      return S_OK;
    }
    if (!capture && sameIid(riid, __uuidof(IAudioRenderClient))) {
      *ppv = static_cast<IAudioRenderClient*>(new FakeRenderClient(ep_, generation_));
      return S_OK;
    }
    return E_NOINTERFACE;
  }
  HRESULT STDMETHODCALLTYPE IsOffloadCapable(AUDIO_STREAM_CATEGORY, BOOL* capable) override {
    if (capable) *capable = FALSE;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE SetClientProperties(const AudioClientProperties*) override { return S_OK; }
  HRESULT STDMETHODCALLTYPE GetBufferSizeLimits(const WAVEFORMATEX*, BOOL, REFERENCE_TIME*,
                                                REFERENCE_TIME*) override {
    return E_NOTIMPL;
  }
  HRESULT STDMETHODCALLTYPE GetSharedModeEnginePeriod(const WAVEFORMATEX*, UINT32* def, UINT32* fundamental,
                                                      UINT32* min, UINT32* max) override {
    const HRESULT hr = ep_->config().enginePeriodResult;
    if (FAILED(hr)) return hr;
    const double rate = ep_->mix().Format.nSamplesPerSec;
    *def = framesOf(ep_->config().defaultPeriod, rate);
    *fundamental = 16;
    *min = framesOf(ep_->config().minimumPeriod, rate);
    *max = *def;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetCurrentSharedModeEnginePeriod(WAVEFORMATEX**, UINT32*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE InitializeSharedAudioStream(DWORD, UINT32, const WAVEFORMATEX*, LPCGUID) override {
    return E_NOTIMPL;
  }

 private:
  bool stale() const { return ep_->invalidatedSince(generation_); }

  std::shared_ptr<FakeEndpoint> ep_;
  std::uint32_t generation_;
  bool initialised_ = false;
  bool spent_ = false;
  bool loopback_ = false;
  std::uint32_t alignedFrames_ = 0;
};

class FakePropertyStore final : public ComObject<IPropertyStore> {
 public:
  explicit FakePropertyStore(std::shared_ptr<FakeEndpoint> ep) : ep_(std::move(ep)) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    return answer(riid, ppv, {__uuidof(IPropertyStore)});
  }
  HRESULT STDMETHODCALLTYPE GetCount(DWORD* count) override {
    *count = 1;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetAt(DWORD, PROPERTYKEY*) override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetValue(REFPROPERTYKEY key, PROPVARIANT* value) override {
    // PKEY_Device_FriendlyName, PKEY_Device_ContainerId when configured and
    // PKEY_AudioEngine_DeviceFormat (the mix format, as a blob); anything
    // else is "empty", as Windows answers.
    static constexpr GUID kFriendlyName = {0xa45c254e, 0xdf1c, 0x4efd, {0x80, 0x20, 0x67, 0xd1, 0x46, 0xa8, 0x50, 0xe0}};
    static constexpr GUID kContainer = {0x8c7ed206, 0x3f8a, 0x4827, {0xb3, 0xab, 0xae, 0x9e, 0x1f, 0xae, 0xfc, 0x6c}};
    PropVariantInit(value);
    if (IsEqualGUID(key.fmtid, kContainer) && key.pid == 2 && ep_->config().containerId) {
      auto* guid = static_cast<CLSID*>(CoTaskMemAlloc(sizeof(CLSID)));
      if (!guid) return E_OUTOFMEMORY;
      *guid = *ep_->config().containerId;
      value->vt = VT_CLSID;
      value->puuid = guid;
      return S_OK;
    }
    if (IsEqualGUID(key.fmtid, wasapi::kDeviceFormatKey.fmtid) && key.pid == wasapi::kDeviceFormatKey.pid) {
      const WAVEFORMATEXTENSIBLE mix = ep_->mix();
      auto* blob = static_cast<BYTE*>(CoTaskMemAlloc(sizeof mix));
      if (!blob) return E_OUTOFMEMORY;
      std::memcpy(blob, &mix, sizeof mix);
      value->vt = VT_BLOB;
      value->blob.cbSize = sizeof mix;
      value->blob.pBlobData = blob;
      return S_OK;
    }
    if (!IsEqualGUID(key.fmtid, kFriendlyName) || key.pid != 14) return S_OK;
    const std::wstring& name = ep_->config().name;
    const std::size_t bytes = (name.size() + 1) * sizeof(wchar_t);
    auto* text = static_cast<wchar_t*>(CoTaskMemAlloc(bytes));
    if (!text) return E_OUTOFMEMORY;
    std::memcpy(text, name.c_str(), bytes);
    value->vt = VT_LPWSTR;
    value->pwszVal = text;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE SetValue(REFPROPERTYKEY, REFPROPVARIANT) override { return STG_E_ACCESSDENIED; }
  HRESULT STDMETHODCALLTYPE Commit() override { return STG_E_ACCESSDENIED; }

 private:
  std::shared_ptr<FakeEndpoint> ep_;
};

class FakeDevice final : public ComObject<IMMDevice> {
 public:
  explicit FakeDevice(std::shared_ptr<FakeEndpoint> ep) : ep_(std::move(ep)) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    return answer(riid, ppv, {__uuidof(IMMDevice)});
  }
  HRESULT STDMETHODCALLTYPE Activate(REFIID iid, DWORD, PROPVARIANT*, void** ppv) override {
    if (!ppv) return E_POINTER;
    *ppv = nullptr;
    if (!sameIid(iid, __uuidof(IAudioClient)) && !sameIid(iid, __uuidof(IAudioClient2)) &&
        !sameIid(iid, __uuidof(IAudioClient3))) {
      return E_NOINTERFACE;
    }
    if (ep_->state() != DEVICE_STATE_ACTIVE) return AUDCLNT_E_DEVICE_INVALIDATED;
    ep_->onActivate();
    *ppv = static_cast<IAudioClient3*>(new FakeAudioClient(ep_, ep_->generation()));
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE OpenPropertyStore(DWORD, IPropertyStore** store) override {
    *store = new FakePropertyStore(ep_);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetId(LPWSTR* id) override {
    const std::wstring& s = ep_->config().id;
    const std::size_t bytes = (s.size() + 1) * sizeof(wchar_t);
    *id = static_cast<LPWSTR>(CoTaskMemAlloc(bytes));
    if (!*id) return E_OUTOFMEMORY;
    std::memcpy(*id, s.c_str(), bytes);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetState(DWORD* state) override {
    *state = ep_->state();
    return S_OK;
  }

 private:
  std::shared_ptr<FakeEndpoint> ep_;
};

class FakeCollection final : public ComObject<IMMDeviceCollection> {
 public:
  explicit FakeCollection(std::vector<std::shared_ptr<FakeEndpoint>> eps) : eps_(std::move(eps)) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    return answer(riid, ppv, {__uuidof(IMMDeviceCollection)});
  }
  HRESULT STDMETHODCALLTYPE GetCount(UINT* count) override {
    *count = static_cast<UINT>(eps_.size());
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Item(UINT i, IMMDevice** device) override {
    if (i >= eps_.size()) return E_INVALIDARG;
    *device = new FakeDevice(eps_[i]);
    return S_OK;
  }

 private:
  std::vector<std::shared_ptr<FakeEndpoint>> eps_;
};

constexpr HRESULT kNotFound = static_cast<HRESULT>(0x80070490);  // E_NOTFOUND

class FakeEnumerator final : public ComObject<IMMDeviceEnumerator> {
 public:
  explicit FakeEnumerator(std::shared_ptr<FakeAudioSystem> system) : system_(std::move(system)) {}
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    return answer(riid, ppv, {__uuidof(IMMDeviceEnumerator)});
  }
  HRESULT STDMETHODCALLTYPE EnumAudioEndpoints(EDataFlow flow, DWORD stateMask, IMMDeviceCollection** out) override {
    std::vector<std::shared_ptr<FakeEndpoint>> eps;
    for (const auto& ep : system_->endpoints()) {
      if ((flow == eAll || ep->config().flow == flow) && (ep->state() & stateMask) != 0) eps.push_back(ep);
    }
    *out = new FakeCollection(std::move(eps));
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetDefaultAudioEndpoint(EDataFlow flow, ERole, IMMDevice** out) override {
    *out = nullptr;
    const std::shared_ptr<FakeEndpoint> ep = system_->defaultEndpoint(flow);
    if (!ep || ep->state() != DEVICE_STATE_ACTIVE) return kNotFound;
    *out = new FakeDevice(ep);
    return S_OK;
  }
  // Like Windows: any endpoint the system knows, in whatever state.
  HRESULT STDMETHODCALLTYPE GetDevice(LPCWSTR id, IMMDevice** out) override {
    *out = nullptr;
    for (const auto& ep : system_->endpoints()) {
      if (ep->config().id == id) {
        *out = new FakeDevice(ep);
        return S_OK;
      }
    }
    return kNotFound;
  }
  HRESULT STDMETHODCALLTYPE RegisterEndpointNotificationCallback(IMMNotificationClient* client) override {
    return system_->registerClient(client);
  }
  HRESULT STDMETHODCALLTYPE UnregisterEndpointNotificationCallback(IMMNotificationClient* client) override {
    return system_->unregisterClient(client);
  }

 private:
  std::shared_ptr<FakeAudioSystem> system_;
};

}  // namespace

WAVEFORMATEXTENSIBLE mixFormat(double rate, int channels, DWORD mask, DeviceSampleFormat format) {
  return wasapi::makeWaveFormat(format, rate, channels, mask);
}

FakeEndpointConfig stereoEndpoint(const wchar_t* id, const wchar_t* name, EDataFlow flow, std::vector<double> rates,
                                  std::vector<DeviceSampleFormat> formats) {
  FakeEndpointConfig c;
  c.id = id;
  c.name = name;
  c.flow = flow;
  c.mix = mixFormat(48000, 2, KSAUDIO_SPEAKER_STEREO);
  for (double rate : rates) {
    for (auto f : formats) c.exclusiveFormats.push_back({f, rate, 2});
  }
  return c;
}

const char* toString(FakeCall call) {
  switch (call) {
    case FakeCall::Initialize: return "Initialize";
    case FakeCall::Start: return "Start";
    case FakeCall::GetCurrentPadding: return "GetCurrentPadding";
    case FakeCall::GetBuffer: return "GetBuffer";
    case FakeCall::ReleaseBuffer: return "ReleaseBuffer";
    case FakeCall::CaptureGetBuffer: return "capture GetBuffer";
    case FakeCall::CaptureReleaseBuffer: return "capture ReleaseBuffer";
    case FakeCall::GetNextPacketSize: return "GetNextPacketSize";
    case FakeCall::Count: break;
  }
  return "?";
}

WAVEFORMATEXTENSIBLE FakeEndpoint::mix() const {
  std::lock_guard lock(mutex_);
  return mix_;
}

void FakeEndpoint::setMix(const WAVEFORMATEXTENSIBLE& mix) {
  std::lock_guard lock(mutex_);
  mix_ = mix;
}

void FakeEndpoint::failCall(FakeCall call, HRESULT hr, std::uint32_t after) {
  {
    std::lock_guard lock(mutex_);
    faults_[static_cast<int>(call)] = Fault{hr, after};
  }
  released_.notify_all();  // tests waiting for a release see the change
}

HRESULT FakeEndpoint::takeFault(FakeCall call) {
  std::lock_guard lock(mutex_);
  return faultLocked(call);
}

HRESULT FakeEndpoint::faultLocked(FakeCall call) {
  Fault& f = faults_[static_cast<int>(call)];
  if (SUCCEEDED(f.hr)) return S_OK;
  if (f.after > 0) {
    --f.after;
    return S_OK;
  }
  return f.hr;
}

void FakeEndpoint::setOtherProgram(OtherProgram other) {
  {
    std::lock_guard lock(mutex_);
    other_ = other;
  }
  // Windows preempts the shared streams of a device another program takes
  // exclusively: they are invalidated.
  if (other == OtherProgram::Exclusive) invalidate();
}

DWORD FakeEndpoint::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void FakeEndpoint::setState(DWORD state) {
  {
    std::lock_guard lock(mutex_);
    state_ = state;
  }
  if (state != DEVICE_STATE_ACTIVE) invalidate();
}

void FakeEndpoint::invalidate() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    started_ = false;
  }
  released_.notify_all();
}

std::uint32_t FakeEndpoint::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

bool FakeEndpoint::invalidatedSince(std::uint32_t generation) const {
  std::lock_guard lock(mutex_);
  return generation != generation_;
}

int FakeEndpoint::starts() const {
  std::lock_guard lock(mutex_);
  return starts_;
}

bool FakeEndpoint::waitForStarts(int count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return released_.wait_for(lock, timeout, [&] { return starts_ >= count; });
}

std::vector<FakeEndpoint::InitializeCall> FakeEndpoint::initializeCalls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}
std::uint32_t FakeEndpoint::smallestSharedBufferFrames() const {
  std::lock_guard lock(mutex_);
  std::vector<std::uint32_t> shared;
  for (const auto& c : calls_) {
    if (c.mode == AUDCLNT_SHAREMODE_SHARED && SUCCEEDED(c.result)) shared.push_back(c.bufferFrames);
  }
  if (shared.empty()) return 0;
  return shared.size() >= 2 ? shared[shared.size() - 2] : shared.back();
}
std::vector<WAVEFORMATEXTENSIBLE> FakeEndpoint::exclusiveQueries() const {
  std::lock_guard lock(mutex_);
  return exclusiveQueries_;
}
int FakeEndpoint::activations() const {
  std::lock_guard lock(mutex_);
  return activations_;
}
std::vector<std::uint8_t> FakeEndpoint::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}
std::uint64_t FakeEndpoint::releases() const {
  std::lock_guard lock(mutex_);
  return releases_;
}
std::uint64_t FakeEndpoint::getBufferCalls() const {
  std::lock_guard lock(mutex_);
  return getBufferCalls_;
}
const BYTE* FakeEndpoint::bufferPointer() const {
  std::lock_guard lock(mutex_);
  return buffer_.data();
}
bool FakeEndpoint::started() const {
  std::lock_guard lock(mutex_);
  return started_;
}
std::uint32_t FakeEndpoint::bufferFrames() const {
  std::lock_guard lock(mutex_);
  return bufferFrames_;
}
std::uint32_t FakeEndpoint::padding() const {
  std::lock_guard lock(mutex_);
  return padding_;
}

void FakeEndpoint::signal() {
  std::lock_guard lock(mutex_);
  if (event_) SetEvent(event_);
}

bool FakeEndpoint::consumePeriod(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const std::uint64_t before = releases_;
  padding_ -= std::min(padding_, periodFrames_);
  if (event_) SetEvent(event_);
  return released_.wait_for(lock, timeout, [&] { return releases_ > before; });
}

void FakeEndpoint::onActivate() {
  std::lock_guard lock(mutex_);
  ++activations_;
}

HRESULT FakeEndpoint::onInitialize(AUDCLNT_SHAREMODE mode, DWORD flags, REFERENCE_TIME buffer, REFERENCE_TIME period,
                                   const WAVEFORMATEX* format, std::uint32_t* alignedFrames) {
  std::lock_guard lock(mutex_);
  InitializeCall call{mode, flags, buffer, period, {}, S_OK};
  // Another program: exclusive is refused while anyone uses the device,
  // shared while someone holds it exclusively.
  if (other_ == OtherProgram::Exclusive || (other_ == OtherProgram::Shared && mode == AUDCLNT_SHAREMODE_EXCLUSIVE)) {
    std::memcpy(&call.format, format, std::min(sizeof call.format, sizeof(WAVEFORMATEX) + format->cbSize));
    call.result = AUDCLNT_E_DEVICE_IN_USE;
    calls_.push_back(call);
    return AUDCLNT_E_DEVICE_IN_USE;
  }
  std::memcpy(&call.format, format, std::min(sizeof call.format, sizeof(WAVEFORMATEX) + format->cbSize));
  const double rate = format->nSamplesPerSec;
  const bool event = (flags & AUDCLNT_STREAMFLAGS_EVENTCALLBACK) != 0;
  if (flags & AUDCLNT_STREAMFLAGS_LOOPBACK) {
    // Like Windows: loopback is shared-mode only, of a render endpoint, in
    // the mix format; it keeps its own buffer next to the render stream's.
    HRESULT lb = S_OK;
    if (mode != AUDCLNT_SHAREMODE_SHARED || config_.flow != eRender) {
      lb = AUDCLNT_E_WRONG_ENDPOINT_TYPE;
    } else if (!sameFormat(mix_.Format, *format)) {
      lb = AUDCLNT_E_UNSUPPORTED_FORMAT;
    }
    call.result = lb;
    calls_.push_back(call);
    if (FAILED(lb)) return lb;
    loopbackBufferFrames_ = std::max(framesOf(buffer, rate), 2 * framesOf(config_.defaultPeriod, rate));
    captureBuffer_.clear();
    captureHeld_ = false;  // a new client starts with no packet held
    return S_OK;
  }
  HRESULT hr = S_OK;
  std::uint32_t frames = 0;
  if (mode == AUDCLNT_SHAREMODE_EXCLUSIVE) {
    bool accepted = false;
    for (const auto& f : config_.exclusiveFormats) {
      const auto w = wasapi::makeWaveFormat(f.format, f.rate, f.channels, 0);
      if (sameFormat(w.Format, *format)) accepted = true;
    }
    frames = framesOf(buffer, rate);
    if (FAILED(config_.exclusiveRefusal)) {
      hr = config_.exclusiveRefusal;
    } else if (event && FAILED(config_.exclusiveEventRefusal)) {
      hr = config_.exclusiveEventRefusal;
    } else if (!accepted) {
      hr = AUDCLNT_E_UNSUPPORTED_FORMAT;
    } else if (event && buffer != period) {
      hr = AUDCLNT_E_BUFDURATION_PERIOD_NOT_EQUAL;
    } else if (period < config_.minimumPeriod) {
      hr = AUDCLNT_E_INVALID_DEVICE_PERIOD;
    } else if (config_.alignmentFrames && frames % config_.alignmentFrames != 0) {
      *alignedFrames = (frames / config_.alignmentFrames + 1) * config_.alignmentFrames;
      hr = AUDCLNT_E_BUFFER_SIZE_NOT_ALIGNED;
    }
    periodFrames_ = event ? frames : framesOf(period, rate);
  } else {
    const WAVEFORMATEX& mix = mix_.Format;
    bool accepted = sameFormat(mix, *format);
    for (double r : config_.sharedRates) {
      if (format->nSamplesPerSec == static_cast<DWORD>(r) && format->nChannels == mix.nChannels) accepted = true;
    }
    periodFrames_ = framesOf(config_.defaultPeriod, rate);
    // The engine gives at least its own buffer of two periods.
    frames = std::max(framesOf(buffer, rate), 2 * periodFrames_);
    if (FAILED(config_.sharedRefusal)) {
      hr = config_.sharedRefusal;
    } else if (!accepted) {
      hr = AUDCLNT_E_UNSUPPORTED_FORMAT;
    }
  }
  call.result = hr;
  if (SUCCEEDED(hr)) call.bufferFrames = frames;
  calls_.push_back(call);
  if (FAILED(hr)) return hr;
  mode_ = mode;
  flags_ = flags;
  bufferFrames_ = frames;
  blockAlign_ = format->nBlockAlign;
  padding_ = 0;
  buffer_.assign(static_cast<std::size_t>(frames) * blockAlign_, 0xCD);  // garbage until written
  event_ = nullptr;
  captureHeld_ = false;  // a new client starts with no packet held
  pendingFrames_ = 0;
  return S_OK;
}

HRESULT FakeEndpoint::onIsFormatSupported(AUDCLNT_SHAREMODE mode, const WAVEFORMATEX* format, WAVEFORMATEX** closest) {
  std::lock_guard lock(mutex_);
  if (closest) *closest = nullptr;
  if (mode == AUDCLNT_SHAREMODE_EXCLUSIVE) {
    WAVEFORMATEXTENSIBLE copy{};
    std::memcpy(&copy, format, std::min(sizeof copy, sizeof(WAVEFORMATEX) + format->cbSize));
    exclusiveQueries_.push_back(copy);
    if (FAILED(config_.exclusiveFormatRefusal)) return config_.exclusiveFormatRefusal;
    for (const auto& f : config_.exclusiveFormats) {
      const auto w = wasapi::makeWaveFormat(f.format, f.rate, f.channels, 0);
      if (sameFormat(w.Format, *format)) return S_OK;
    }
    return AUDCLNT_E_UNSUPPORTED_FORMAT;
  }
  const WAVEFORMATEX& mix = mix_.Format;
  if (sameFormat(mix, *format)) return S_OK;
  for (double r : config_.sharedRates) {
    if (format->nSamplesPerSec == static_cast<DWORD>(r) && format->nChannels == mix.nChannels) return S_OK;
  }
  if (closest) *closest = coTaskCopy(mix_);
  return S_FALSE;
}

void FakeEndpoint::onSetEvent(HANDLE event) {
  std::lock_guard lock(mutex_);
  event_ = event;
}

void FakeEndpoint::onStart(bool start) {
  {
    std::lock_guard lock(mutex_);
    started_ = start;
    if (start) ++starts_;
  }
  released_.notify_all();
}

void FakeEndpoint::onReset() {
  std::lock_guard lock(mutex_);
  padding_ = 0;
  if (config_.flow == eCapture) packets_.clear();
}

std::uint32_t FakeEndpoint::loopbackBufferFrames() const {
  std::lock_guard lock(mutex_);
  return loopbackBufferFrames_;
}

void FakeEndpoint::queuePacket(std::vector<std::uint8_t> bytes, std::uint32_t frames, DWORD flags, UINT64 qpcHns) {
  std::lock_guard lock(mutex_);
  packets_.push_back(Packet{std::move(bytes), frames, flags, qpcHns});
}

bool FakeEndpoint::deliverPacket(std::vector<std::uint8_t> bytes, std::uint32_t frames, DWORD flags, UINT64 qpcHns,
                                 std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  packets_.push_back(Packet{std::move(bytes), frames, flags, qpcHns});
  const std::uint64_t target = captureReleases_ + packets_.size();
  if (event_ && config_.flow == eCapture) SetEvent(event_);
  return released_.wait_for(lock, timeout, [&] { return captureReleases_ >= target; });
}

std::uint64_t FakeEndpoint::packetsReleased() const {
  std::lock_guard lock(mutex_);
  return captureReleases_;
}

std::size_t FakeEndpoint::packetsQueued() const {
  std::lock_guard lock(mutex_);
  return packets_.size();
}

void FakeEndpoint::failCapture(HRESULT hr) {
  std::lock_guard lock(mutex_);
  captureFailure_ = hr;
  if (event_ && config_.flow == eCapture) SetEvent(event_);
}

HRESULT FakeEndpoint::nextPacketFrames(UINT32* frames) {
  std::lock_guard lock(mutex_);
  *frames = 0;
  if (FAILED(captureFailure_)) return captureFailure_;  // an invalidated device fails every call
  if (const HRESULT fault = faultLocked(FakeCall::GetNextPacketSize); FAILED(fault)) return fault;
  *frames = packets_.empty() ? 0 : packets_.front().frames;
  return S_OK;
}

HRESULT FakeEndpoint::onCaptureGetBuffer(BYTE** data, UINT32* frames, DWORD* flags, UINT64* position, UINT64* qpc) {
  std::lock_guard lock(mutex_);
  if (FAILED(captureFailure_)) return captureFailure_;
  if (const HRESULT fault = faultLocked(FakeCall::CaptureGetBuffer); FAILED(fault)) return fault;
  if (captureHeld_) return AUDCLNT_E_OUT_OF_ORDER;
  if (packets_.empty()) {
    *data = nullptr;
    *frames = 0;
    *flags = 0;
    return AUDCLNT_S_BUFFER_EMPTY;
  }
  const Packet& p = packets_.front();
  captureBuffer_ = p.bytes;  // a stable copy until ReleaseBuffer
  *data = captureBuffer_.empty() ? nullptr : captureBuffer_.data();
  *frames = p.frames;
  *flags = p.flags;
  if (position) *position = capturePosition_;
  if (qpc) *qpc = p.qpc;
  captureHeld_ = true;
  return S_OK;
}

HRESULT FakeEndpoint::onCaptureReleaseBuffer(std::uint32_t frames) {
  {
    std::lock_guard lock(mutex_);
    if (const HRESULT fault = faultLocked(FakeCall::CaptureReleaseBuffer); FAILED(fault)) return fault;
    if (!captureHeld_ || packets_.empty()) return AUDCLNT_E_OUT_OF_ORDER;
    // WASAPI capture: release all of the packet or none of it.
    if (frames != 0 && frames != packets_.front().frames) return AUDCLNT_E_INVALID_SIZE;
    captureHeld_ = false;
    if (frames == 0) return S_OK;
    capturePosition_ += frames;
    packets_.pop_front();
    ++captureReleases_;
  }
  released_.notify_all();
  return S_OK;
}

HRESULT FakeEndpoint::onGetBuffer(std::uint32_t frames, BYTE** data) {
  std::lock_guard lock(mutex_);
  if (FAILED(config_.getBufferFailure) && getBufferCalls_ >= config_.getBufferFailAfter) {
    return config_.getBufferFailure;
  }
  if (const HRESULT fault = faultLocked(FakeCall::GetBuffer); FAILED(fault)) return fault;
  ++getBufferCalls_;
  const bool exclusiveEvent =
      mode_ == AUDCLNT_SHAREMODE_EXCLUSIVE && (flags_ & AUDCLNT_STREAMFLAGS_EVENTCALLBACK) != 0;
  // Exclusive event mode hands out the whole buffer each time; the other
  // modes only the room beyond the padding.
  const std::uint32_t room = exclusiveEvent ? bufferFrames_ : bufferFrames_ - padding_;
  if (frames > room) return AUDCLNT_E_BUFFER_TOO_LARGE;
  pendingFrames_ = frames;
  *data = buffer_.data();
  return S_OK;
}

HRESULT FakeEndpoint::onReleaseBuffer(std::uint32_t frames, DWORD flags) {
  {
    std::lock_guard lock(mutex_);
    if (const HRESULT fault = faultLocked(FakeCall::ReleaseBuffer); FAILED(fault)) return fault;
    if (frames > pendingFrames_) return AUDCLNT_E_INVALID_SIZE;
    const std::size_t bytes = static_cast<std::size_t>(frames) * blockAlign_;
    if (flags & AUDCLNT_BUFFERFLAGS_SILENT) {
      written_.insert(written_.end(), bytes, 0);
    } else {
      written_.insert(written_.end(), buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(bytes));
    }
    const bool exclusiveEvent =
        mode_ == AUDCLNT_SHAREMODE_EXCLUSIVE && (flags_ & AUDCLNT_STREAMFLAGS_EVENTCALLBACK) != 0;
    if (!exclusiveEvent) padding_ += frames;
    pendingFrames_ = 0;
    ++releases_;
  }
  released_.notify_all();
  return S_OK;
}

FakeAudioSystem::FakeAudioSystem(std::vector<std::shared_ptr<FakeEndpoint>> endpoints, std::size_t defaultRender)
    : endpoints_(std::move(endpoints)) {
  if (defaultRender < endpoints_.size()) defaultRender_ = endpoints_[defaultRender];
  for (const auto& ep : endpoints_) {
    if (ep->config().flow == eCapture) {
      defaultCapture_ = ep;
      break;
    }
  }
}

std::shared_ptr<FakeAudioSystem> FakeAudioSystem::create(std::vector<std::shared_ptr<FakeEndpoint>> endpoints,
                                                         std::size_t defaultRender) {
  return std::shared_ptr<FakeAudioSystem>(new FakeAudioSystem(std::move(endpoints), defaultRender));
}

wasapi::EnumeratorFactory FakeAudioSystem::factory() {
  std::shared_ptr<FakeAudioSystem> self = shared_from_this();
  return [self](IMMDeviceEnumerator** out) -> HRESULT {
    if (!out) return E_POINTER;
    *out = new FakeEnumerator(self);
    return S_OK;
  };
}

std::vector<std::shared_ptr<FakeEndpoint>> FakeAudioSystem::endpoints() const {
  std::lock_guard lock(mutex_);
  return endpoints_;
}

std::shared_ptr<FakeEndpoint> FakeAudioSystem::defaultEndpoint(EDataFlow flow) const {
  std::lock_guard lock(mutex_);
  return flow == eCapture ? defaultCapture_ : defaultRender_;
}

void FakeAudioSystem::notify(const std::function<void(IMMNotificationClient*)>& call) {
  std::thread thread([&] {
    if (!delivering_.try_lock_for(std::chrono::seconds(5))) {
      std::lock_guard lock(mutex_);
      violations_.push_back("a notification waited 5 s for another one");
      return;
    }
    notifier_ = GetCurrentThreadId();
    std::vector<IMMNotificationClient*> clients;
    {
      std::lock_guard lock(mutex_);
      clients = clients_;
    }
    for (IMMNotificationClient* client : clients) call(client);
    notifier_ = 0;
    delivering_.unlock();
  });
  thread.join();
}

void FakeAudioSystem::setState(const std::shared_ptr<FakeEndpoint>& endpoint, DWORD state) {
  endpoint->setState(state);
  const std::wstring id = endpoint->config().id;
  notify([&](IMMNotificationClient* c) { c->OnDeviceStateChanged(id.c_str(), state); });
}

void FakeAudioSystem::remove(const std::shared_ptr<FakeEndpoint>& endpoint) {
  endpoint->setState(DEVICE_STATE_NOTPRESENT);
  const std::wstring id = endpoint->config().id;
  notify([&](IMMNotificationClient* c) { c->OnDeviceRemoved(id.c_str()); });
}

void FakeAudioSystem::setDefault(const std::shared_ptr<FakeEndpoint>& endpoint) {
  const EDataFlow flow = endpoint->config().flow;
  {
    std::lock_guard lock(mutex_);
    (flow == eCapture ? defaultCapture_ : defaultRender_) = endpoint;
  }
  const std::wstring id = endpoint->config().id;
  notify([&](IMMNotificationClient* c) {
    for (ERole role : {eConsole, eMultimedia, eCommunications}) c->OnDefaultDeviceChanged(flow, role, id.c_str());
  });
}

void FakeAudioSystem::changeFormat(const std::shared_ptr<FakeEndpoint>& endpoint, const WAVEFORMATEXTENSIBLE& mix) {
  endpoint->setMix(mix);
  endpoint->invalidate();
  announceFormat(endpoint);
}

void FakeAudioSystem::announceFormat(const std::shared_ptr<FakeEndpoint>& endpoint) {
  const std::wstring id = endpoint->config().id;
  notify([&](IMMNotificationClient* c) { c->OnPropertyValueChanged(id.c_str(), wasapi::kDeviceFormatKey); });
}

HRESULT FakeAudioSystem::registerClient(IMMNotificationClient* client) {
  if (!client) return E_POINTER;
  std::lock_guard lock(mutex_);
  for (IMMNotificationClient* c : clients_) {
    if (c == client) {
      violations_.push_back("a client registered twice");
      return E_INVALIDARG;
    }
  }
  clients_.push_back(client);  // not AddRef'd, as Windows does not
  return S_OK;
}

HRESULT FakeAudioSystem::unregisterClient(IMMNotificationClient* client) {
  if (notifier_.load() == GetCurrentThreadId()) {
    std::lock_guard lock(mutex_);
    violations_.push_back("Unregister from inside a notification (deadlocks on Windows)");
    return E_FAIL;
  }
  if (!delivering_.try_lock_for(std::chrono::seconds(5))) {
    std::lock_guard lock(mutex_);
    violations_.push_back("Unregister waited 5 s for a notification");
    return E_FAIL;
  }
  HRESULT hr = E_INVALIDARG;
  {
    std::lock_guard lock(mutex_);
    for (auto it = clients_.begin(); it != clients_.end(); ++it) {
      if (*it == client) {
        clients_.erase(it);
        hr = S_OK;
        break;
      }
    }
    if (FAILED(hr)) violations_.push_back("Unregister of a client that is not registered");
  }
  delivering_.unlock();
  return hr;
}

std::size_t FakeAudioSystem::registeredClients() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

std::vector<std::string> FakeAudioSystem::violations() const {
  std::lock_guard lock(mutex_);
  return violations_;
}

wasapi::EnumeratorFactory fakeEnumeratorFactory(std::vector<std::shared_ptr<FakeEndpoint>> endpoints,
                                                std::size_t defaultIndex) {
  return FakeAudioSystem::create(std::move(endpoints), defaultIndex)->factory();
}

}  // namespace a2w::fake
