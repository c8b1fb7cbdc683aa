// DllRegisterServer / DllUnregisterServer of the built DLL: the exact keys
// and values, and that unregistering touches nothing but ours.
#include <gtest/gtest.h>

#include <cwctype>
#include <string>

#include "driver/driver_clsid.h"
#include "driver/registration.h"
#include "driver/registry_key.h"
#include "win/driver/driver_dll.h"

namespace a2w {
namespace {

using test::driverDll;

const std::wstring kAsioKey = std::wstring(L"SOFTWARE\\ASIO\\") + kDriverRegistryName;
const std::wstring kClsidKey = std::wstring(L"CLSID\\") + kDriverClsidString;  // under HKCR
// levmin's driver; ours must never touch it (names are case-insensitive).
const std::wstring kOtherDriverKey = L"SOFTWARE\\ASIO\\ASIO2WASAPI";

bool keyExists(HKEY root, const std::wstring& path) {
  RegistryKey k;
  return RegistryKey::open(root, path, KEY_READ, &k) == ERROR_SUCCESS;
}

std::wstring readString(HKEY root, const std::wstring& path, const wchar_t* name) {
  RegistryKey k;
  if (RegistryKey::open(root, path, KEY_READ, &k) != ERROR_SUCCESS) return L"<no key>";
  std::wstring v;
  if (k.getString(name, &v) != ERROR_SUCCESS) return L"<no value>";
  return v;
}

std::wstring lower(std::wstring s) {
  for (auto& c : s) c = static_cast<wchar_t>(std::towlower(c));
  return s;
}

class RegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(driverDll().ok()) << "could not load the driver DLL next to the test exe";
    ASSERT_EQ(driverDll().unregisterServer(), S_OK);  // a clean start
  }
  void TearDown() override {
    driverDll().unregisterServer();
    RegDeleteKeyW(HKEY_LOCAL_MACHINE, kOtherDriverKey.c_str());  // created by a test only
  }
};

TEST_F(RegistrationTest, RegisterWritesTheAsioAndClsidKeys) {
  ASSERT_EQ(driverDll().registerServer(), S_OK);

  EXPECT_EQ(readString(HKEY_LOCAL_MACHINE, kAsioKey, L"CLSID"), kDriverClsidString);
  EXPECT_EQ(readString(HKEY_LOCAL_MACHINE, kAsioKey, L"Description"), kDriverDescription);

  EXPECT_EQ(readString(HKEY_CLASSES_ROOT, kClsidKey, nullptr), kDriverDescription);
  const std::wstring server = kClsidKey + L"\\InprocServer32";
  EXPECT_EQ(lower(readString(HKEY_CLASSES_ROOT, server, nullptr)), lower(driverDll().path));
  EXPECT_EQ(readString(HKEY_CLASSES_ROOT, server, L"ThreadingModel"), L"Both");
}

TEST_F(RegistrationTest, RegisteringTwiceIsFine) {
  ASSERT_EQ(driverDll().registerServer(), S_OK);
  ASSERT_EQ(driverDll().registerServer(), S_OK);
  EXPECT_EQ(readString(HKEY_LOCAL_MACHINE, kAsioKey, L"CLSID"), kDriverClsidString);
}

TEST_F(RegistrationTest, UnregisterRemovesOnlyOurKeys) {
  {
    RegistryKey other;
    ASSERT_EQ(RegistryKey::create(HKEY_LOCAL_MACHINE, kOtherDriverKey, &other), ERROR_SUCCESS);
    ASSERT_EQ(other.setString(L"CLSID", L"{232685C6-6548-49D8-846D-4141A3EF7560}"), ERROR_SUCCESS);
    ASSERT_EQ(other.setString(L"Description", L"ASIO2WASAPI"), ERROR_SUCCESS);
  }
  ASSERT_EQ(driverDll().registerServer(), S_OK);
  ASSERT_TRUE(keyExists(HKEY_LOCAL_MACHINE, kAsioKey));
  ASSERT_TRUE(keyExists(HKEY_CLASSES_ROOT, kClsidKey));

  ASSERT_EQ(driverDll().unregisterServer(), S_OK);
  EXPECT_FALSE(keyExists(HKEY_LOCAL_MACHINE, kAsioKey));
  EXPECT_FALSE(keyExists(HKEY_CLASSES_ROOT, kClsidKey + L"\\InprocServer32"));
  EXPECT_FALSE(keyExists(HKEY_CLASSES_ROOT, kClsidKey));

  // Untouched: the other driver and the ASIO parent key.
  EXPECT_EQ(readString(HKEY_LOCAL_MACHINE, kOtherDriverKey, L"CLSID"), L"{232685C6-6548-49D8-846D-4141A3EF7560}");
  EXPECT_EQ(readString(HKEY_LOCAL_MACHINE, kOtherDriverKey, L"Description"), L"ASIO2WASAPI");
  EXPECT_TRUE(keyExists(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ASIO"));
}

TEST_F(RegistrationTest, UnregisterWhenNotRegisteredSucceeds) {
  EXPECT_EQ(driverDll().unregisterServer(), S_OK);
  EXPECT_EQ(driverDll().unregisterServer(), S_OK);
}

TEST_F(RegistrationTest, UnregisterLeavesOurNameAloneWhenAnotherClsidTookIt) {
  {
    RegistryKey squatter;
    ASSERT_EQ(RegistryKey::create(HKEY_LOCAL_MACHINE, kAsioKey, &squatter), ERROR_SUCCESS);
    ASSERT_EQ(squatter.setString(L"CLSID", L"{00000000-1111-2222-3333-444444444444}"), ERROR_SUCCESS);
  }
  EXPECT_EQ(driverDll().unregisterServer(), S_OK);
  EXPECT_EQ(readString(HKEY_LOCAL_MACHINE, kAsioKey, L"CLSID"), L"{00000000-1111-2222-3333-444444444444}");
  RegDeleteKeyW(HKEY_LOCAL_MACHINE, kAsioKey.c_str());
}

// The linked-in functions refuse registrations that would write outside our keys.
TEST(RegistrationFunctions, BadArgumentsFailWithoutCrashing) {
  DriverRegistration reg = thisDriverRegistration(nullptr);  // nullptr: the test exe, no path asked
  EXPECT_TRUE(reg.dllPath.empty());
  EXPECT_EQ(registerDriver(reg), E_INVALIDARG);  // no DLL path
  reg.dllPath = L"C:\\nowhere\\x.dll";
  reg.name = L"";
  EXPECT_EQ(registerDriver(reg), E_INVALIDARG);
  reg.name = L"..\\..\\Microsoft";
  EXPECT_EQ(registerDriver(reg), E_INVALIDARG);
  EXPECT_EQ(unregisterDriver(reg), E_INVALIDARG);
}

TEST(RegistrationFunctions, ModulePathOfTheLoadedDll) {
  ASSERT_TRUE(driverDll().ok());
  const std::wstring p = modulePath(driverDll().module);
  EXPECT_EQ(lower(p), lower(driverDll().path));
  EXPECT_NE(lower(p).find(L"asio2wasapi_x"), std::wstring::npos);
}

}  // namespace
}  // namespace a2w
