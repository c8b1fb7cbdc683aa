// Writing and removing the driver's registry entries (DllRegisterServer /
// DllUnregisterServer):
//
//   HKLM\SOFTWARE\ASIO\<name>                CLSID = "{...}", Description = <description>
//   HKLM\SOFTWARE\Classes\CLSID\{clsid}      (default) = <description>
//     InprocServer32                         (default) = <full DLL path>, ThreadingModel = "Both"
//
// HKLM\SOFTWARE\Classes is the machine-wide half of HKCR: writing there
// rather than through HKCR keeps a per-user HKCU\Software\Classes entry from
// capturing the registration, and the ASIO list is machine-wide anyway.
//
// 32-bit and 64-bit: nothing here names a registry view. The 32-bit DLL,
// registered by the 32-bit regsvr32 (%WINDIR%\SysWOW64\regsvr32.exe), is a
// WOW64 process, so these writes land in the 32-bit view (WOW6432Node),
// where 32-bit hosts look; the 64-bit DLL lands in the 64-bit view. Both
// DLLs share one CLSID and one ASIO name without clashing.
#pragma once

#include <windows.h>

#include <string>

namespace a2w {

struct DriverRegistration {
  std::wstring clsid;        // "{XXXXXXXX-...}"
  std::wstring name;         // key under HKLM\SOFTWARE\ASIO
  std::wstring description;  // Description value and CLSID default value
  std::wstring dllPath;      // InprocServer32 default value
};

// The registration of this DLL: fixed CLSID and names, path of `module`.
// An empty dllPath means the path could not be read.
DriverRegistration thisDriverRegistration(HMODULE module);

// Full path of a loaded module (any length), or empty on failure.
std::wstring modulePath(HMODULE module);

// S_OK, or a failing HRESULT (HRESULT_FROM_WIN32 of the registry error, e.g.
// E_ACCESSDENIED without admin rights). On failure nothing is left behind.
HRESULT registerDriver(const DriverRegistration& reg);

// Removes our ASIO key (only when its CLSID value is ours: another driver
// that took the name is left alone) and our CLSID key with its subkeys.
// Nothing else: the ASIO parent key and other drivers stay. Keys already
// absent are fine (S_OK).
HRESULT unregisterDriver(const DriverRegistration& reg);

}  // namespace a2w
