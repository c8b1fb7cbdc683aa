// RAII for HKEY: closed on every path out, movable, never copied.
#pragma once

#include <windows.h>

#include <string>
#include <utility>

namespace a2w {

class RegistryKey {
 public:
  RegistryKey() = default;
  explicit RegistryKey(HKEY key) : key_(key) {}
  ~RegistryKey() { reset(); }
  RegistryKey(RegistryKey&& other) noexcept : key_(std::exchange(other.key_, nullptr)) {}
  RegistryKey& operator=(RegistryKey&& other) noexcept {
    if (this != &other) {
      reset();
      key_ = std::exchange(other.key_, nullptr);
    }
    return *this;
  }
  RegistryKey(const RegistryKey&) = delete;
  RegistryKey& operator=(const RegistryKey&) = delete;

  HKEY get() const { return key_; }
  explicit operator bool() const { return key_ != nullptr; }
  void reset() {
    if (key_) RegCloseKey(key_);
    key_ = nullptr;
  }

  // Creates (or opens) parent\subkey for writing. Returns a Win32 error code.
  static LSTATUS create(HKEY parent, const std::wstring& subkey, RegistryKey* out) {
    HKEY k = nullptr;
    const LSTATUS rc = RegCreateKeyExW(parent, subkey.c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                                       KEY_READ | KEY_WRITE, nullptr, &k, nullptr);
    if (rc == ERROR_SUCCESS) *out = RegistryKey(k);
    return rc;
  }

  // Opens an existing parent\subkey. Returns a Win32 error code
  // (ERROR_FILE_NOT_FOUND when it does not exist).
  static LSTATUS open(HKEY parent, const std::wstring& subkey, REGSAM access, RegistryKey* out) {
    HKEY k = nullptr;
    const LSTATUS rc = RegOpenKeyExW(parent, subkey.c_str(), 0, access, &k);
    if (rc == ERROR_SUCCESS) *out = RegistryKey(k);
    return rc;
  }

  // Writes a REG_SZ value; an empty name writes the key's default value.
  LSTATUS setString(const wchar_t* name, const std::wstring& value) const {
    const DWORD bytes = static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t));  // with the NUL
    return RegSetValueExW(key_, name, 0, REG_SZ, reinterpret_cast<const BYTE*>(value.c_str()), bytes);
  }

  // Reads a REG_SZ value (empty name: the default value).
  LSTATUS getString(const wchar_t* name, std::wstring* value) const {
    DWORD type = 0;
    DWORD bytes = 0;
    LSTATUS rc = RegQueryValueExW(key_, name, nullptr, &type, nullptr, &bytes);
    if (rc != ERROR_SUCCESS) return rc;
    if (type != REG_SZ && type != REG_EXPAND_SZ) return ERROR_INVALID_DATA;
    std::wstring buffer(bytes / sizeof(wchar_t) + 1, L'\0');
    bytes = static_cast<DWORD>(buffer.size() * sizeof(wchar_t));  // all of it, the NUL we added too
    rc = RegQueryValueExW(key_, name, nullptr, &type, reinterpret_cast<BYTE*>(buffer.data()), &bytes);
    if (rc != ERROR_SUCCESS) return rc;
    buffer.resize(bytes / sizeof(wchar_t));
    // Stored strings may or may not include their terminator.
    while (!buffer.empty() && buffer.back() == L'\0') buffer.pop_back();
    *value = std::move(buffer);
    return ERROR_SUCCESS;
  }

 private:
  HKEY key_ = nullptr;
};

}  // namespace a2w
