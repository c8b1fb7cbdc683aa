#include "core/buffer_size_rules.h"

namespace a2w {

namespace {
bool isPowerOfTwo(std::int32_t n) { return n > 0 && (n & (n - 1)) == 0; }
}  // namespace

bool isOfferedBufferSize(const BufferSizeOptions& options, std::int32_t frames) {
  if (frames <= 0) return false;
  if (frames == options.preferred) return true;
  if (frames < options.minimum || frames > options.maximum) return false;
  if (options.granularity == -1) return isPowerOfTwo(frames);
  if (options.granularity > 0) {
    return (std::int64_t{frames} - options.minimum) % options.granularity == 0;
  }
  return false;  // granularity 0 (or a nonsense negative one): only the preferred size
}

BufferSizeOptions applyPreferredSize(BufferSizeOptions options, std::int32_t wantedFrames) {
  if (wantedFrames > 0 && isOfferedBufferSize(options, wantedFrames)) options.preferred = wantedFrames;
  return options;
}

std::string describeBufferSizes(const BufferSizeOptions& o) {
  const std::string min = std::to_string(o.minimum);
  const std::string max = std::to_string(o.maximum);
  if (o.granularity == -1) return "powers of two from " + min + " to " + max;
  if (o.granularity > 0) return min + " to " + max + " in steps of " + std::to_string(o.granularity);
  return "only " + std::to_string(o.preferred);
}

const BufferSizeOptions* bufferSizesAtRate(const DeviceDescription& description, double rate) {
  for (std::size_t i = 0; i < description.sampleRates.size() && i < description.bufferSizes.size(); ++i) {
    if (description.sampleRates[i] == rate) return &description.bufferSizes[i];
  }
  return nullptr;
}

}  // namespace a2w
