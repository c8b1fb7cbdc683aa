#include "driver/registration.h"

#include <cwctype>

#include "driver/driver_clsid.h"
#include "driver/registry_key.h"

namespace a2w {
namespace {

const std::wstring kAsioRoot = L"SOFTWARE\\ASIO\\";
const std::wstring kClsidRoot = L"SOFTWARE\\Classes\\CLSID\\";

HRESULT fromWin32(LSTATUS rc) { return rc == ERROR_SUCCESS ? S_OK : HRESULT_FROM_WIN32(static_cast<DWORD>(rc)); }

bool equalNoCase(const std::wstring& a, const std::wstring& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::towlower(a[i]) != std::towlower(b[i])) return false;
  }
  return true;
}

// Names that would write outside our own keys (empty, or a path) are refused.
bool validKeyName(const std::wstring& s) { return !s.empty() && s.find(L'\\') == std::wstring::npos; }

HRESULT writeClsidKey(const DriverRegistration& reg) {
  RegistryKey clsidKey;
  LSTATUS rc = RegistryKey::create(HKEY_LOCAL_MACHINE, kClsidRoot + reg.clsid, &clsidKey);
  if (rc == ERROR_SUCCESS) rc = clsidKey.setString(nullptr, reg.description);
  RegistryKey server;
  if (rc == ERROR_SUCCESS) rc = RegistryKey::create(clsidKey.get(), L"InprocServer32", &server);
  if (rc == ERROR_SUCCESS) rc = server.setString(nullptr, reg.dllPath);
  // "Both": the driver object may be called from any apartment; hosts call
  // it from STA and MTA threads, and it guards its own state.
  if (rc == ERROR_SUCCESS) rc = server.setString(L"ThreadingModel", L"Both");
  return fromWin32(rc);
}

HRESULT writeAsioKey(const DriverRegistration& reg) {
  RegistryKey asioKey;
  LSTATUS rc = RegistryKey::create(HKEY_LOCAL_MACHINE, kAsioRoot + reg.name, &asioKey);
  if (rc == ERROR_SUCCESS) rc = asioKey.setString(L"CLSID", reg.clsid);
  if (rc == ERROR_SUCCESS) rc = asioKey.setString(L"Description", reg.description);
  return fromWin32(rc);
}

}  // namespace

std::wstring modulePath(HMODULE module) {
  // GetModuleFileNameW truncates silently when the buffer is short, and long
  // paths exceed MAX_PATH: grow until it fits.
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(module, path.data(), static_cast<DWORD>(path.size()));
    if (n == 0) return {};
    if (n < path.size()) {
      path.resize(n);
      return path;
    }
    if (path.size() >= 32768) return {};
    path.resize(path.size() * 2);
  }
}

DriverRegistration thisDriverRegistration(HMODULE module) {
  DriverRegistration reg;
  reg.clsid = kDriverClsidString;
  reg.name = kDriverRegistryName;
  reg.description = kDriverDescription;
  reg.dllPath = module ? modulePath(module) : std::wstring{};
  return reg;
}

HRESULT registerDriver(const DriverRegistration& reg) {
  if (!validKeyName(reg.clsid) || !validKeyName(reg.name) || reg.dllPath.empty()) return E_INVALIDARG;
  HRESULT hr = writeClsidKey(reg);
  if (SUCCEEDED(hr)) hr = writeAsioKey(reg);
  // Half a registration (a CLSID without its ASIO entry, or an ASIO entry
  // whose CLSID cannot be created) only confuses hosts: take it back.
  if (FAILED(hr)) unregisterDriver(reg);
  return hr;
}

HRESULT unregisterDriver(const DriverRegistration& reg) {
  if (!validKeyName(reg.clsid) || !validKeyName(reg.name)) return E_INVALIDARG;
  HRESULT result = S_OK;

  // The ASIO entry: only when it still points at our CLSID.
  {
    RegistryKey asioKey;
    LSTATUS rc = RegistryKey::open(HKEY_LOCAL_MACHINE, kAsioRoot + reg.name, KEY_READ, &asioKey);
    if (rc == ERROR_SUCCESS) {
      std::wstring clsid;
      const bool ours = asioKey.getString(L"CLSID", &clsid) == ERROR_SUCCESS && equalNoCase(clsid, reg.clsid);
      asioKey.reset();
      if (ours) {
        rc = RegDeleteKeyW(HKEY_LOCAL_MACHINE, (kAsioRoot + reg.name).c_str());
        if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND) result = fromWin32(rc);
      }
    } else if (rc != ERROR_FILE_NOT_FOUND) {
      result = fromWin32(rc);
    }
  }

  // The CLSID key and its InprocServer32 subkey. The CLSID is ours alone.
  {
    const LSTATUS rc = RegDeleteTreeW(HKEY_LOCAL_MACHINE, (kClsidRoot + reg.clsid).c_str());
    if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND && SUCCEEDED(result)) result = fromWin32(rc);
  }
  return result;
}

}  // namespace a2w
