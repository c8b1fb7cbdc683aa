// Which device slot (position in an interleaved device frame) each host
// channel travels through: the identity, or the user's routing from the
// settings ([output] / [input] channels and channel_map, e.g. host outputs
// 0-1 to device slots 4-5), resolved against the device at init.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace a2w {

class ChannelMap {
 public:
  static ChannelMap identity(std::size_t hostChannels) {
    ChannelMap map;
    map.slotOfHostChannel_.resize(hostChannels);
    for (std::size_t i = 0; i < hostChannels; ++i) map.slotOfHostChannel_[i] = static_cast<int>(i);
    return map;
  }
  static ChannelMap fromSlots(std::vector<int> slots) {
    ChannelMap map;
    map.slotOfHostChannel_ = std::move(slots);
    return map;
  }

  // The device slot of a host channel, or -1 when it reaches no slot.
  int deviceSlot(std::size_t hostChannel) const {
    return hostChannel < slotOfHostChannel_.size() ? slotOfHostChannel_[hostChannel] : -1;
  }
  std::size_t hostChannels() const { return slotOfHostChannel_.size(); }

 private:
  std::vector<int> slotOfHostChannel_;
};

// The host's channels on a device side with `deviceChannels` slots, from the
// configured count (0 = all, or as many as the map lists) and map (empty =
// identity). `table` is "[output]" or "[input]" and `device` the endpoint's
// name, for the message. Returns "" and fills *out, or a sentence saying
// what does not fit this device.
std::string resolveChannelMap(const char* table, const std::string& device, int deviceChannels,
                              std::int32_t channels, const std::vector<std::int32_t>& map, ChannelMap* out);

}  // namespace a2w
