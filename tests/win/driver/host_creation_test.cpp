// The driver as a host meets it: registered, created with CoCreateInstance
// (the CLSID as the interface id), initialised against Wine's default
// endpoint; and a bad environment value reported through getErrorMessage.
#include <gtest/gtest.h>

#include <string>

#include "asio/iasio.h"
#include "driver/driver_clsid.h"
#include "win/driver/driver_dll.h"

namespace a2w {
namespace {

using test::ComRef;
using test::driverDll;
using test::ScopedCom;
using test::ScopedEnv;

class HostCreationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(SUCCEEDED(com.result()));
    ASSERT_TRUE(driverDll().ok());
    ASSERT_EQ(driverDll().registerServer(), S_OK);
  }
  void TearDown() override { driverDll().unregisterServer(); }

  HRESULT create(ComRef<asio::IAsio>* driver) {
    return CoCreateInstance(kDriverClsid, nullptr, CLSCTX_INPROC_SERVER, kDriverClsid, driver->out());
  }

  std::string errorMessage(asio::IAsio* driver) {
    char text[124] = {};
    driver->getErrorMessage(text);
    return text;
  }

  ScopedCom com;
  // Whatever the shell running the tests has set must not leak in.
  ScopedEnv output{L"A2W_OUTPUT_DEVICE", std::nullopt};
  ScopedEnv input{L"A2W_INPUT_DEVICE", std::nullopt};
  ScopedEnv frames{L"A2W_BUFFER_FRAMES", std::nullopt};
  ScopedEnv rate{L"A2W_SAMPLE_RATE", std::nullopt};
  ScopedEnv type{L"A2W_SAMPLE_TYPE", std::nullopt};
  ScopedEnv dither{L"A2W_DITHER", std::nullopt};
};

TEST_F(HostCreationTest, CoCreateInstanceGivesTheDriver) {
  ScopedEnv mode(L"A2W_MODE", std::nullopt);
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(create(&driver), S_OK);
  ASSERT_TRUE(driver);
  char name[32] = {};
  driver->getDriverName(name);
  EXPECT_STREQ(name, "ASIO2WASAPI Universal");
}

TEST_F(HostCreationTest, InitInSharedModeOnTheDefaultEndpoint) {
  ScopedEnv mode(L"A2W_MODE", L"shared-event");
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(create(&driver), S_OK);
  ASSERT_EQ(driver->init(nullptr), asio::kTrue) << errorMessage(driver.get());
  std::int32_t inputs = -1;
  std::int32_t outputs = -1;
  ASSERT_EQ(driver->getChannels(&inputs, &outputs), asio::err::kOk);
  EXPECT_EQ(outputs, 2);  // the world's "Speakers" sink
  EXPECT_EQ(inputs, 0);   // A2W_INPUT_DEVICE defaults to none
  asio::SampleRate sampleRate = 0;
  EXPECT_EQ(driver->getSampleRate(&sampleRate), asio::err::kOk);
  EXPECT_GT(sampleRate, 0);
}

TEST_F(HostCreationTest, BadEnvironmentValueFailsInitWithItsName) {
  ScopedEnv mode(L"A2W_MODE", L"turbo");
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(create(&driver), S_OK);  // creation never fails on settings
  EXPECT_EQ(driver->init(nullptr), asio::kFalse);
  const std::string message = errorMessage(driver.get());
  EXPECT_NE(message.find("A2W_MODE"), std::string::npos) << message;
  EXPECT_NE(message.find("shared-event"), std::string::npos) << message;  // says what is expected
  // And the driver stays usable as an object: calls answer, nothing crashes.
  std::int32_t inputs = 0;
  std::int32_t outputs = 0;
  EXPECT_NE(driver->getChannels(&inputs, &outputs), asio::err::kOk);
}

TEST_F(HostCreationTest, BadBufferFramesNamesTheVariable) {
  ScopedEnv mode(L"A2W_MODE", std::nullopt);
  ScopedEnv badFrames(L"A2W_BUFFER_FRAMES", L"7");
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(create(&driver), S_OK);
  EXPECT_EQ(driver->init(nullptr), asio::kFalse);
  EXPECT_NE(errorMessage(driver.get()).find("A2W_BUFFER_FRAMES"), std::string::npos) << errorMessage(driver.get());
}

}  // namespace
}  // namespace a2w
