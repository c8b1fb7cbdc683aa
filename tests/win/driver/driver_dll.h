// Helpers for the driver DLL tests: the built DLL loaded from next to the
// test exe, a minimal COM pointer, scoped environment variables and COM
// initialisation.
#pragma once

#include <windows.h>
#include <objbase.h>

#include <iterator>
#include <optional>
#include <string>
#include <utility>

namespace a2w::test {

using GetClassObjectFn = HRESULT(STDAPICALLTYPE*)(REFCLSID, REFIID, void**);
using PlainExportFn = HRESULT(STDAPICALLTYPE*)();

// The driver DLL, loaded once for the whole process (like a host keeps it).
struct DriverDll {
  HMODULE module = nullptr;
  std::wstring path;
  GetClassObjectFn getClassObject = nullptr;
  PlainExportFn canUnloadNow = nullptr;
  PlainExportFn registerServer = nullptr;
  PlainExportFn unregisterServer = nullptr;

  bool ok() const { return module && getClassObject && canUnloadNow && registerServer && unregisterServer; }
};

inline std::wstring exeDirectory() {
  wchar_t buffer[MAX_PATH * 4] = {};
  const DWORD n = GetModuleFileNameW(nullptr, buffer, static_cast<DWORD>(std::size(buffer)));
  std::wstring path(buffer, n);
  const auto slash = path.find_last_of(L"\\/");
  return slash == std::wstring::npos ? std::wstring{} : path.substr(0, slash + 1);
}

inline const DriverDll& driverDll() {
  static const DriverDll dll = [] {
    DriverDll d;
    d.module = LoadLibraryW((exeDirectory() + A2W_DRIVER_DLL_NAME).c_str());
    if (!d.module) return d;
    wchar_t buffer[MAX_PATH * 4] = {};
    d.path.assign(buffer, GetModuleFileNameW(d.module, buffer, static_cast<DWORD>(std::size(buffer))));
    // GetProcAddress returns FARPROC; the casts name the real signatures.
    auto get = [&](const char* name) { return reinterpret_cast<void*>(GetProcAddress(d.module, name)); };
    d.getClassObject = reinterpret_cast<GetClassObjectFn>(get("DllGetClassObject"));
    d.canUnloadNow = reinterpret_cast<PlainExportFn>(get("DllCanUnloadNow"));
    d.registerServer = reinterpret_cast<PlainExportFn>(get("DllRegisterServer"));
    d.unregisterServer = reinterpret_cast<PlainExportFn>(get("DllUnregisterServer"));
    return d;
  }();
  return dll;
}

// Owns one reference to a COM interface.
template <typename T>
class ComRef {
 public:
  ComRef() = default;
  ~ComRef() { reset(); }
  ComRef(const ComRef&) = delete;
  ComRef& operator=(const ComRef&) = delete;
  ComRef(ComRef&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}

  T* get() const { return p_; }
  T* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // For out-parameters: releases what is held first.
  void** out() {
    reset();
    return reinterpret_cast<void**>(&p_);
  }
  void reset() {
    if (p_) p_->Release();
    p_ = nullptr;
  }

 private:
  T* p_ = nullptr;
};

// Sets (or clears, with nullopt) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const wchar_t* name, std::optional<std::wstring> value) : name_(name) {
    wchar_t buffer[1024];
    const DWORD n = GetEnvironmentVariableW(name, buffer, 1024);
    if (n > 0 && n < 1024) old_ = std::wstring(buffer, n);
    SetEnvironmentVariableW(name, value ? value->c_str() : nullptr);
  }
  ~ScopedEnv() { SetEnvironmentVariableW(name_.c_str(), old_ ? old_->c_str() : nullptr); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::wstring name_;
  std::optional<std::wstring> old_;
};

class ScopedCom {
 public:
  ScopedCom() : hr_(CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED)) {}
  ~ScopedCom() {
    if (SUCCEEDED(hr_)) CoUninitialize();
  }
  ScopedCom(const ScopedCom&) = delete;
  ScopedCom& operator=(const ScopedCom&) = delete;
  HRESULT result() const { return hr_; }

 private:
  HRESULT hr_;
};

}  // namespace a2w::test
