// WAVEFORMATEXTENSIBLE for our device sample formats, and the way back from
// whatever format WASAPI reports (mix formats, closest matches).
#pragma once

#include <windows.h>
#include <mmreg.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/device_format.h"

namespace a2w::wasapi {

// The format descriptor both directions pass to IsFormatSupported/Initialize.
// Always the EXTENSIBLE form: exclusive mode needs the valid-bits field to
// tell int24-in-32 from int32, and a channel mask for anything past stereo.
WAVEFORMATEXTENSIBLE makeWaveFormat(DeviceSampleFormat format, double sampleRate, int channels,
                                    DWORD channelMask);

// The device sample format a WAVEFORMATEX(TENSIBLE) describes, or nothing when
// we cannot convert to it (float64, 8-bit, 20-in-24, unknown subtypes).
std::optional<DeviceSampleFormat> deviceFormatOf(const WAVEFORMATEX& format);

// The channel mask a format carries (0 when it has none: plain WAVEFORMATEX).
DWORD channelMaskOf(const WAVEFORMATEX& format);

// The usual speaker layout for a channel count (KSAUDIO_SPEAKER_STEREO, 5.1,
// 7.1 ...); 0 (no positions) for counts without a standard layout.
DWORD defaultChannelMask(int channels);

// The mask to open `channels` channels with: the mix format's own mask when
// it has that many channels and names each of them (so a 5.1 "side" layout
// stays side), else the default one for the count.
DWORD channelMaskFor(int channels, const WAVEFORMATEX* mixFormat);

// 100-ns units (REFERENCE_TIME) <-> frames at a rate. Frames round up, so a
// period converted to frames is never shorter than the device asked for;
// REFTIME rounds to nearest, as Microsoft's alignment example does.
std::int32_t framesFromRefTime(LONGLONG hns, double sampleRate);
LONGLONG refTimeFromFrames(std::int64_t frames, double sampleRate);

// "float32 2ch 48000 Hz" for messages.
std::string describeWaveFormat(const WAVEFORMATEX& format);

}  // namespace a2w::wasapi
