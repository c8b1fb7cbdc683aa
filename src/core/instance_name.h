// Driver instances (portable rules; the registry side is src/driver/instances.*).
// Besides the default instance, a user may add named ones ("Headphones",
// "HDMI"), each its own ASIO driver with its own CLSID and settings file:
//
//   instance     ASIO name (what hosts list)   settings file
//   default      ASIO2WASAPI Universal          default.toml
//   Headphones   ASIO2WASAPI Headphones         Headphones.toml
//
// ASIO driver names hold at most 31 characters, so a name has at most 19
// (after the 12 of "ASIO2WASAPI "). Names are also file names and registry
// key names, so the characters are limited (checkInstanceName).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace a2w::instances {

inline constexpr std::string_view kDefaultInstance = "default";
inline constexpr std::string_view kAsioNamePrefix = "ASIO2WASAPI ";
inline constexpr std::string_view kDefaultAsioName = "ASIO2WASAPI Universal";
inline constexpr std::size_t kMaxNameChars = 19;

// "" when `name` may be a new instance's name, else a sentence saying why
// not. Allowed: 1 to 19 of A-Z a-z 0-9 space - _ . ( ), not starting or
// ending with a space or dot; not "default" or "Universal" (the default
// instance's names) nor a reserved Windows file name (CON, NUL, COM1, ...).
// Names are compared without case.
std::string checkInstanceName(std::string_view name);

bool sameName(std::string_view a, std::string_view b);  // case-insensitive (ASCII)
bool isDefaultInstance(std::string_view name);

// "ASIO2WASAPI Universal" for the default instance, else "ASIO2WASAPI <name>".
std::string asioNameOf(std::string_view instance);

// "default.toml", "Headphones.toml".
std::string configFileNameOf(std::string_view instance);

}  // namespace a2w::instances
