// The small pure helpers of src/wasapi: names, formats, masks, conversions.
#include <gtest/gtest.h>

#include <audioclient.h>
#include <windows.h>
#include <mmreg.h>
#include <ks.h>
#include <ksmedia.h>

#include "wasapi/hresult_name.h"
#include "wasapi/speaker_names.h"
#include "wasapi/utf.h"
#include "wasapi/wave_format.h"

namespace a2w::wasapi {
namespace {

TEST(HresultName, KnownAudioErrorsByNameAndValue) {
  EXPECT_EQ(hresultName(AUDCLNT_E_DEVICE_IN_USE), "AUDCLNT_E_DEVICE_IN_USE (0x8889000A)");
  EXPECT_EQ(hresultName(AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED), "AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED (0x8889000E)");
  EXPECT_EQ(hresultName(E_NOTIMPL), "E_NOTIMPL (0x80004001)");
  EXPECT_EQ(hresultName(static_cast<HRESULT>(0x80001234)), "HRESULT (0x80001234)");
}

TEST(Utf, RoundTripsNonAscii) {
  const std::string name = "Lautsprecher (Realtek\xC2\xAE Audio) \xE2\x80\x93 \xE6\x97\xA5";
  EXPECT_EQ(toUtf8(toUtf16(name)), name);
  EXPECT_TRUE(equalsIgnoringCase("SPEAKERS", "speakers"));
  EXPECT_FALSE(equalsIgnoringCase("Speakers", "Speaker"));
}

TEST(WaveFormat, Int24In32HasContainer32AndValidBits24) {
  const auto f = makeWaveFormat(DeviceSampleFormat::Int24In32, 96000, 2, KSAUDIO_SPEAKER_STEREO);
  EXPECT_EQ(f.Format.wFormatTag, WAVE_FORMAT_EXTENSIBLE);
  EXPECT_EQ(f.Format.wBitsPerSample, 32);
  EXPECT_EQ(f.Samples.wValidBitsPerSample, 24);
  EXPECT_EQ(f.Format.nBlockAlign, 8);
  EXPECT_EQ(f.Format.nAvgBytesPerSec, 96000u * 8);
  EXPECT_EQ(f.Format.cbSize, 22);
  EXPECT_EQ(deviceFormatOf(f.Format), DeviceSampleFormat::Int24In32);
}

TEST(WaveFormat, RoundTripsEveryFormat) {
  for (auto sf : {DeviceSampleFormat::Float32, DeviceSampleFormat::Int32, DeviceSampleFormat::Int24In32,
                  DeviceSampleFormat::Int24Packed, DeviceSampleFormat::Int16}) {
    const auto f = makeWaveFormat(sf, 48000, 6, KSAUDIO_SPEAKER_5POINT1);
    EXPECT_EQ(deviceFormatOf(f.Format), sf) << toString(sf);
    EXPECT_EQ(f.Format.nBlockAlign, 6 * bytesPerSample(sf));
  }
  WAVEFORMATEX plainFloat{WAVE_FORMAT_IEEE_FLOAT, 2, 44100, 44100 * 8, 8, 32, 0};
  EXPECT_EQ(deviceFormatOf(plainFloat), DeviceSampleFormat::Float32);
  WAVEFORMATEX eightBit{WAVE_FORMAT_PCM, 2, 44100, 44100 * 2, 2, 8, 0};
  EXPECT_FALSE(deviceFormatOf(eightBit).has_value());
}

TEST(WaveFormat, DefaultChannelMasksByCount) {
  EXPECT_EQ(defaultChannelMask(1), static_cast<DWORD>(KSAUDIO_SPEAKER_MONO));
  EXPECT_EQ(defaultChannelMask(2), static_cast<DWORD>(KSAUDIO_SPEAKER_STEREO));
  EXPECT_EQ(defaultChannelMask(4), static_cast<DWORD>(KSAUDIO_SPEAKER_QUAD));
  EXPECT_EQ(defaultChannelMask(6), static_cast<DWORD>(KSAUDIO_SPEAKER_5POINT1));
  EXPECT_EQ(defaultChannelMask(8), static_cast<DWORD>(KSAUDIO_SPEAKER_7POINT1_SURROUND));
  EXPECT_EQ(defaultChannelMask(13), 0u);
}

TEST(WaveFormat, MixMaskWinsWhenChannelCountsMatch) {
  const auto mix = makeWaveFormat(DeviceSampleFormat::Float32, 48000, 6, KSAUDIO_SPEAKER_5POINT1_SURROUND);
  EXPECT_EQ(channelMaskFor(6, &mix.Format), static_cast<DWORD>(KSAUDIO_SPEAKER_5POINT1_SURROUND));
  EXPECT_EQ(channelMaskFor(2, &mix.Format), static_cast<DWORD>(KSAUDIO_SPEAKER_STEREO));
  EXPECT_EQ(channelMaskFor(8, nullptr), static_cast<DWORD>(KSAUDIO_SPEAKER_7POINT1_SURROUND));
}

TEST(WaveFormat, FramesAndReferenceTime) {
  EXPECT_EQ(framesFromRefTime(100000, 48000), 480);
  EXPECT_EQ(framesFromRefTime(30000, 44100), 133);  // 132.3 rounds up
  EXPECT_EQ(refTimeFromFrames(480, 48000), 100000);
  EXPECT_EQ(framesFromRefTime(refTimeFromFrames(441, 44100), 44100), 441);
  EXPECT_EQ(framesFromRefTime(refTimeFromFrames(128, 48000), 48000), 128);
}

TEST(SpeakerNames, FromMaskBitsInOrder) {
  EXPECT_EQ(channelNames(KSAUDIO_SPEAKER_STEREO, 2), (std::vector<std::string>{"Front Left", "Front Right"}));
  EXPECT_EQ(channelNames(KSAUDIO_SPEAKER_7POINT1_SURROUND, 8),
            (std::vector<std::string>{"Front Left", "Front Right", "Front Center", "LFE", "Back Left", "Back Right",
                                      "Side Left", "Side Right"}));
}

TEST(SpeakerNames, FallbackForMissingBits) {
  EXPECT_EQ(channelNames(0, 2), (std::vector<std::string>{"Channel 1", "Channel 2"}));
  EXPECT_EQ(channelNames(KSAUDIO_SPEAKER_MONO, 3),
            (std::vector<std::string>{"Front Center", "Channel 2", "Channel 3"}));
}

}  // namespace
}  // namespace a2w::wasapi
