#include "core/error_message.h"

#include "core/fixed_text.h"

namespace a2w {

void ErrorMessage::set(std::string_view text) {
  const std::string_view kept = truncateUtf8(text, kMaxChars);
  std::lock_guard lock(mutex_);
  text_.assign(kept.data(), kept.size());
}

void ErrorMessage::copyTo(char* out) const {
  std::lock_guard lock(mutex_);
  copyFixedText(out, asio::kErrorMessageBytes, text_);
}

std::string ErrorMessage::text() const {
  std::lock_guard lock(mutex_);
  return text_;
}

}  // namespace a2w
