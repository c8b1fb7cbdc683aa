// One version everywhere: the built DLL's VERSIONINFO resource and what its
// driver object returns from getDriverVersion both come from core/version.h,
// which CMake configures from the project version.
#include <windows.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/version.h"
#include "win/driver/driver_dll.h"

namespace a2w {
namespace {

using test::driverDll;

// The DLL's version resource, read the way Explorer and installers read it.
std::vector<unsigned char> versionInfo(const std::wstring& path) {
  DWORD ignored = 0;
  const DWORD size = GetFileVersionInfoSizeW(path.c_str(), &ignored);
  std::vector<unsigned char> data(size);
  if (size == 0 || !GetFileVersionInfoW(path.c_str(), 0, size, data.data())) data.clear();
  return data;
}

std::wstring stringValue(std::vector<unsigned char>& info, const wchar_t* name) {
  void* value = nullptr;
  UINT length = 0;
  const std::wstring key = std::wstring(L"\\StringFileInfo\\040904B0\\") + name;
  if (!VerQueryValueW(info.data(), key.c_str(), &value, &length) || length == 0) return {};
  return static_cast<const wchar_t*>(value);  // NUL-terminated; length counts it
}

std::wstring wide(const char* s) { return std::wstring(s, s + std::char_traits<char>::length(s)); }

TEST(Version, TheDllsVersionResourceIsTheProjectVersion) {
  ASSERT_TRUE(driverDll().ok());
  std::vector<unsigned char> info = versionInfo(driverDll().path);
  ASSERT_FALSE(info.empty()) << "no VERSIONINFO in the driver DLL";

  void* fixedPtr = nullptr;
  UINT length = 0;
  ASSERT_TRUE(VerQueryValueW(info.data(), L"\\", &fixedPtr, &length));
  ASSERT_GE(length, sizeof(VS_FIXEDFILEINFO));
  const auto* fixed = static_cast<const VS_FIXEDFILEINFO*>(fixedPtr);
  EXPECT_EQ(fixed->dwSignature, 0xFEEF04BDu);
  EXPECT_EQ(fixed->dwFileVersionMS, static_cast<DWORD>((A2W_VERSION_MAJOR << 16) | A2W_VERSION_MINOR));
  EXPECT_EQ(fixed->dwFileVersionLS, static_cast<DWORD>(A2W_VERSION_PATCH << 16));
  EXPECT_EQ(fixed->dwProductVersionMS, fixed->dwFileVersionMS);
  EXPECT_EQ(fixed->dwProductVersionLS, fixed->dwFileVersionLS);
  EXPECT_EQ(fixed->dwFileType, static_cast<DWORD>(VFT_DLL));

  EXPECT_EQ(stringValue(info, L"FileVersion"), wide(A2W_VERSION_STRING));
  EXPECT_EQ(stringValue(info, L"ProductVersion"), wide(A2W_VERSION_STRING));
  const std::wstring& path = driverDll().path;
  EXPECT_EQ(stringValue(info, L"OriginalFilename"), path.substr(path.find_last_of(L"\\/") + 1));
}

TEST(Version, TheDriverVersionNumberPacksTheSameVersion) {
  const std::string expected = std::to_string(A2W_VERSION_MAJOR) + "." + std::to_string(A2W_VERSION_MINOR) + "." +
                               std::to_string(A2W_VERSION_PATCH);
  EXPECT_EQ(expected, A2W_VERSION_STRING);
  EXPECT_EQ(A2W_VERSION_NUMBER, A2W_VERSION_MAJOR * 10000 + A2W_VERSION_MINOR * 100 + A2W_VERSION_PATCH);
}

}  // namespace
}  // namespace a2w
