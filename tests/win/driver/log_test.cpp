// The driver's log, end to end under Wine: A2W_LOG=debug and A2W_LOG_FILE
// enable it, a host's lifecycle runs through the registered DLL, and the file
// then holds every host call with its result (and the error message of a
// failed one), the WASAPI decisions and the stream description.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "asio/iasio.h"
#include "driver/driver_clsid.h"
#include "win/driver/driver_dll.h"

namespace a2w {
namespace {

using test::ComRef;
using test::driverDll;
using test::ScopedCom;
using test::ScopedEnv;

void bufferSwitch(std::int32_t, asio::Bool) {}
void rateChanged(asio::SampleRate) {}
std::int32_t asioMessage(std::int32_t, std::int32_t, void*, double*) { return 0; }
asio::Time* bufferSwitchTimeInfo(asio::Time* t, std::int32_t, asio::Bool) { return t; }

std::filesystem::path tempLogFile() {
  wchar_t dir[MAX_PATH + 1] = {};
  GetTempPathW(MAX_PATH + 1, dir);
  return std::filesystem::path(dir) / (L"a2w-log-test-" + std::to_wstring(GetCurrentProcessId())) / L"driver.log";
}

std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(DriverLogTest, HostCallsResultsAndDecisionsLand) {
  ScopedCom com;
  ASSERT_TRUE(SUCCEEDED(com.result()));
  ASSERT_TRUE(driverDll().ok());
  ASSERT_EQ(driverDll().registerServer(), S_OK);
  const std::filesystem::path file = tempLogFile();
  std::error_code ec;
  std::filesystem::remove_all(file.parent_path(), ec);

  {
    ScopedEnv level(L"A2W_LOG", L"debug");
    ScopedEnv path(L"A2W_LOG_FILE", file.wstring());
    ScopedEnv mode(L"A2W_MODE", L"shared-event");
    ScopedEnv output(L"A2W_OUTPUT_DEVICE", std::nullopt);
    ScopedEnv input(L"A2W_INPUT_DEVICE", std::nullopt);
    ScopedEnv frames(L"A2W_BUFFER_FRAMES", std::nullopt);
    ScopedEnv configDir(L"A2W_CONFIG_DIR", file.parent_path().wstring());  // no user config file

    ComRef<asio::IAsio> driver;
    ASSERT_EQ(CoCreateInstance(kDriverClsid, nullptr, CLSCTX_INPROC_SERVER, kDriverClsid, driver.out()), S_OK);
    EXPECT_EQ(driver->start(), asio::err::kInvalidMode);  // before init: logged with its message
    ASSERT_EQ(driver->init(nullptr), asio::kTrue);
    std::int32_t inputs = 0, outputs = 0;
    ASSERT_EQ(driver->getChannels(&inputs, &outputs), asio::err::kOk);
    std::int32_t minSize = 0, maxSize = 0, preferred = 0, granularity = 0;
    ASSERT_EQ(driver->getBufferSize(&minSize, &maxSize, &preferred, &granularity), asio::err::kOk);
    asio::BufferInfo infos[2] = {{asio::kFalse, 0, {}}, {asio::kFalse, 1, {}}};
    asio::Callbacks callbacks{bufferSwitch, rateChanged, asioMessage, bufferSwitchTimeInfo};
    ASSERT_EQ(driver->createBuffers(infos, 2, preferred, &callbacks), asio::err::kOk);
    ASSERT_EQ(driver->start(), asio::err::kOk);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(driver->stop(), asio::err::kOk);
    EXPECT_EQ(driver->disposeBuffers(), asio::err::kOk);
  }  // the last reference: the log session ends, the file is complete

  const std::string log = readFile(file);
  driverDll().unregisterServer();
  std::filesystem::remove_all(file.parent_path(), ec);
  const auto has = [&](const char* text) { return log.find(text) != std::string::npos; };
  EXPECT_TRUE(has("ASIO2WASAPI Universal (x64) in ")) << log;  // the header
  EXPECT_TRUE(has("ERROR host   start() -> ASE_InvalidMode: ")) << log;
  EXPECT_TRUE(has("INFO  host   init(sysHandle=")) << log;
  EXPECT_TRUE(has(") -> true")) << log;
  EXPECT_TRUE(has("DEBUG host   getChannels() -> ASE_OK (inputs=0, outputs=2)")) << log;
  EXPECT_TRUE(has("getBufferSize() -> ASE_OK (min=")) << log;
  EXPECT_TRUE(has("createBuffers(count=2, bufferSize=")) << log;
  EXPECT_TRUE(has("out 0-1 (2 buffers), callbacks=yes) -> ASE_OK")) << log;
  EXPECT_TRUE(has("INFO  host   start() -> ASE_OK")) << log;
  EXPECT_TRUE(has("INFO  host   stop() -> ASE_OK")) << log;
  EXPECT_TRUE(has("INFO  host   disposeBuffers() -> ASE_OK")) << log;
  EXPECT_TRUE(has("device wasapi: ")) << log;    // WasapiBackend::decisions()
  EXPECT_TRUE(has("driver stream: shared-event")) << log;
  // getLatencies term by term (vendor::LatencyParts); output only here.
  EXPECT_TRUE(has("driver latency (frames): input ")) << log;
  EXPECT_TRUE(has(" + queue 0 + OS 0; output ")) << log;
  EXPECT_TRUE(has("driver run: ")) << log;  // the summary after stop
  EXPECT_TRUE(has("driver device: 2 outputs, 0 inputs")) << log;
  if (GetEnvironmentVariableW(L"A2W_TEST_SHOW_LOG", nullptr, 0) > 0) std::printf("%s", log.c_str());
}

}  // namespace
}  // namespace a2w
