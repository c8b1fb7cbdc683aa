#include "driver_registry.h"

#include <objbase.h>

#include <utility>

#include "host_error.h"
#include "win_text.h"

namespace a2w::host {
namespace {

// An open registry key, closed when it goes out of scope.
class RegKey {
 public:
  RegKey() = default;
  RegKey(HKEY parent, const std::wstring& path) {
    if (RegOpenKeyExW(parent, path.c_str(), 0, KEY_READ, &key_) != ERROR_SUCCESS) key_ = nullptr;
  }
  RegKey(const RegKey&) = delete;
  RegKey& operator=(const RegKey&) = delete;
  ~RegKey() {
    if (key_) RegCloseKey(key_);
  }
  explicit operator bool() const { return key_ != nullptr; }
  HKEY get() const { return key_; }

  // A REG_SZ / REG_EXPAND_SZ value ("" for the default value); "" when absent.
  std::wstring stringValue(const wchar_t* name) const {
    if (!key_) return {};
    DWORD type = 0;
    DWORD bytes = 0;
    if (RegQueryValueExW(key_, name, nullptr, &type, nullptr, &bytes) != ERROR_SUCCESS) return {};
    if (type != REG_SZ && type != REG_EXPAND_SZ) return {};
    std::wstring value(bytes / sizeof(wchar_t) + 1, L'\0');
    bytes = static_cast<DWORD>(value.size() * sizeof(wchar_t));
    if (RegQueryValueExW(key_, name, nullptr, &type, reinterpret_cast<BYTE*>(value.data()), &bytes) != ERROR_SUCCESS) {
      return {};
    }
    // The stored string may or may not carry its NUL: cut at the first one.
    value.resize(wcsnlen(value.c_str(), value.size()));
    return value;
  }

 private:
  HKEY key_ = nullptr;
};

std::vector<std::wstring> subkeyNames(const RegKey& key) {
  std::vector<std::wstring> names;
  if (!key) return names;
  for (DWORD i = 0;; ++i) {
    wchar_t name[256];  // registry key names are at most 255 characters
    DWORD length = 256;
    const LONG rc = RegEnumKeyExW(key.get(), i, name, &length, nullptr, nullptr, nullptr, nullptr);
    if (rc == ERROR_NO_MORE_ITEMS) break;
    if (rc != ERROR_SUCCESS) continue;
    names.emplace_back(name, length);
  }
  return names;
}

std::string installedList(const std::vector<DriverEntry>& drivers) {
  if (drivers.empty()) return "none";
  std::string list;
  for (const auto& d : drivers) {
    if (!list.empty()) list += ", ";
    list += d.name;
  }
  return list;
}

}  // namespace

std::vector<DriverEntry> installedDrivers() {
  std::vector<DriverEntry> drivers;
  const RegKey asio(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ASIO");
  for (const std::wstring& name : subkeyNames(asio)) {
    const RegKey driverKey(asio.get(), name);
    DriverEntry entry;
    entry.name = toUtf8(name);
    std::wstring clsid = driverKey.stringValue(L"CLSID");
    entry.clsidText = toUtf8(clsid);
    entry.description = toUtf8(driverKey.stringValue(L"Description"));
    entry.clsidValid = !clsid.empty() && SUCCEEDED(CLSIDFromString(clsid.c_str(), &entry.clsid));
    if (entry.clsidValid) {
      const RegKey server(HKEY_CLASSES_ROOT, L"CLSID\\" + clsid + L"\\InprocServer32");
      entry.dllPath = toUtf8(server.stringValue(L""));
    }
    drivers.push_back(std::move(entry));
  }
  return drivers;
}

const DriverEntry& findDriver(const std::vector<DriverEntry>& drivers, std::string_view name) {
  for (const auto& d : drivers) {
    if (d.name == name) return d;
  }
  const DriverEntry* match = nullptr;
  for (const auto& d : drivers) {
    if (!equalsIgnoringCase(d.name, name)) continue;
    if (match) {
      driverError("driver name \"" + std::string(name) + "\" is ambiguous (installed: " + installedList(drivers) + ")");
    }
    match = &d;
  }
  if (!match) {
    driverError("driver \"" + std::string(name) + "\" is not installed (installed: " + installedList(drivers) + ")");
  }
  return *match;
}

}  // namespace a2w::host
