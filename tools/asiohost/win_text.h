// UTF-8 <-> UTF-16 for the Win32 boundary (asiohost keeps UTF-8 inside), and
// readable text for HRESULTs and Win32 error codes.
#pragma once

#include <windows.h>

#include <string>
#include <string_view>

namespace a2w::host {

std::string toUtf8(std::wstring_view text);
std::wstring toUtf16(std::string_view text);

// "0x80040154 (Class not registered)"; the system text when Windows has one.
std::string hresultText(HRESULT hr);

// Case-insensitive comparison of two UTF-8 strings (as Windows compares names).
bool equalsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace a2w::host
