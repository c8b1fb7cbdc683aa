#include "wasapi/speaker_names.h"

namespace a2w::wasapi {
namespace {

// Indexed by bit number of the SPEAKER_* constants in ksmedia.h: the order in
// which WASAPI interleaves the channels a mask names.
constexpr const char* kSpeakerNames[] = {
    "Front Left",         // SPEAKER_FRONT_LEFT           0x1
    "Front Right",        // SPEAKER_FRONT_RIGHT          0x2
    "Front Center",       // SPEAKER_FRONT_CENTER         0x4
    "LFE",                // SPEAKER_LOW_FREQUENCY        0x8
    "Back Left",          // SPEAKER_BACK_LEFT            0x10
    "Back Right",         // SPEAKER_BACK_RIGHT           0x20
    "Front Left Center",  // SPEAKER_FRONT_LEFT_OF_CENTER 0x40
    "Front Right Center", // SPEAKER_FRONT_RIGHT_OF_CENTER 0x80
    "Back Center",        // SPEAKER_BACK_CENTER          0x100
    "Side Left",          // SPEAKER_SIDE_LEFT            0x200
    "Side Right",         // SPEAKER_SIDE_RIGHT           0x400
    "Top Center",         // SPEAKER_TOP_CENTER           0x800
    "Top Front Left",     // SPEAKER_TOP_FRONT_LEFT       0x1000
    "Top Front Center",   // SPEAKER_TOP_FRONT_CENTER     0x2000
    "Top Front Right",    // SPEAKER_TOP_FRONT_RIGHT      0x4000
    "Top Back Left",      // SPEAKER_TOP_BACK_LEFT        0x8000
    "Top Back Center",    // SPEAKER_TOP_BACK_CENTER      0x10000
    "Top Back Right",     // SPEAKER_TOP_BACK_RIGHT       0x20000
};

}  // namespace

std::vector<std::string> channelNames(DWORD channelMask, int channels) {
  std::vector<std::string> names;
  names.reserve(channels > 0 ? static_cast<std::size_t>(channels) : 0);
  constexpr int kKnownBits = static_cast<int>(sizeof kSpeakerNames / sizeof kSpeakerNames[0]);
  for (int bit = 0; bit < kKnownBits && static_cast<int>(names.size()) < channels; ++bit) {
    if (channelMask & (DWORD{1} << bit)) names.emplace_back(kSpeakerNames[bit]);
  }
  while (static_cast<int>(names.size()) < channels) {
    names.push_back("Channel " + std::to_string(names.size() + 1));
  }
  return names;
}

}  // namespace a2w::wasapi
