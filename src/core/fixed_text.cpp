#include "core/fixed_text.h"

#include <cstring>

namespace a2w {

std::string_view truncateUtf8(std::string_view text, std::size_t maxBytes) noexcept {
  if (text.size() <= maxBytes) return text;
  std::size_t end = maxBytes;
  // Back off over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u) --end;
  return text.substr(0, end);
}

void copyFixedText(char* out, std::size_t capacity, std::string_view text) noexcept {
  if (out == nullptr || capacity == 0) return;
  const std::string_view kept = truncateUtf8(text, capacity - 1);
  std::memcpy(out, kept.data(), kept.size());
  out[kept.size()] = '\0';
}

}  // namespace a2w
