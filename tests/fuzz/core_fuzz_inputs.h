// The core fuzzer's random worlds: a fake device, the user's settings, and a
// host's habits, each drawn from the fuzzer's bytes. Devices and settings
// stay within what the real layers can produce (a WASAPI endpoint, the TOML
// loader's ranges), plus the edge cases those layers let through.
#pragma once

#include <cstdint>

#include "core/driver_settings.h"
#include "fuzz/fuzz_bytes.h"
#include "support/fake_backend.h"

namespace a2w::fuzz {

struct FuzzDevice {
  test::FakeDeviceConfig config;
  // init with the default settings must succeed (some device and at least
  // one channel, buffer sizes the core accepts); false: it must refuse.
  bool usable = false;
};
FuzzDevice randomDevice(FuzzBytes& in);

// Settings as the loaders produce them (log off: the fuzzer starts no logger).
DriverSettings randomSettings(FuzzBytes& in);

// How the fuzzing host behaves.
struct HostBehaviour {
  bool giveAsioMessage = true;       // Callbacks::asioMessage is set
  bool giveTimeInfo = true;          // Callbacks::bufferSwitchTimeInfo is set
  std::uint32_t supportedMask = ~0u; // bit n: kSelectorSupported(n) answers 1
  std::int32_t timeInfoAnswer = 1;   // kSupportsTimeInfo's answer
  std::int32_t engineVersion = 2;
  bool armed = true;                 // bufferSwitch writes its outputs and reads its inputs
  std::uint8_t reentry = 0;          // Reentry bits: driver calls made from inside the callbacks
  bool resetInline = false;          // handles kResetRequest inside the message (stop, disposeBuffers)
  std::uint32_t seed = 1;            // what an armed host writes
};
namespace reentry {
inline constexpr std::uint8_t kSamplePosition = 1;
inline constexpr std::uint8_t kOutputReady = 2;
inline constexpr std::uint8_t kLatencies = 4;  // also on kLatenciesChanged
inline constexpr std::uint8_t kInternalBuffers = 8;
}  // namespace reentry
HostBehaviour randomHost(FuzzBytes& in);

}  // namespace a2w::fuzz
