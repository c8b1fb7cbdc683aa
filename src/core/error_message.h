// The sentence getErrorMessage returns: set by whichever call failed last
// (host threads, or the backend's thread through deviceEvent), so it is
// guarded by a mutex. The audio thread never touches it.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "asio/asio_abi.h"

namespace a2w {

class ErrorMessage {
 public:
  static constexpr std::size_t kMaxChars = asio::kErrorMessageBytes - 1;  // 123

  void set(std::string_view text);
  void copyTo(char* out) const;  // at most 124 bytes, NUL-terminated; null: nothing
  std::string text() const;

 private:
  mutable std::mutex mutex_;
  std::string text_;
};

}  // namespace a2w
