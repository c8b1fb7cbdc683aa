// Which device slot (position in an interleaved device frame) each host
// channel travels through. The identity for now; a small table so that a
// configured routing (e.g. host outputs 1-2 to device slots 4-5) only has to
// fill it differently.
#pragma once

#include <cstddef>
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

  // The device slot of a host channel, or -1 when it reaches no slot.
  int deviceSlot(std::size_t hostChannel) const {
    return hostChannel < slotOfHostChannel_.size() ? slotOfHostChannel_[hostChannel] : -1;
  }

 private:
  std::vector<int> slotOfHostChannel_;
};

}  // namespace a2w
