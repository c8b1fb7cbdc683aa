#include "wasapi/wave_format.h"

#include <ks.h>
#include <ksmedia.h>

#include <bit>
#include <cmath>
#include <cstring>

#include "core/sample_rates.h"

namespace a2w::wasapi {
namespace {

// The two KSDATAFORMAT subtypes we use, spelled out here so no translation
// unit has to instantiate ksmedia.h's GUIDs (that needs <initguid.h> or
// ksuser.lib, and differs between MinGW and the Windows SDK). Both are the
// WAVE_FORMAT tag in the first field of the common audio-subtype GUID.
constexpr GUID kSubtypePcm = {0x00000001, 0x0000, 0x0010, {0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}};
constexpr GUID kSubtypeFloat = {0x00000003, 0x0000, 0x0010, {0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}};

bool sameGuid(const GUID& a, const GUID& b) { return std::memcmp(&a, &b, sizeof(GUID)) == 0; }

}  // namespace

WAVEFORMATEXTENSIBLE makeWaveFormat(DeviceSampleFormat format, double sampleRate, int channels,
                                    DWORD channelMask) {
  WAVEFORMATEXTENSIBLE f{};
  const int container = bytesPerSample(format);
  int validBits = container * 8;
  if (format == DeviceSampleFormat::Int24In32) validBits = 24;
  f.Format.wFormatTag = WAVE_FORMAT_EXTENSIBLE;
  f.Format.nChannels = static_cast<WORD>(channels);
  f.Format.nSamplesPerSec = static_cast<DWORD>(std::lround(sampleRate));
  f.Format.wBitsPerSample = static_cast<WORD>(container * 8);
  f.Format.nBlockAlign = static_cast<WORD>(container * channels);
  f.Format.nAvgBytesPerSec = f.Format.nSamplesPerSec * f.Format.nBlockAlign;
  f.Format.cbSize = sizeof(WAVEFORMATEXTENSIBLE) - sizeof(WAVEFORMATEX);
  f.Samples.wValidBitsPerSample = static_cast<WORD>(validBits);
  f.dwChannelMask = channelMask;
  f.SubFormat = (format == DeviceSampleFormat::Float32) ? kSubtypeFloat : kSubtypePcm;
  return f;
}

std::optional<DeviceSampleFormat> deviceFormatOf(const WAVEFORMATEX& format) {
  bool isFloat = false;
  int validBits = format.wBitsPerSample;
  if (format.wFormatTag == WAVE_FORMAT_EXTENSIBLE &&
      format.cbSize >= sizeof(WAVEFORMATEXTENSIBLE) - sizeof(WAVEFORMATEX)) {
    const auto& ext = reinterpret_cast<const WAVEFORMATEXTENSIBLE&>(format);
    if (sameGuid(ext.SubFormat, kSubtypeFloat)) {
      isFloat = true;
    } else if (!sameGuid(ext.SubFormat, kSubtypePcm)) {
      return std::nullopt;
    }
    if (ext.Samples.wValidBitsPerSample != 0) validBits = ext.Samples.wValidBitsPerSample;
  } else if (format.wFormatTag == WAVE_FORMAT_IEEE_FLOAT) {
    isFloat = true;
  } else if (format.wFormatTag != WAVE_FORMAT_PCM) {
    return std::nullopt;
  }

  if (isFloat) {
    if (format.wBitsPerSample == 32 && validBits == 32) return DeviceSampleFormat::Float32;
    return std::nullopt;
  }
  switch (format.wBitsPerSample) {
    case 16: return validBits == 16 ? std::optional(DeviceSampleFormat::Int16) : std::nullopt;
    case 24: return validBits == 24 ? std::optional(DeviceSampleFormat::Int24Packed) : std::nullopt;
    case 32:
      if (validBits == 32) return DeviceSampleFormat::Int32;
      if (validBits == 24) return DeviceSampleFormat::Int24In32;
      return std::nullopt;
    default: return std::nullopt;
  }
}

DWORD channelMaskOf(const WAVEFORMATEX& format) {
  if (format.wFormatTag == WAVE_FORMAT_EXTENSIBLE &&
      format.cbSize >= sizeof(WAVEFORMATEXTENSIBLE) - sizeof(WAVEFORMATEX)) {
    return reinterpret_cast<const WAVEFORMATEXTENSIBLE&>(format).dwChannelMask;
  }
  return 0;
}

DWORD defaultChannelMask(int channels) {
  switch (channels) {
    case 1: return KSAUDIO_SPEAKER_MONO;
    case 2: return KSAUDIO_SPEAKER_STEREO;
    case 3: return KSAUDIO_SPEAKER_STEREO | SPEAKER_FRONT_CENTER;  // 2.1 without LFE: L R C
    case 4: return KSAUDIO_SPEAKER_QUAD;
    case 5: return KSAUDIO_SPEAKER_QUAD | SPEAKER_FRONT_CENTER;
    case 6: return KSAUDIO_SPEAKER_5POINT1;
    case 7: return KSAUDIO_SPEAKER_5POINT1 | SPEAKER_BACK_CENTER;
    case 8: return KSAUDIO_SPEAKER_7POINT1_SURROUND;
    default: return 0;
  }
}

DWORD channelMaskFor(int channels, const WAVEFORMATEX* mixFormat) {
  if (mixFormat && mixFormat->nChannels == channels) {
    // Only a mask that names every channel: Wine's winepulse reports an
    // 8-channel PulseAudio sink whose map has aux channels as 0x1C7 (six
    // speakers) and then refuses that very format in Initialize.
    const DWORD mask = channelMaskOf(*mixFormat);
    if (mask != 0 && std::popcount(mask) == channels) return mask;
  }
  return defaultChannelMask(channels);
}

std::int32_t framesFromRefTime(LONGLONG hns, double sampleRate) {
  // Round up, except for the residue of REFERENCE_TIME's own rounding: a
  // period made by refTimeFromFrames(n) is off by at most half a 100-ns unit,
  // i.e. 0.01 frame at 192 kHz, and must come back as n, not n + 1.
  return static_cast<std::int32_t>(std::ceil(static_cast<double>(hns) * sampleRate / 1e7 - 0.02));
}

LONGLONG refTimeFromFrames(std::int64_t frames, double sampleRate) {
  return static_cast<LONGLONG>(1e7 * static_cast<double>(frames) / sampleRate + 0.5);
}

std::string describeWaveFormat(const WAVEFORMATEX& format) {
  const auto device = deviceFormatOf(format);
  std::string text = device ? std::string(toString(*device))
                            : "tag " + std::to_string(format.wFormatTag) + "/" +
                                  std::to_string(format.wBitsPerSample) + "-bit";
  return text + " " + std::to_string(format.nChannels) + "ch " + formatRate(format.nSamplesPerSec);
}

}  // namespace a2w::wasapi
