// Which breaks of a loopback recording the driver explained. A driver that
// detects an xrun (the render side ran dry, capture lost data, the input
// FIFO under- or overran), recovers and tells the host with kResyncRequest
// has explained the break it caused; a break no such message explains is a
// fault the driver did not see. asiohost notes the host's frame position g
// of every kResyncRequest (the first frame of the buffer after the message)
// and matches the breaks the analysis found (loopback_analysis.h) to them.
//
// A glitch at g explains a break found at played frame p (the first frame
// of the 2048-frame block where the analysis saw it) when p lies within W
// of either place the glitch can show:
//   - g itself: a render-side xrun, the silence lands in what was played
//     around frame g;
//   - g - D: an input-side realignment at recorded frame g, which is played
//     frame g - D, D the loop's delay there. D is taken from the break
//     itself (the delay just before it and just after it, both tried): the
//     run's median delay can be another plateau when earlier breaks moved
//     it.
// W = one analysis block (the break is reported at its block's start) +
// two host buffers (the message comes between or during switches, and the
// driver may notice an xrun a buffer late) + one device period (where in
// the period the device ran dry).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/loopback_analysis.h"

namespace a2w::host {

std::uint64_t glitchWindowFrames(std::size_t blockFrames, std::int32_t bufferFrames, std::int32_t devicePeriodFrames);

// Whether a glitch at host position `glitch` explains `brk`, within `window` frames.
bool glitchExplains(std::uint64_t glitch, const LoopbackEvent& brk, std::uint64_t window);

struct GlitchMatch {
  std::uint64_t explained = 0;
  std::vector<std::uint64_t> unexplainedPlayedFrames;  // the breaks no glitch explains, in order
};

// Every break against every glitch: one glitch may explain several breaks
// (one xrun can break the recording twice: where it dropped frames and
// where it realigned), all within its bounded windows.
GlitchMatch matchGlitches(std::span<const LoopbackEvent> breaks, std::span<const std::uint64_t> glitches,
                          std::uint64_t window);

// How many breaks lie at or after played frame `from` (the end of a run).
std::uint64_t breaksFrom(std::span<const LoopbackEvent> breaks, std::uint64_t from);

}  // namespace a2w::host
