// Checks a recording of the test sequence (tools/common/test_signal.h) against
// what the host played: is it a clean, complete, in-order, bit-exact copy?
//
// The capture is raw little-endian interleaved samples (what `parec --raw` or
// ALSA's `file` plugin write). The analysis:
//   1. skips the lead-in: the leading frames that are silent (every channel
//      exactly 0) before the first frame that is not. They are the sink's
//      silence before playback began, never frames of the signal, so nothing
//      of the signal is excused by skipping them;
//   2. locks onto the sequence: a sorted table maps a key made of a short
//      window of frames to the frame numbers where that window occurs, so the
//      position is found wherever the recording starts and again after any
//      break;
//   3. walks every captured frame: a frame equal to the expected one advances;
//      anything else is a discontinuity (drop, repeat or reorder: the frame is
//      found elsewhere in the sequence), a silent gap, or a corrupted frame
//      (found nowhere, so counted as the expected frame with an error);
//   4. stops at the trailing silence (after the last frame of signal).
//
// Portable C++20, no platform headers: the native verifier and its unit
// tests use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace a2w::verify {

// Raw sample formats a capture can be in (all little-endian, interleaved).
enum class Format : std::uint8_t { Float32, Int16, Int24, Int32 };

std::string_view toString(Format f);
std::optional<Format> parseFormat(std::string_view s);
int bytesPerSample(Format f);

// The value the device format carries for frame n, channel c of the test
// sequence, as a double in full-scale +-1.0 units. Exact for float32, int24 and
// int32 (the signal is a multiple of 2^-17); for int16 the sequence value
// rounded to nearest (ties away from zero), as the driver's converter does.
double expectedValue(std::uint64_t frame, std::uint32_t channel, Format f);

// Decodes raw bytes into full-scale doubles (exact for every format). A
// trailing partial sample is ignored.
std::vector<double> decode(std::span<const std::byte> raw, Format f);

// Encodes values (full-scale doubles) into raw bytes: the tests' way to build
// captures. Integer formats round to nearest and clip.
std::vector<std::byte> encode(std::span<const double> values, Format f);

struct Options {
  Format format = Format::Float32;
  std::uint32_t channels = 2;
  // Frames the host played (frames 0 .. framesPlayed-1 of the sequence).
  std::uint64_t framesPlayed = 0;
};

// One break in the sequence, for diagnostics.
struct Event {
  enum class Kind : std::uint8_t { Jump, SilentGap, Corrupt };
  Kind kind;
  std::uint64_t captureFrame;   // index in the capture where it happened
  std::uint64_t expectedFrame;  // sequence frame that should have come
  std::uint64_t foundFrame;     // sequence frame that came (Jump), or gap length (SilentGap)
};

struct Result {
  std::uint64_t framesCaptured = 0;     // whole frames in the capture
  std::uint64_t leadInFrames = 0;       // silent frames before the first frame of signal
  std::uint64_t trailingSilenceFrames = 0;  // silent frames after the last frame of signal
  bool locked = false;                  // the sequence was found at all
  std::uint64_t firstFrame = 0;         // first sequence frame seen (valid when locked)
  std::uint64_t lastFrame = 0;          // last sequence frame seen (valid when locked)
  std::uint64_t framesVerified = 0;     // distinct frames 0..framesPlayed-1 seen bit-exact
  std::uint64_t framesRepeated = 0;     // exact frames seen more than once
  std::uint64_t discontinuities = 0;    // drops, repeats, reorders and silent gaps
  std::uint64_t silentGapFrames = 0;    // silent frames inside the signal
  std::uint64_t errorFrames = 0;        // frames in sequence position but with wrong values
  std::uint64_t unmatchedFrames = 0;    // frames that match nothing before the lock
  std::uint64_t framesBeyondPlayed = 0; // frames numbered >= framesPlayed (the report undercounts)
  std::uint64_t missingAtStart = 0;     // frames before the first one seen
  std::uint64_t missingAtEnd = 0;       // frames after the last one seen
  double maxAbsError = 0.0;             // vs the sequence's float value, over frames in sequence position
  std::vector<Event> events;            // the first few breaks

  // A clean, complete, in-order, bit-exact copy of frames 0..framesPlayed-1.
  // stopAllowance: how many frames at the very end may be missing because
  // they were still queued in the driver or device when the host called
  // stop() (ASIO's stop is immediate: at most the output latency plus the
  // buffer just filled is lost). 0 demands every frame.
  bool ok(std::uint64_t framesPlayed, std::uint64_t stopAllowance = 0) const;
  // Why ok() is false, one phrase per reason (empty when ok).
  std::vector<std::string> failures(std::uint64_t framesPlayed, std::uint64_t stopAllowance = 0) const;
};

constexpr std::size_t kMaxEvents = 20;

// Analyses decoded samples (interleaved, options.channels per frame).
Result analyze(std::span<const double> samples, const Options& options);

// Analyses raw bytes in options.format.
Result analyzeRaw(std::span<const std::byte> raw, const Options& options);

// Tries every format and keeps the one that verifies the most frames: for
// captures whose format was negotiated by the driver. Returns the format used.
Format detectFormat(std::span<const std::byte> raw, const Options& options);

// True when the capture holds signal followed by at least tailFrames silent
// frames: playback has ended and what the sink had buffered has drained.
bool drained(std::span<const std::byte> raw, Format f, std::uint32_t channels, std::uint64_t tailFrames);

}  // namespace a2w::verify
