#include "core/channel_map.h"

#include <utility>

namespace a2w {

std::string resolveChannelMap(const char* table, const std::string& device, int deviceChannels,
                              std::int32_t channels, const std::vector<std::int32_t>& map, ChannelMap* out) {
  const std::string shownDevice = device.size() > 32 ? device.substr(0, 32) + "..." : device;
  const std::string has = "\"" + shownDevice + "\" has " + std::to_string(deviceChannels) + " channels";
  if (!map.empty()) {
    std::vector<int> slots;
    for (const std::int32_t slot : map) {
      if (slot < 0 || slot >= deviceChannels) {
        return "init: " + std::string(table) + " channel_map names device channel " + std::to_string(slot) + ", but " +
               has + " (0-" + std::to_string(deviceChannels - 1) + ")";
      }
      slots.push_back(slot);
    }
    *out = ChannelMap::fromSlots(std::move(slots));
    return {};
  }
  if (channels > deviceChannels) {
    return "init: " + std::string(table) + " channels = " + std::to_string(channels) + ", but " + has;
  }
  *out = ChannelMap::identity(static_cast<std::size_t>(channels > 0 ? channels : deviceChannels));
  return {};
}

}  // namespace a2w
