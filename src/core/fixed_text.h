// Copying our strings into ASIO's fixed char arrays (driver name 32 bytes,
// error message 124, channel and clock names 32), always NUL-terminated and
// never cutting a UTF-8 sequence in half.
#pragma once

#include <cstddef>
#include <string_view>

namespace a2w {

// Writes at most `capacity` bytes to `out` (capacity - 1 characters and a
// NUL). Does nothing when out is null or capacity is 0.
void copyFixedText(char* out, std::size_t capacity, std::string_view text) noexcept;

// The longest prefix of `text` of at most `maxBytes` bytes that ends on a
// UTF-8 character boundary.
std::string_view truncateUtf8(std::string_view text, std::size_t maxBytes) noexcept;

}  // namespace a2w
