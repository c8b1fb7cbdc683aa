// The driver's identity in the registry. ONE fixed CLSID, generated once for
// this project: never change it, hosts remember drivers by it.
//
// The registry name must not collide with levmin's "ASIO2WASAPI" driver
// (registry key names are case-insensitive), hence "ASIO2WASAPI Universal",
// which is also DriverIdentity's default name (what getDriverName returns).
#pragma once

#include <windows.h>

namespace a2w {

// {D1EE06EC-7664-45C9-A79E-3FCAC436AB59}
inline constexpr CLSID kDriverClsid = {0xd1ee06ec, 0x7664, 0x45c9, {0xa7, 0x9e, 0x3f, 0xca, 0xc4, 0x36, 0xab, 0x59}};
inline constexpr const wchar_t* kDriverClsidString = L"{D1EE06EC-7664-45C9-A79E-3FCAC436AB59}";

// Key under HKLM\SOFTWARE\ASIO, and the name getDriverName reports (UTF-8;
// at most 31 characters for ASIO).
inline constexpr const wchar_t* kDriverRegistryName = L"ASIO2WASAPI Universal";
inline constexpr const char* kDriverName = "ASIO2WASAPI Universal";
// What hosts list ("Description") and the CLSID key's default value.
inline constexpr const wchar_t* kDriverDescription = L"ASIO2WASAPI Universal";

}  // namespace a2w
