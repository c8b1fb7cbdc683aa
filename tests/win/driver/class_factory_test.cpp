// DllGetClassObject, the class factory and DllCanUnloadNow of the built DLL.
#include <gtest/gtest.h>

#include "asio/iasio.h"
#include "core/version.h"
#include "driver/driver_clsid.h"
#include "win/driver/driver_dll.h"

namespace a2w {
namespace {

using test::ComRef;
using test::driverDll;

// A made-up interface id nobody implements.
constexpr IID kRandomIid = {0x5b2f7c11, 0x0c7e, 0x4f0e, {0x9a, 0x51, 0x2d, 0x8e, 0x61, 0x3a, 0x77, 0x04}};

class ClassFactoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(driverDll().ok());
    ASSERT_EQ(driverDll().getClassObject(kDriverClsid, IID_IClassFactory, factory.out()), S_OK);
    ASSERT_TRUE(factory);
  }
  ComRef<IClassFactory> factory;
};

TEST_F(ClassFactoryTest, FactoryAnswersIUnknownAndIClassFactoryOnly) {
  ComRef<IUnknown> unknown;
  EXPECT_EQ(factory->QueryInterface(IID_IUnknown, unknown.out()), S_OK);
  ComRef<IUnknown> other;
  EXPECT_EQ(factory->QueryInterface(kRandomIid, other.out()), E_NOINTERFACE);
  EXPECT_FALSE(other);
}

TEST(ClassObject, WrongClsidIsNotAvailable) {
  ASSERT_TRUE(driverDll().ok());
  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(driverDll().getClassObject(kRandomIid, IID_IClassFactory, &p), CLASS_E_CLASSNOTAVAILABLE);
  EXPECT_EQ(p, nullptr);
}

TEST(ClassObject, UnknownFactoryInterfaceIsRefused) {
  ASSERT_TRUE(driverDll().ok());
  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(driverDll().getClassObject(kDriverClsid, kRandomIid, &p), E_NOINTERFACE);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(driverDll().getClassObject(kDriverClsid, IID_IClassFactory, nullptr), E_POINTER);
}

TEST_F(ClassFactoryTest, AggregationIsRefused) {
  ComRef<IUnknown> outer;
  ASSERT_EQ(factory->QueryInterface(IID_IUnknown, outer.out()), S_OK);  // any non-null unknown
  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(factory->CreateInstance(outer.get(), IID_IUnknown, &p), CLASS_E_NOAGGREGATION);
  EXPECT_EQ(p, nullptr);
}

TEST_F(ClassFactoryTest, CreateInstanceWithTheClsidAsIidGivesIAsio) {
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(factory->CreateInstance(nullptr, kDriverClsid, driver.out()), S_OK);
  ASSERT_TRUE(driver);
  char name[32] = {};
  driver->getDriverName(name);
  EXPECT_STREQ(name, "ASIO2WASAPI Universal");
  EXPECT_EQ(driver->getDriverVersion(), A2W_VERSION_NUMBER);
}

TEST_F(ClassFactoryTest, DriverAnswersIUnknownAndItsClsidOnly) {
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(factory->CreateInstance(nullptr, IID_IUnknown, driver.out()), S_OK);

  ComRef<IUnknown> unknown;
  EXPECT_EQ(driver->QueryInterface(IID_IUnknown, unknown.out()), S_OK);
  EXPECT_EQ(static_cast<void*>(unknown.get()), static_cast<void*>(driver.get()));

  ComRef<asio::IAsio> again;
  EXPECT_EQ(driver->QueryInterface(kDriverClsid, again.out()), S_OK);

  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(driver->QueryInterface(kRandomIid, &p), E_NOINTERFACE);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(driver->QueryInterface(IID_IClassFactory, &p), E_NOINTERFACE);
  EXPECT_EQ(driver->QueryInterface(kRandomIid, nullptr), E_POINTER);

  p = reinterpret_cast<void*>(1);
  EXPECT_EQ(factory->CreateInstance(nullptr, kRandomIid, &p), E_NOINTERFACE);
  EXPECT_EQ(p, nullptr);
}

TEST_F(ClassFactoryTest, AddRefAndReleaseCount) {
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(factory->CreateInstance(nullptr, kDriverClsid, driver.out()), S_OK);
  EXPECT_EQ(driver->AddRef(), 2u);
  EXPECT_EQ(driver->AddRef(), 3u);
  EXPECT_EQ(driver->Release(), 2u);
  EXPECT_EQ(driver->Release(), 1u);
}

TEST(CanUnloadNow, FalseWhileAnObjectOrALockLives) {
  ASSERT_TRUE(driverDll().ok());
  EXPECT_EQ(driverDll().canUnloadNow(), S_OK);
  {
    ComRef<IClassFactory> factory;
    ASSERT_EQ(driverDll().getClassObject(kDriverClsid, IID_IClassFactory, factory.out()), S_OK);
    EXPECT_EQ(driverDll().canUnloadNow(), S_FALSE);  // the factory itself counts

    ComRef<asio::IAsio> driver;
    ASSERT_EQ(factory->CreateInstance(nullptr, kDriverClsid, driver.out()), S_OK);
    factory.reset();
    EXPECT_EQ(driverDll().canUnloadNow(), S_FALSE);  // the driver lives
    driver.reset();
    EXPECT_EQ(driverDll().canUnloadNow(), S_OK);
  }
  {
    ComRef<IClassFactory> factory;
    ASSERT_EQ(driverDll().getClassObject(kDriverClsid, IID_IClassFactory, factory.out()), S_OK);
    EXPECT_EQ(factory->LockServer(TRUE), S_OK);
    factory.reset();
    EXPECT_EQ(driverDll().canUnloadNow(), S_FALSE);  // locked
    ASSERT_EQ(driverDll().getClassObject(kDriverClsid, IID_IClassFactory, factory.out()), S_OK);
    EXPECT_EQ(factory->LockServer(FALSE), S_OK);
    EXPECT_EQ(factory->LockServer(FALSE), S_OK);  // one too many: must not go negative
    factory.reset();
    EXPECT_EQ(driverDll().canUnloadNow(), S_OK);
    ASSERT_EQ(driverDll().getClassObject(kDriverClsid, IID_IClassFactory, factory.out()), S_OK);
    EXPECT_EQ(factory->LockServer(TRUE), S_OK);
    EXPECT_EQ(factory->LockServer(FALSE), S_OK);
    factory.reset();
    EXPECT_EQ(driverDll().canUnloadNow(), S_OK);
  }
}

}  // namespace
}  // namespace a2w
