// Watches the endpoints a backend has open through IMMNotificationClient and
// posts what concerns them to the EventNotifier:
//   - the endpoint in use removed, disabled or unplugged   -> Lost
//   - the default console endpoint of a direction changed,
//     and that side follows the default ("default")        -> DefaultChanged
//   - PKEY_AudioEngine_DeviceFormat of an endpoint in use  -> FormatChanged
//     (the backend checks on the notifier thread that the format really
//     differs from the one it opened: see WasapiBackend)
//
// Windows calls the client on a thread of its own and asks that it neither
// block nor call back into the audio system; unregistering from inside a
// callback deadlocks. So a callback only compares endpoint ids (copied at
// start) and posts (a bit and an event: no allocation, no lock, no wait);
// all the work, and the host, come on the notifier thread.
//
// Registered in WasapiBackend::open() and unregistered in close(); the
// notifier must outlive the registration.
#pragma once

#include <windows.h>
#include <mmdeviceapi.h>
#include <wrl/client.h>

#include <string>

#include "wasapi/event_notifier.h"

namespace a2w::wasapi {

// One side of what the backend has open.
struct WatchedEndpoint {
  std::wstring id;              // empty: no endpoint on this side
  EDataFlow flow = eRender;     // the endpoint's own flow (loopback capture: eRender)
  bool followsDefault = false;  // the settings chose "default" (or loopback of it)
};

// PKEY_AudioEngine_DeviceFormat, the engine's format of an endpoint.
extern const PROPERTYKEY kDeviceFormatKey;

class DeviceWatcher {
 public:
  DeviceWatcher() = default;
  ~DeviceWatcher();
  DeviceWatcher(const DeviceWatcher&) = delete;
  DeviceWatcher& operator=(const DeviceWatcher&) = delete;

  HRESULT start(IMMDeviceEnumerator* enumerator, const WatchedEndpoint& render, const WatchedEndpoint& capture,
                EventNotifier* notifier);
  // Unregisters (waits for a callback in progress, which only posts). Never
  // call it from inside a notification callback. Idempotent.
  void stop();
  bool registered() const { return client_ != nullptr; }

 private:
  class Client;
  Microsoft::WRL::ComPtr<IMMDeviceEnumerator> enumerator_;
  Microsoft::WRL::ComPtr<IMMNotificationClient> client_;  // a Client
};

}  // namespace a2w::wasapi
