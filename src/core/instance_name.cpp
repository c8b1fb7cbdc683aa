#include "core/instance_name.h"

#include <array>
#include <cctype>

namespace a2w::instances {
namespace {

char lowerAscii(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool allowed(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && (std::isalnum(u) != 0 || c == ' ' || c == '-' || c == '_' || c == '.' || c == '(' || c == ')');
}

bool reservedFileName(std::string_view name) {
  static constexpr std::array<std::string_view, 4> plain = {"con", "prn", "aux", "nul"};
  for (std::string_view r : plain) {
    if (sameName(name, r)) return true;
  }
  if (name.size() == 4 && name[3] >= '1' && name[3] <= '9') {
    return sameName(name.substr(0, 3), "com") || sameName(name.substr(0, 3), "lpt");
  }
  return false;
}

}  // namespace

bool sameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

bool isDefaultInstance(std::string_view name) { return sameName(name, kDefaultInstance); }

std::string checkInstanceName(std::string_view name) {
  if (name.empty()) return "an instance needs a name";
  if (name.size() > kMaxNameChars) {
    return "\"" + std::string(name.substr(0, kMaxNameChars)) + "...\" is too long: at most 19 characters (ASIO names hold 31)";
  }
  for (const char c : name) {
    if (!allowed(c)) return "\"" + std::string(name) + "\": use only letters, digits, spaces and - _ . ( )";
  }
  if (name.front() == ' ' || name.front() == '.' || name.back() == ' ' || name.back() == '.') {
    return "\"" + std::string(name) + "\" may not start or end with a space or a dot";
  }
  if (isDefaultInstance(name) || sameName(name, "Universal")) {
    return "\"" + std::string(name) + "\" is the default instance's name";
  }
  if (reservedFileName(name)) return "\"" + std::string(name) + "\" is reserved by Windows";
  return {};
}

std::string asioNameOf(std::string_view instance) {
  if (isDefaultInstance(instance)) return std::string(kDefaultAsioName);
  return std::string(kAsioNamePrefix) + std::string(instance);
}

std::string configFileNameOf(std::string_view instance) {
  return (isDefaultInstance(instance) ? std::string(kDefaultInstance) : std::string(instance)) + ".toml";
}

}  // namespace a2w::instances
