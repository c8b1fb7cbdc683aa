// DriverCore::setConfigError: how a settings error reaches the host. The COM
// object is created before anything can fail visibly, so a bad setting is
// parked in the core and reported by the first init() (see driver_core.h).
#include <utility>

#include "core/driver_core.h"
#include "core/driver_core_impl.h"

namespace a2w {

void DriverCore::setConfigError(Status error) {
  // Also set the message now: a host may ask getErrorMessage() before init().
  if (!error.ok()) impl_->error.set(error.message);
  const std::lock_guard<std::mutex> lock(settingsMutex_);
  configError_ = std::move(error);
}

Status DriverCore::configError() const {
  const std::lock_guard<std::mutex> lock(settingsMutex_);
  return configError_;
}

}  // namespace a2w
