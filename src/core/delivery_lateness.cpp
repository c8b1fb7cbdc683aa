#include "core/delivery_lateness.h"

#include <algorithm>

namespace a2w {

void DeliveryLateness::configure(double nominalRate) noexcept {
  nsPerFrame_ = 1e9 / (nominalRate > 0 ? nominalRate : 48000.0);
  bucketNs_ = static_cast<std::uint64_t>(kWindowSeconds * 1e9 / kBuckets);
  reset();
}

void DeliveryLateness::reset() noexcept {
  started_ = false;
  originNs_ = 0;
  buckets_.fill(Bucket{});
  last_ = 0;
}

double DeliveryLateness::observe(std::int64_t positionFrames, std::uint64_t stampNs) noexcept {
  if (!started_) {
    started_ = true;
    originNs_ = stampNs;
  }
  // A stamp before the first one (a clock stepped back) starts over.
  if (stampNs < originNs_) {
    reset();
    return observe(positionFrames, stampNs);
  }
  const std::uint64_t sinceOrigin = stampNs - originNs_;
  const double offset = static_cast<double>(sinceOrigin) - static_cast<double>(positionFrames) * nsPerFrame_;
  const auto index = static_cast<std::int64_t>(sinceOrigin / bucketNs_);
  Bucket& current = buckets_[static_cast<std::size_t>(index % kBuckets)];
  if (current.index != index) current = Bucket{index, offset};
  current.minimum = std::min(current.minimum, offset);
  double floor = offset;
  for (const Bucket& b : buckets_) {
    if (b.index >= 0 && b.index > index - kBuckets && b.index <= index) floor = std::min(floor, b.minimum);
  }
  last_ = offset - floor;
  return last_;
}

}  // namespace a2w
