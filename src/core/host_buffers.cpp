#include "core/host_buffers.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <new>

namespace a2w {

bool HostBuffers::allocate(std::size_t channels, std::size_t bytesPerHalf) noexcept {
  release();
  constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
  if (bytesPerHalf > kMax - kAlignment) return false;
  const std::size_t stride = (bytesPerHalf + kAlignment - 1) / kAlignment * kAlignment;
  if (channels != 0 && stride > (kMax - kAlignment) / 2 / channels) return false;
  const std::size_t total = stride * 2 * channels + kAlignment;

  std::unique_ptr<std::byte[]> storage(new (std::nothrow) std::byte[total]);
  if (!storage) return false;
  std::memset(storage.get(), 0, total);
  const auto address = reinterpret_cast<std::uintptr_t>(storage.get());
  const std::size_t skip = (kAlignment - address % kAlignment) % kAlignment;

  storage_ = std::move(storage);
  aligned_ = storage_.get() + skip;
  channels_ = channels;
  stride_ = stride;
  return true;
}

void HostBuffers::release() noexcept {
  storage_.reset();
  aligned_ = nullptr;
  channels_ = 0;
  stride_ = 0;
}

void* HostBuffers::half(std::size_t channel, int half) const noexcept {
  if (aligned_ == nullptr || channel >= channels_ || (half != 0 && half != 1)) return nullptr;
  return aligned_ + (channel * 2 + static_cast<std::size_t>(half)) * stride_;
}

}  // namespace a2w
