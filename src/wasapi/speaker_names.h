// ASIO channel names from a WASAPI speaker mask.
#pragma once

#include <windows.h>

#include <string>
#include <vector>

namespace a2w::wasapi {

// One name per channel, in WASAPI's interleaving order (ascending mask bits):
// "Front Left", "Front Right", "Front Center", "LFE", ... Channels beyond
// the mask's bits (or all of them with mask 0) are "Channel N", 1-based.
std::vector<std::string> channelNames(DWORD channelMask, int channels);

}  // namespace a2w::wasapi
