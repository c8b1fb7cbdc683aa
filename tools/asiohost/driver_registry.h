// The ASIO drivers installed on this machine, found the way hosts find them:
// each subkey of HKLM\SOFTWARE\ASIO names a driver and holds its CLSID; the
// DLL is HKCR\CLSID\{clsid}\InprocServer32's default value. A 32-bit asiohost
// sees the 32-bit registry view (WOW6432Node), i.e. the 32-bit drivers, as a
// 32-bit DAW would.
#pragma once

#include <windows.h>

#include <string>
#include <string_view>
#include <vector>

namespace a2w::host {

struct DriverEntry {
  std::string name;         // the registry key name: what hosts show
  std::string clsidText;    // "{...}" as registered ("" when missing)
  CLSID clsid{};            // valid only when clsidValid
  bool clsidValid = false;
  std::string description;  // the Description value, may be empty
  std::string dllPath;      // InprocServer32's default value, "" when missing
};

std::vector<DriverEntry> installedDrivers();

// The entry named `name`: an exact match first, else the only one that
// matches ignoring case. Throws HostError (exit 1) naming the installed drivers.
const DriverEntry& findDriver(const std::vector<DriverEntry>& drivers, std::string_view name);

}  // namespace a2w::host
