#include "driver/backend_factory.h"

#include "wasapi/wasapi_backend.h"

namespace a2w {

// The default enumerator factory: the system's IMMDeviceEnumerator, created
// only when init() opens the device.
std::unique_ptr<AudioBackend> makeDriverBackend() { return std::make_unique<wasapi::WasapiBackend>(); }

}  // namespace a2w
