// The ASIO driver binary interface, written from the published facts in
// shared/docs/asio-abi.md. Portable: no <windows.h>, and every 32-bit
// quantity is spelled std::int32_t (ASIO's `long` is 32 bits on Windows,
// but 64 bits on Linux x86_64, where the native tests run).
//
// Every struct is packed to 4 bytes, as MSVC-built hosts see it. Field
// offsets are the same as with natural alignment; only trailing padding
// differs, so the driver must never read or write past the packed sizes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace asio {

using Bool = std::int32_t;   // 0 or 1
using Error = std::int32_t;  // one of the codes in namespace asio::err
using SampleRate = double;   // frames per second

constexpr Bool kFalse = 0;
constexpr Bool kTrue = 1;

namespace err {
constexpr Error kOk = 0;
constexpr Error kSuccess = 0x3f4847a0;  // the only "yes" for future()
constexpr Error kNotPresent = -1000;
constexpr Error kHardwareMalfunction = -999;
constexpr Error kInvalidParameter = -998;
constexpr Error kInvalidMode = -997;
constexpr Error kSamplePositionNotAdvancing = -996;
constexpr Error kNoClock = -995;
constexpr Error kNoMemory = -994;
}  // namespace err

// The name hosts and logs print for an error code, e.g. "ASE_InvalidMode".
constexpr const char* errorName(Error code) {
  switch (code) {
    case err::kOk: return "ASE_OK";
    case err::kSuccess: return "ASE_SUCCESS";
    case err::kNotPresent: return "ASE_NotPresent";
    case err::kHardwareMalfunction: return "ASE_HWMalfunction";
    case err::kInvalidParameter: return "ASE_InvalidParameter";
    case err::kInvalidMode: return "ASE_InvalidMode";
    case err::kSamplePositionNotAdvancing: return "ASE_SPNotAdvancing";
    case err::kNoClock: return "ASE_NoClock";
    case err::kNoMemory: return "ASE_NoMemory";
    default: return "unknown error";
  }
}

// A 64-bit unsigned count split into two 32-bit words, high word first.
struct Split64 {
  std::uint32_t hi;
  std::uint32_t lo;
};
using Samples = Split64;    // frames since start
using TimeStamp = Split64;  // nanoseconds on the timeGetTime() time base

constexpr Split64 toSplit64(std::uint64_t v) {
  return Split64{static_cast<std::uint32_t>(v >> 32), static_cast<std::uint32_t>(v & 0xffffffffu)};
}
constexpr std::uint64_t fromSplit64(Split64 v) {
  return (static_cast<std::uint64_t>(v.hi) << 32) | v.lo;
}

// ChannelInfo::type.
enum class SampleType : std::int32_t {
  Int16MSB = 0,
  Int24MSB = 1,
  Int32MSB = 2,
  Float32MSB = 3,
  Float64MSB = 4,
  Int32MSB16 = 8,
  Int32MSB18 = 9,
  Int32MSB20 = 10,
  Int32MSB24 = 11,
  Int16LSB = 16,
  Int24LSB = 17,  // three bytes per sample, packed
  Int32LSB = 18,
  Float32LSB = 19,
  Float64LSB = 20,
  Int32LSB16 = 24,  // value in the low 16 bits of a 32-bit word
  Int32LSB18 = 25,
  Int32LSB20 = 26,
  Int32LSB24 = 27,
  DSDInt8LSB1 = 32,
  DSDInt8MSB1 = 33,
  DSDInt8NER8 = 40,
};

// Selectors the driver sends through Callbacks::asioMessage.
namespace msg {
constexpr std::int32_t kSelectorSupported = 1;
constexpr std::int32_t kEngineVersion = 2;
constexpr std::int32_t kResetRequest = 3;
constexpr std::int32_t kBufferSizeChange = 4;
constexpr std::int32_t kResyncRequest = 5;
constexpr std::int32_t kLatenciesChanged = 6;
constexpr std::int32_t kSupportsTimeInfo = 7;
constexpr std::int32_t kSupportsTimeCode = 8;
constexpr std::int32_t kMmcCommand = 9;
constexpr std::int32_t kSupportsInputMonitor = 10;
constexpr std::int32_t kSupportsInputGain = 11;
constexpr std::int32_t kSupportsInputMeter = 12;
constexpr std::int32_t kSupportsOutputGain = 13;
constexpr std::int32_t kSupportsOutputMeter = 14;
constexpr std::int32_t kOverload = 15;
}  // namespace msg

// Selectors the host passes to the driver's future().
namespace fut {
constexpr std::int32_t kEnableTimeCodeRead = 1;
constexpr std::int32_t kDisableTimeCodeRead = 2;
constexpr std::int32_t kSetInputMonitor = 3;
constexpr std::int32_t kTransport = 4;
constexpr std::int32_t kSetInputGain = 5;
constexpr std::int32_t kGetInputMeter = 6;
constexpr std::int32_t kSetOutputGain = 7;
constexpr std::int32_t kGetOutputMeter = 8;
constexpr std::int32_t kCanInputMonitor = 9;
constexpr std::int32_t kCanTimeInfo = 10;
constexpr std::int32_t kCanTimeCode = 11;
constexpr std::int32_t kCanTransport = 12;
constexpr std::int32_t kCanInputGain = 13;
constexpr std::int32_t kCanInputMeter = 14;
constexpr std::int32_t kCanOutputGain = 15;
constexpr std::int32_t kCanOutputMeter = 16;
constexpr std::int32_t kOptionalOne = 17;
constexpr std::int32_t kSetIoFormat = 0x23111961;
constexpr std::int32_t kGetIoFormat = 0x23111983;
constexpr std::int32_t kCanDoIoFormat = 0x23112004;
constexpr std::int32_t kCanReportOverload = 0x24042012;
constexpr std::int32_t kGetInternalBufferSamples = 0x25042012;
}  // namespace fut

// TimeInfo::flags.
namespace timeinfo {
constexpr std::uint32_t kSystemTimeValid = 1;
constexpr std::uint32_t kSamplePositionValid = 2;
constexpr std::uint32_t kSampleRateValid = 4;
constexpr std::uint32_t kSpeedValid = 8;
constexpr std::uint32_t kSampleRateChanged = 16;
constexpr std::uint32_t kClockSourceChanged = 32;
}  // namespace timeinfo

// TimeCode::flags.
namespace timecode {
constexpr std::uint32_t kValid = 1;
constexpr std::uint32_t kRunning = 2;
constexpr std::uint32_t kReverse = 4;
constexpr std::uint32_t kOnspeed = 8;
constexpr std::uint32_t kStill = 16;
constexpr std::uint32_t kSpeedValid = 256;
}  // namespace timecode

constexpr std::size_t kDriverNameBytes = 32;    // 31 characters and a NUL
constexpr std::size_t kErrorMessageBytes = 124;  // 123 characters and a NUL
constexpr std::size_t kChannelNameBytes = 32;
constexpr std::size_t kClockNameBytes = 32;

#pragma pack(push, 4)

struct DriverInfo {
  std::int32_t asioVersion;
  std::int32_t driverVersion;
  char name[kDriverNameBytes];
  char errorMessage[kErrorMessageBytes];
  void* sysRef;
};

struct ClockSource {
  std::int32_t index;
  std::int32_t associatedChannel;
  std::int32_t associatedGroup;
  Bool isCurrentSource;
  char name[kClockNameBytes];
};

struct ChannelInfo {
  std::int32_t channel;  // in: which channel
  Bool isInput;          // in: which direction
  Bool isActive;         // out: has a buffer from createBuffers
  std::int32_t channelGroup;
  SampleType type;
  char name[kChannelNameBytes];
};

struct BufferInfo {
  Bool isInput;          // in
  std::int32_t channelNum;  // in
  void* buffers[2];      // out: the two halves of the double buffer
};

struct TimeInfo {
  double speed;
  TimeStamp systemTime;
  Samples samplePosition;
  SampleRate sampleRate;
  std::uint32_t flags;
  char reserved[12];
};

struct TimeCode {
  double speed;
  Samples timeCodeSamples;
  std::uint32_t flags;
  char future[64];
};

struct Time {
  std::int32_t reserved[4];  // zero
  TimeInfo timeInfo;
  TimeCode timeCode;
};

// Host callbacks: plain C calling convention on every platform.
struct Callbacks {
  void (*bufferSwitch)(std::int32_t doubleBufferIndex, Bool directProcess);
  void (*sampleRateDidChange)(SampleRate rate);
  std::int32_t (*asioMessage)(std::int32_t selector, std::int32_t value, void* message, double* opt);
  Time* (*bufferSwitchTimeInfo)(Time* params, std::int32_t doubleBufferIndex, Bool directProcess);
};

// future(kGetInternalBufferSamples) fills this.
struct InternalBufferSamples {
  std::int32_t inputSamples;
  std::int32_t outputSamples;
};

#pragma pack(pop)

// Sizes and offsets as MSVC-built hosts see them (pack 4). The win32 build
// proves the 4-byte-pointer column, win64 and native the 8-byte one.
constexpr bool kPointers8 = sizeof(void*) == 8;
static_assert(sizeof(Split64) == 8);
static_assert(sizeof(DriverInfo) == (kPointers8 ? 172 : 168));
static_assert(offsetof(DriverInfo, name) == 8);
static_assert(offsetof(DriverInfo, errorMessage) == 40);
static_assert(offsetof(DriverInfo, sysRef) == 164);
static_assert(sizeof(ClockSource) == 48);
static_assert(offsetof(ClockSource, isCurrentSource) == 12);
static_assert(offsetof(ClockSource, name) == 16);
static_assert(sizeof(ChannelInfo) == 52);
static_assert(offsetof(ChannelInfo, type) == 16);
static_assert(offsetof(ChannelInfo, name) == 20);
static_assert(sizeof(BufferInfo) == (kPointers8 ? 24 : 16));
static_assert(offsetof(BufferInfo, channelNum) == 4);
static_assert(offsetof(BufferInfo, buffers) == 8);
static_assert(sizeof(TimeInfo) == 48);
static_assert(offsetof(TimeInfo, systemTime) == 8);
static_assert(offsetof(TimeInfo, samplePosition) == 16);
static_assert(offsetof(TimeInfo, sampleRate) == 24);
static_assert(offsetof(TimeInfo, flags) == 32);
static_assert(sizeof(TimeCode) == 84);
static_assert(offsetof(TimeCode, timeCodeSamples) == 8);
static_assert(offsetof(TimeCode, flags) == 16);
static_assert(offsetof(TimeCode, future) == 20);
static_assert(sizeof(Time) == 148);
static_assert(offsetof(Time, timeInfo) == 16);
static_assert(offsetof(Time, timeCode) == 64);
static_assert(sizeof(Callbacks) == 4 * sizeof(void*));
static_assert(offsetof(Callbacks, asioMessage) == 2 * sizeof(void*));
static_assert(offsetof(Callbacks, bufferSwitchTimeInfo) == 3 * sizeof(void*));
static_assert(sizeof(InternalBufferSamples) == 8);

}  // namespace asio
