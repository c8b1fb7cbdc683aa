// UTF-16 (Windows' wide strings) <-> UTF-8 (everything the core sees).
#pragma once

#include <string>
#include <string_view>

namespace a2w::wasapi {

std::string toUtf8(std::wstring_view wide);
std::wstring toUtf16(std::string_view utf8);

// Case-insensitive comparison of two UTF-8 strings, as Windows compares
// names (CompareStringOrdinal with ignore-case), for matching friendly names.
bool equalsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace a2w::wasapi
