// DriverCore and the user's settings: live reload (applySettings,
// requestReset, the pending settings init() takes) and the channel maps
// init() resolves against the device.
#include <utility>

#include "core/channel_map.h"
#include "core/driver_core.h"
#include "core/driver_core_impl.h"

namespace a2w {

void DriverCore::applySettings(DriverSettings settings, std::string reason) {
  {
    const std::lock_guard<std::mutex> lock(settingsMutex_);
    pendingSettings_ = std::move(settings);
    configError_ = Status::success();  // the new settings were read without error
  }
  requestReset(std::move(reason));
}

void DriverCore::requestReset(std::string reason) {
  {
    const std::lock_guard<std::mutex> lock(settingsMutex_);
    lastResetReason_ = std::move(reason);
  }
  impl_->requestReset();
}

std::string DriverCore::lastResetReason() const {
  const std::lock_guard<std::mutex> lock(settingsMutex_);
  return lastResetReason_;
}

DriverSettings DriverCore::settings() const {
  const std::lock_guard<std::mutex> lock(settingsMutex_);
  return pendingSettings_ ? *pendingSettings_ : impl_->settings;
}

std::optional<DriverSettings> DriverCore::takePendingSettings() {
  const DriverState state = impl_->currentState();
  if (state != DriverState::Loaded && state != DriverState::Initialised) return std::nullopt;
  const std::lock_guard<std::mutex> lock(settingsMutex_);
  return std::exchange(pendingSettings_, std::nullopt);
}

std::string DriverCore::Impl::applyChannelMaps(DeviceDescription* d) {
  ChannelMap out;
  ChannelMap in;
  if (d->render.present) {
    std::string problem = resolveChannelMap("[output]", d->render.endpointName, static_cast<int>(d->render.channelNames.size()),
                                            settings.outputChannels, settings.outputChannelMap, &out);
    if (!problem.empty()) return problem;
  }
  if (d->capture.present) {
    std::string problem = resolveChannelMap("[input]", d->capture.endpointName, static_cast<int>(d->capture.channelNames.size()),
                                            settings.inputChannels, settings.inputChannelMap, &in);
    if (!problem.empty()) return problem;
  }
  // The host's channel i is named after the device channel it reaches.
  const auto hostNames = [](const std::vector<std::string>& device, const ChannelMap& map) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < map.hostChannels(); ++i) names.push_back(device[static_cast<std::size_t>(map.deviceSlot(i))]);
    return names;
  };
  if (d->render.present) d->render.channelNames = hostNames(d->render.channelNames, out);
  if (d->capture.present) d->capture.channelNames = hostNames(d->capture.channelNames, in);
  outputMap = std::move(out);
  inputMap = std::move(in);
  return {};
}

}  // namespace a2w
