// Driver instances on Windows: the registry list, each instance's CLSID and
// ASIO registration, and where its settings file lives. A library API: the
// driver (DllGetClassObject, DllRegisterServer/DllUnregisterServer), the
// a2w-instances tool and the control panel all call it.
//
//   HKLM\SOFTWARE\asio2wasapi\Instances\<name>   CLSID = "{...}"  (named instances only)
//
// The default instance ("default", ASIO name "ASIO2WASAPI Universal") has
// the fixed CLSID of driver_clsid.h and is not in that list. A named
// instance gets a new CLSID (CoCreateGuid) when added, and is registered
// exactly like the default one (ASIO key + CLSID key, the same DLL), so
// hosts see "ASIO2WASAPI <name>" as one more driver. Names: core/instance_name.h.
//
// Like registration.h, nothing names a registry view: the x86 DLL and tool
// (under WOW64) see the 32-bit view's list, the x64 ones the 64-bit view's.
//
// Settings files: %LOCALAPPDATA%\asio2wasapi\<name>.toml ("default.toml"),
// or the folder in A2W_CONFIG_DIR when that variable is set (tests,
// portable setups).
#pragma once

#include <windows.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "driver/registration.h"

namespace a2w::instances {

struct Instance {
  std::wstring name;      // "default" or the user's name
  std::wstring clsid;     // "{XXXXXXXX-...}"
  std::wstring asioName;  // "ASIO2WASAPI Universal", "ASIO2WASAPI Headphones"
};

Instance defaultInstance();

// The named instances of this registry view, sorted by name (not the default).
std::vector<Instance> namedInstances();
// The default instance first, then the named ones.
std::vector<Instance> allInstances();

std::optional<Instance> findByClsid(REFCLSID clsid);
std::optional<Instance> findByName(const std::wstring& name);  // case-insensitive; "default" too

// The folder of the settings files (not created here), and one instance's file.
std::filesystem::path configFolder();
std::filesystem::path configFileOf(const std::wstring& instance);

// The DLL path registered for the default instance (its InprocServer32), or
// empty when the driver is not registered in this view.
std::wstring registeredDllPath();

// The registry entries of an instance served by the DLL at `dllPath`.
DriverRegistration registrationOf(const Instance& instance, const std::wstring& dllPath);

// Adds a named instance: checks the name (core/instance_name.h) and that it
// is new, makes its CLSID, lists it and registers it for `dllPath`. On
// failure *error says why (for the user) and nothing is left behind. Needs
// administrator rights (HKLM), like regsvr32.
HRESULT addInstance(const std::wstring& name, const std::wstring& dllPath, Instance* added, std::string* error);

// Removes a named instance's registration and list entry (its settings file
// stays). The default instance cannot be removed here (regsvr32 /u does).
HRESULT removeInstance(const std::wstring& name, std::string* error);

// DllRegisterServer: every listed instance re-registered for `dllPath`.
HRESULT registerNamedInstances(const std::wstring& dllPath);
// DllUnregisterServer: every listed instance's keys, then the list itself.
HRESULT unregisterNamedInstances();

}  // namespace a2w::instances
