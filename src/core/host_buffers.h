// The ASIO double buffers handed to the host by createBuffers: two halves per
// active channel, each `frames` samples of the host type, zeroed, every half
// starting on a 64-byte boundary (cache line and widest SIMD load).
// One allocation for all of them; freed by the destructor or release().
#pragma once

#include <cstddef>
#include <memory>

namespace a2w {

class HostBuffers {
 public:
  static constexpr std::size_t kAlignment = 64;

  // False when the memory is not available (or the size overflows); the
  // previous buffers are released either way.
  bool allocate(std::size_t channels, std::size_t bytesPerHalf) noexcept;
  void release() noexcept;

  // Half `half` (0 or 1) of the channel at position `channel` in allocation order.
  void* half(std::size_t channel, int half) const noexcept;
  std::size_t channels() const noexcept { return channels_; }

 private:
  std::unique_ptr<std::byte[]> storage_;
  std::byte* aligned_ = nullptr;
  std::size_t channels_ = 0;
  std::size_t stride_ = 0;  // bytes from one half to the next, a multiple of kAlignment
};

}  // namespace a2w
