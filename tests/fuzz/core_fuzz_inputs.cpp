#include "fuzz/core_fuzz_inputs.h"

#include <string>
#include <vector>

namespace a2w::fuzz {

namespace {

DeviceSampleFormat randomFormat(FuzzBytes& in) {
  return in.pick({DeviceSampleFormat::Float32, DeviceSampleFormat::Float32, DeviceSampleFormat::Int16,
                  DeviceSampleFormat::Int24Packed, DeviceSampleFormat::Int24In32, DeviceSampleFormat::Int32});
}

// Channel names as endpoints give them: ordinary, empty (the core names
// them), longer than ASIO's 31 characters, or UTF-8.
std::vector<std::string> randomNames(FuzzBytes& in, int count) {
  if (!in.oneIn(4)) return {};  // the fake's "Speaker 1", ...
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    names.push_back(in.pick<std::string>({"", "Front Left", std::string(40, 'x') + std::to_string(i),
                                          "Lautsprecher \xc3\xbc" + std::string(14, '\xc3') + "\xa4 end",
                                          "\xe2\x82\xac" + std::to_string(i)}));
  }
  return names;
}

BufferSizeOptions randomSizes(FuzzBytes& in) {
  BufferSizeOptions o;
  o.minimum = in.pick<std::int32_t>({64, 16, 32, 100, 480, 1, 0, -8});
  o.maximum = in.pick<std::int32_t>({2048, o.minimum, 512, 4096, 8192, 48});
  o.preferred = in.pick<std::int32_t>({256, o.minimum, o.maximum, 480, 0, -5});
  o.granularity = in.pick<std::int32_t>({-1, 0, 1, 16, 32, 7});
  return o;
}

bool sizesUsable(const BufferSizeOptions& o) { return o.preferred > 0 && o.minimum > 0 && o.minimum <= o.maximum; }

std::vector<std::int32_t> randomMap(FuzzBytes& in) {
  std::vector<std::int32_t> map;
  if (!in.oneIn(3)) return map;
  const int entries = 1 + in.below(6);
  for (int i = 0; i < entries; ++i) map.push_back(static_cast<std::int32_t>(in.range(0, 9)));
  if (in.flag()) {  // the loader refuses duplicates; mostly keep to what it lets through
    for (std::size_t i = 0; i < map.size(); ++i) map[i] = static_cast<std::int32_t>(i) * 2 % 10;
  }
  return map;
}

}  // namespace

FuzzDevice randomDevice(FuzzBytes& in) {
  FuzzDevice d;
  test::FakeDeviceConfig& c = d.config;
  c.recordRendered = false;  // long runs: keep nothing
  c.outputChannels = in.pick({2, 2, 1, 0, 6, 8});
  c.inputChannels = in.pick({2, 0, 1, 4});
  if (c.outputChannels == 0 && c.inputChannels == 0 && !in.oneIn(4)) c.outputChannels = 2;
  c.outputNames = randomNames(in, c.outputChannels);
  c.inputNames = randomNames(in, c.inputChannels);
  c.sampleRates = in.pick<std::vector<double>>({{44100, 48000, 96000},
                                                {48000},
                                                {44100},
                                                {44100, 48000, 88200, 96000, 176400, 192000},
                                                {22050, 32000, 44100}});
  c.defaultSampleRate = in.pick<double>({48000, 44100, c.sampleRates.front(), 12345});
  bool usable = c.outputChannels > 0 || c.inputChannels > 0;
  if (in.oneIn(3)) {
    for (std::size_t i = 0; i < c.sampleRates.size(); ++i) {
      c.bufferSizes.push_back(randomSizes(in));
      usable = usable && sizesUsable(c.bufferSizes.back());
    }
  }
  c.renderFormat = randomFormat(in);
  c.captureFormat = randomFormat(in);
  c.renderExtraLatencyFrames = in.oneIn(4) ? static_cast<std::int32_t>(in.range(0, 4096)) : 0;
  c.captureExtraLatencyFrames = in.oneIn(4) ? static_cast<std::int32_t>(in.range(0, 4096)) : 0;
  c.streamBufferFrames = in.oneIn(10) ? in.pick<std::int32_t>({448, 256, 64}) : 0;
  if (in.oneIn(4)) {  // a shared-mode mix at another rate: the core resamples the output
    c.renderDeviceSampleRate = in.pick<double>({44100, 48000, 96000});
    c.renderPeriodFrames = in.flag() ? 0 : static_cast<std::int32_t>(in.range(1, 2048));
  }
  c.alwaysOpenRender = in.oneIn(4);
  c.capturePacketFrames = in.flag() ? 0 : in.pick<std::int32_t>({16, 441, 480, 1024, 4096, 100});
  c.captureClockPpm = in.oneIn(3) ? static_cast<double>(in.range(-1000, 1000)) : 0.0;
  c.captureSharesRenderClock = c.captureClockPpm == 0 && in.flag();
  c.captureDeviceSampleRate = in.oneIn(4) ? in.pick<double>({44100, 48000, 96000, 16000}) : 0.0;
  c.captureJitterNs = in.oneIn(4) ? static_cast<std::uint64_t>(in.range(0, 5'000'000)) : 0;
  c.captureTimingJitterFrames = in.oneIn(4) ? static_cast<std::int32_t>(in.range(0, 2048)) : 0;
  c.captureTimestamps = !in.oneIn(4);
  c.captureSignal = in.oneIn(3) ? test::FakeDeviceConfig::Signal::Sine : test::FakeDeviceConfig::Signal::Pattern;
  if (in.oneIn(8)) c.startTimeNs = in.pick<std::uint64_t>({1, 1'000'000, 0x7fffffff00000000ull});
  c.captureSeed = static_cast<std::uint32_t>(in.byte());
  d.usable = usable;
  return d;
}

DriverSettings randomSettings(FuzzBytes& in) {
  DriverSettings s;
  if (in.oneIn(3)) return s;
  s.mode = in.pick({StreamMode::Auto, StreamMode::ExclusiveEvent, StreamMode::ExclusivePoll, StreamMode::SharedEvent});
  if (in.flag()) s.bufferFrames = in.pick<std::int32_t>({16, 64, 128, 256, 480, 512, 2048, 32768, 100});
  if (s.bufferFrames == 0 && in.oneIn(3)) s.bufferMs = in.pick<double>({0.5, 5, 10, 2.9, 1000});
  if (in.flag()) s.sampleRate = in.pick<double>({44100, 48000, 96000, 8000, 768000, 44100.4, 22050});
  s.hostSampleType = in.pick({asio::SampleType::Float32LSB, asio::SampleType::Float32LSB, asio::SampleType::Int32LSB,
                              asio::SampleType::Int24LSB, asio::SampleType::Int16LSB, asio::SampleType::Float64LSB,
                              asio::SampleType::Int32LSB16, asio::SampleType::Int32LSB18, asio::SampleType::Int32LSB20,
                              asio::SampleType::Int32LSB24, asio::SampleType::Int32MSB /* unsupported: init refuses */});
  s.dither = in.flag();
  s.driftCompensation = in.pick({DriftCompensation::Auto, DriftCompensation::On, DriftCompensation::Off});
  s.sharedModeResample = in.pick({SharedModeResample::Auto, SharedModeResample::Always});
  s.outputChannels = in.flag() ? 0 : static_cast<std::int32_t>(in.range(0, 10));
  s.outputChannelMap = randomMap(in);
  s.inputChannels = in.flag() ? 0 : static_cast<std::int32_t>(in.range(0, 6));
  s.inputChannelMap = randomMap(in);
  s.inputDevice = in.pick<std::string>({"none", "default", "Fake Microphone", "loopback:default"});
  return s;
}

HostBehaviour randomHost(FuzzBytes& in) {
  HostBehaviour h;
  h.giveAsioMessage = !in.oneIn(6);
  h.giveTimeInfo = !in.oneIn(4);
  h.supportedMask = in.oneIn(3) ? in.u32() : ~0u;
  h.timeInfoAnswer = in.pick<std::int32_t>({1, 1, 0, 2});
  h.engineVersion = in.pick<std::int32_t>({2, 0, 1, -1});
  h.armed = !in.oneIn(4);
  h.reentry = static_cast<std::uint8_t>(in.byte() & 0x0f);
  h.resetInline = in.oneIn(3);
  h.seed = in.u32() | 1u;
  return h;
}

}  // namespace a2w::fuzz
