#include "wasapi/failure_advice.h"

#include <audioclient.h>

namespace a2w::wasapi {

std::string adviceFor(HRESULT hr, StreamMode mode) {
  const bool exclusive = mode == StreamMode::ExclusiveEvent || mode == StreamMode::ExclusivePoll;
  switch (hr) {
    case AUDCLNT_E_DEVICE_INVALIDATED:
    case AUDCLNT_E_RESOURCES_INVALIDATED:
      return "The device was removed or disabled: reconnect or enable it, or choose another. ";
    case AUDCLNT_E_DEVICE_IN_USE:
      // Exclusive is refused while anyone plays (shared); shared is refused
      // only while another program holds the device exclusively.
      return exclusive ? "The device is in use by another program: close it, or choose mode auto or shared. "
                       : "Another program holds the device exclusively: close it or end its exclusive mode. ";
    case AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED:
      return exclusive ? "Exclusive mode is not allowed for this device (Windows sound settings): choose mode auto. "
                       : "";
    case AUDCLNT_E_SERVICE_NOT_RUNNING:
      return "The Windows Audio service is not running: start it. ";
    default:
      return "";
  }
}

}  // namespace a2w::wasapi
