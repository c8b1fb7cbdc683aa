#include "driver/instances.h"

#include <objbase.h>
#include <shlobj.h>
#include <knownfolders.h>

#include <algorithm>

#include "core/instance_name.h"
#include "driver/driver_clsid.h"
#include "driver/registry_key.h"
#include "driver/wide_text.h"

namespace a2w::instances {
namespace {

const std::wstring kInstancesKey = L"SOFTWARE\\asio2wasapi\\Instances";
const std::wstring kProductKey = L"SOFTWARE\\asio2wasapi";

HRESULT fromWin32(LSTATUS rc) { return rc == ERROR_SUCCESS ? S_OK : HRESULT_FROM_WIN32(static_cast<DWORD>(rc)); }

std::wstring clsidText(const GUID& g) {
  wchar_t text[64] = {};
  if (StringFromGUID2(g, text, 64) <= 0) return {};
  return text;
}

bool parseClsid(const std::wstring& text, CLSID* out) { return SUCCEEDED(CLSIDFromString(text.c_str(), out)); }

Instance named(const std::wstring& name, const std::wstring& clsid) {
  return Instance{name, clsid, widen(asioNameOf(narrow(name)))};
}

// Every subkey name of an open key.
std::vector<std::wstring> subkeys(HKEY key) {
  std::vector<std::wstring> names;
  for (DWORD i = 0;; ++i) {
    wchar_t name[256] = {};
    DWORD length = 256;
    const LSTATUS rc = RegEnumKeyExW(key, i, name, &length, nullptr, nullptr, nullptr, nullptr);
    if (rc != ERROR_SUCCESS) break;
    names.emplace_back(name, length);
  }
  return names;
}

std::wstring environment(const wchar_t* name) {
  wchar_t buffer[32768];
  const DWORD n = GetEnvironmentVariableW(name, buffer, 32768);
  return n > 0 && n < 32768 ? std::wstring(buffer, n) : std::wstring{};
}

}  // namespace

Instance defaultInstance() { return Instance{L"default", kDriverClsidString, kDriverRegistryName}; }

std::vector<Instance> namedInstances() {
  std::vector<Instance> list;
  RegistryKey root;
  if (RegistryKey::open(HKEY_LOCAL_MACHINE, kInstancesKey, KEY_READ, &root) != ERROR_SUCCESS) return list;
  for (const std::wstring& name : subkeys(root.get())) {
    RegistryKey key;
    std::wstring clsid;
    CLSID parsed{};
    if (RegistryKey::open(root.get(), name, KEY_READ, &key) != ERROR_SUCCESS) continue;
    if (key.getString(L"CLSID", &clsid) != ERROR_SUCCESS || !parseClsid(clsid, &parsed)) continue;
    if (!checkInstanceName(narrow(name)).empty()) continue;  // not one we wrote
    list.push_back(named(name, clsid));
  }
  std::sort(list.begin(), list.end(), [](const Instance& a, const Instance& b) { return a.name < b.name; });
  return list;
}

std::vector<Instance> allInstances() {
  std::vector<Instance> list{defaultInstance()};
  for (Instance& i : namedInstances()) list.push_back(std::move(i));
  return list;
}

std::optional<Instance> findByClsid(REFCLSID clsid) {
  if (IsEqualCLSID(clsid, kDriverClsid)) return defaultInstance();
  for (Instance& i : namedInstances()) {
    CLSID parsed{};
    if (parseClsid(i.clsid, &parsed) && IsEqualCLSID(parsed, clsid)) return std::move(i);
  }
  return std::nullopt;
}

std::optional<Instance> findByName(const std::wstring& name) {
  for (Instance& i : allInstances()) {
    if (sameName(narrow(i.name), narrow(name))) return std::move(i);
  }
  return std::nullopt;
}

std::filesystem::path configFolder() {
  if (std::wstring dir = environment(L"A2W_CONFIG_DIR"); !dir.empty()) return std::filesystem::path(dir);
  PWSTR local = nullptr;
  std::filesystem::path folder;
  if (SUCCEEDED(SHGetKnownFolderPath(FOLDERID_LocalAppData, KF_FLAG_DEFAULT, nullptr, &local)) && local) {
    folder = std::filesystem::path(local) / L"asio2wasapi";
  }
  CoTaskMemFree(local);
  return folder;
}

std::filesystem::path configFileOf(const std::wstring& instance) {
  const std::filesystem::path folder = configFolder();
  if (folder.empty()) return {};
  return folder / widen(configFileNameOf(narrow(instance)));
}

std::wstring registeredDllPath() {
  RegistryKey key;
  const std::wstring path = std::wstring(L"SOFTWARE\\Classes\\CLSID\\") + kDriverClsidString + L"\\InprocServer32";
  std::wstring dll;
  if (RegistryKey::open(HKEY_LOCAL_MACHINE, path, KEY_READ, &key) != ERROR_SUCCESS) return {};
  if (key.getString(nullptr, &dll) != ERROR_SUCCESS) return {};
  return dll;
}

DriverRegistration registrationOf(const Instance& instance, const std::wstring& dllPath) {
  DriverRegistration reg;
  reg.clsid = instance.clsid;
  reg.name = instance.asioName;
  reg.description = instance.asioName;
  reg.dllPath = dllPath;
  return reg;
}

HRESULT addInstance(const std::wstring& name, const std::wstring& dllPath, Instance* added, std::string* error) {
  auto fail = [&](HRESULT hr, std::string why) {
    if (error) *error = std::move(why);
    return hr;
  };
  if (std::string why = checkInstanceName(narrow(name)); !why.empty()) return fail(E_INVALIDARG, why);
  if (findByName(name)) return fail(HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS), "an instance \"" + narrow(name) + "\" exists already");
  if (dllPath.empty()) return fail(E_INVALIDARG, "the driver DLL is not registered: run regsvr32 on it first");
  // Another driver may own the ASIO name already (registry names ignore case).
  const Instance instance = [&] {
    GUID guid{};
    return SUCCEEDED(CoCreateGuid(&guid)) ? named(name, clsidText(guid)) : Instance{};
  }();
  if (instance.clsid.empty()) return fail(E_FAIL, "no new CLSID could be made");
  {
    RegistryKey taken;
    if (RegistryKey::open(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ASIO\\" + instance.asioName, KEY_READ, &taken) == ERROR_SUCCESS) {
      return fail(HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS), "an ASIO driver \"" + narrow(instance.asioName) + "\" exists already");
    }
  }
  RegistryKey key;
  LSTATUS rc = RegistryKey::create(HKEY_LOCAL_MACHINE, kInstancesKey + L"\\" + name, &key);
  if (rc == ERROR_SUCCESS) rc = key.setString(L"CLSID", instance.clsid);
  key.reset();
  HRESULT hr = fromWin32(rc);
  if (SUCCEEDED(hr)) hr = registerDriver(registrationOf(instance, dllPath));
  if (FAILED(hr)) {
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, (kInstancesKey + L"\\" + name).c_str());
    return fail(hr, hr == E_ACCESSDENIED ? "access denied: run as administrator" : "the registry could not be written");
  }
  if (added) *added = instance;
  return S_OK;
}

HRESULT removeInstance(const std::wstring& name, std::string* error) {
  if (isDefaultInstance(narrow(name))) {
    if (error) *error = "the default instance is removed with regsvr32 /u";
    return E_INVALIDARG;
  }
  std::optional<Instance> instance;
  for (Instance& i : namedInstances()) {
    if (sameName(narrow(i.name), narrow(name))) instance = std::move(i);
  }
  if (!instance) {
    if (error) *error = "no instance \"" + narrow(name) + "\"";
    return HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND);
  }
  HRESULT hr = unregisterDriver(registrationOf(*instance, {}));
  const LSTATUS rc = RegDeleteTreeW(HKEY_LOCAL_MACHINE, (kInstancesKey + L"\\" + instance->name).c_str());
  if (SUCCEEDED(hr) && rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND) hr = fromWin32(rc);
  if (FAILED(hr) && error) *error = hr == E_ACCESSDENIED ? "access denied: run as administrator" : "the registry could not be written";
  return hr;
}

HRESULT registerNamedInstances(const std::wstring& dllPath) {
  HRESULT result = S_OK;
  for (const Instance& i : namedInstances()) {
    const HRESULT hr = registerDriver(registrationOf(i, dllPath));
    if (FAILED(hr) && SUCCEEDED(result)) result = hr;
  }
  return result;
}

HRESULT unregisterNamedInstances() {
  HRESULT result = S_OK;
  for (const Instance& i : namedInstances()) {
    const HRESULT hr = unregisterDriver(registrationOf(i, {}));
    if (FAILED(hr) && SUCCEEDED(result)) result = hr;
  }
  LSTATUS rc = RegDeleteTreeW(HKEY_LOCAL_MACHINE, kInstancesKey.c_str());
  if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND && SUCCEEDED(result)) result = fromWin32(rc);
  // The product key goes too when nothing else is in it.
  RegDeleteKeyW(HKEY_LOCAL_MACHINE, kProductKey.c_str());
  return result;
}

}  // namespace a2w::instances
