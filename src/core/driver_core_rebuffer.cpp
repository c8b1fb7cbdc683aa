// DriverCore on the audio thread when the render device runs at the host's
// rate but its periods are not one host buffer long (StreamInfo::render.
// packetFrames): the host's cadence and the device's decoupled. No
// allocation, no locks, no I/O.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/driver_core.h"
#include "core/driver_core_impl.h"

namespace a2w {

// `period.frames` device frames (any number, normally the engine period),
// taken from the host's output halves in order. Whenever the half being
// played is used up, one host cycle runs and its output half is played
// next: 0, 1 or more cycles per period, one host buffer per bufferFrames
// device frames exactly. Each host buffer is stamped with the time of the
// device frame that first needs it (the period's time plus that frame's
// offset), so time info and getSamplePosition stay exact per buffer and the
// output latency against the stamp is one device period (outputLatencyBase).
//
// The half being played stays valid until the host is asked to fill it
// again, two cycles later; it is always used up before the next cycle runs.
void DriverCore::Impl::runRebufferedPeriod(const Period& period) noexcept {
  OutputRebuffer& o = *stream.rebuffer;
  const int channels = stream.info.render.channels;
  const std::size_t frameBytes =
      static_cast<std::size_t>(channels) * static_cast<std::size_t>(bytesPerSample(stream.info.render.format));
  const std::size_t hostBytes = stream.hostBytesPerSample;
  const int total = std::max(period.frames, 0);
  const double nsPerFrame = 1e9 / stream.sampleRate;
  int done = 0;
  while (done < total) {
    if (o.left == 0) {
      const auto offsetNs = static_cast<std::uint64_t>(std::llround(static_cast<double>(done) * nsPerFrame));
      o.index = runHostCycle(period.systemTimeNs + offsetNs);
      o.read = 0;
      o.left = stream.bufferFrames;
      framesSinceStart += static_cast<std::uint64_t>(stream.bufferFrames);
    }
    const int n = std::min(o.left, total - done);
    if (period.render != nullptr) {
      std::byte* target = period.render + static_cast<std::size_t>(done) * frameBytes;
      const std::vector<const void*>& half = stream.renderSources[o.index];
      if (half.empty()) {
        std::memset(target, 0, static_cast<std::size_t>(n) * frameBytes);
      } else {
        for (std::size_t slot = 0; slot < half.size() && slot < o.sources.size(); ++slot) {
          o.sources[slot] = half[slot] == nullptr
                                ? nullptr
                                : static_cast<const std::byte*>(half[slot]) + static_cast<std::size_t>(o.read) * hostBytes;
        }
        hostToDevice(stream.hostType, o.sources.data(), stream.info.render.format, target, channels, n,
                     stream.dither ? &*stream.dither : nullptr);
      }
    }
    o.read += n;
    o.left -= n;
    done += n;
  }
}

}  // namespace a2w
