#include "wasapi/device_watcher.h"

#include <atomic>

namespace a2w::wasapi {

const PROPERTYKEY kDeviceFormatKey = {
    {0xf19f064d, 0x082c, 0x4e27, {0xbc, 0x73, 0x68, 0x82, 0xa1, 0xbb, 0x8e, 0x4c}}, 0};

// The COM object Windows calls. Its reference count is real (Windows may
// AddRef it); DeviceWatcher holds one reference from start() to stop().
class DeviceWatcher::Client final : public IMMNotificationClient {
 public:
  Client(const WatchedEndpoint& render, const WatchedEndpoint& capture, EventNotifier* notifier)
      : render_(render), capture_(capture), notifier_(notifier) {}

  ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
  ULONG STDMETHODCALLTYPE Release() override {
    const ULONG n = --refs_;
    if (n == 0) delete this;
    return n;
  }
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, __uuidof(IUnknown)) || IsEqualIID(riid, __uuidof(IMMNotificationClient))) {
      *ppv = static_cast<IMMNotificationClient*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }

  HRESULT STDMETHODCALLTYPE OnDeviceStateChanged(LPCWSTR id, DWORD state) override {
    if (state != DEVICE_STATE_ACTIVE && inUse(id)) notifier_->post(DeviceEvent::Lost);
    return S_OK;
  }
  // The next init() finds an endpoint that (re)appears: nothing to do now.
  HRESULT STDMETHODCALLTYPE OnDeviceAdded(LPCWSTR) override { return S_OK; }
  HRESULT STDMETHODCALLTYPE OnDeviceRemoved(LPCWSTR id) override {
    if (inUse(id)) notifier_->post(DeviceEvent::Lost);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE OnDefaultDeviceChanged(EDataFlow flow, ERole role, LPCWSTR id) override {
    // Windows sends one per role; "default" in our settings is the console one.
    if (role != eConsole) return S_OK;
    if (movedAway(render_, flow, id) || movedAway(capture_, flow, id)) notifier_->post(DeviceEvent::DefaultChanged);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE OnPropertyValueChanged(LPCWSTR id, const PROPERTYKEY key) override {
    if (IsEqualGUID(key.fmtid, kDeviceFormatKey.fmtid) && key.pid == kDeviceFormatKey.pid && inUse(id)) {
      notifier_->post(DeviceEvent::FormatChanged);
    }
    return S_OK;
  }

 private:
  ~Client() = default;
  static bool same(const std::wstring& a, LPCWSTR b) { return b != nullptr && !a.empty() && _wcsicmp(a.c_str(), b) == 0; }
  bool inUse(LPCWSTR id) const { return same(render_.id, id) || same(capture_.id, id); }
  // A side following the default whose direction's default is now another
  // endpoint (or none at all).
  static bool movedAway(const WatchedEndpoint& side, EDataFlow flow, LPCWSTR id) {
    return side.followsDefault && !side.id.empty() && side.flow == flow && !same(side.id, id);
  }

  std::atomic<ULONG> refs_{1};
  const WatchedEndpoint render_;
  const WatchedEndpoint capture_;
  EventNotifier* const notifier_;
};

DeviceWatcher::~DeviceWatcher() { stop(); }

HRESULT DeviceWatcher::start(IMMDeviceEnumerator* enumerator, const WatchedEndpoint& render,
                             const WatchedEndpoint& capture, EventNotifier* notifier) {
  stop();
  if (!enumerator || !notifier) return E_POINTER;
  Microsoft::WRL::ComPtr<IMMNotificationClient> client;
  client.Attach(new Client(render, capture, notifier));
  const HRESULT hr = enumerator->RegisterEndpointNotificationCallback(client.Get());
  if (FAILED(hr)) return hr;
  enumerator_ = enumerator;
  client_ = std::move(client);
  return S_OK;
}

void DeviceWatcher::stop() {
  if (client_ && enumerator_) enumerator_->UnregisterEndpointNotificationCallback(client_.Get());
  client_.Reset();
  enumerator_.Reset();
}

}  // namespace a2w::wasapi
