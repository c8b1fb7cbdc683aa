// Settings files under Wine: the driver object reads its instance's file at
// creation (a bad file still gives an object, whose init names the file and
// line); live reload turns a saved change into the host's reset request,
// and the next init opens with the new settings; an invalid save keeps the
// stream. Named instances: two created and initialised side by side in one
// process on two devices, and unregistering removes every instance's keys.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "asio/iasio.h"
#include "core/config_file.h"
#include "driver/asio_driver.h"
#include "driver/driver_clsid.h"
#include "driver/instances.h"
#include "driver/registry_key.h"
#include "driver/settings_from_env.h"
#include "support/fake_backend.h"
#include "win/driver/driver_dll.h"

namespace a2w {
namespace {

namespace fs = std::filesystem;
using test::ComRef;
using test::driverDll;
using test::ScopedCom;
using test::ScopedEnv;

constexpr DWORD kBoundMs = 10000;  // generous: Wine's change notifications are not instant

// A fresh folder under %TEMP%, removed at the end.
class TempFolder {
 public:
  TempFolder() {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = fs::temp_directory_path() / (L"a2w_config_" + std::to_wstring(stamp));
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void writeFile(const fs::path& p, const std::string& text) {
  // Written to a side file and renamed in, as editors and config::save do.
  fs::path side = p;
  side += L".new";
  {
    std::ofstream out(side, std::ios::binary | std::ios::trunc);
    out << text;
  }
  MoveFileExW(side.c_str(), p.c_str(), MOVEFILE_REPLACE_EXISTING);
}

// A manual-reset event handle, closed at the end.
struct Event {
  Event() : h(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}
  ~Event() { CloseHandle(h); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  bool waitFor(DWORD ms) const { return WaitForSingleObject(h, ms) == WAIT_OBJECT_0; }
  HANDLE h;
};

// The host's side of the callbacks: kResetRequest sets an event.
HANDLE g_resetEvent = nullptr;
std::atomic<int> g_resetRequests{0};
void bufferSwitch(std::int32_t, asio::Bool) {}
void rateChanged(asio::SampleRate) {}
std::int32_t asioMessage(std::int32_t selector, std::int32_t value, void*, double*) {
  if (selector == asio::msg::kSelectorSupported) return value == asio::msg::kResetRequest ? 1 : 0;
  if (selector == asio::msg::kResetRequest) {
    ++g_resetRequests;
    SetEvent(g_resetEvent);
    return 1;
  }
  return 0;
}
asio::Time* bufferSwitchTimeInfo(asio::Time* t, std::int32_t, asio::Bool) { return t; }

struct DriverRef {
  explicit DriverRef(AsioDriver* d) : p(d) {}
  ~DriverRef() {
    if (p) p->Release();
  }
  DriverRef(DriverRef&& o) noexcept : p(std::exchange(o.p, nullptr)) {}
  DriverRef(const DriverRef&) = delete;
  DriverRef& operator=(const DriverRef&) = delete;
  AsioDriver* operator->() const { return p; }
  AsioDriver* p;
};

class LiveReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_resetEvent = reset.h;
    g_resetRequests = 0;
    file = folder.path() / L"default.toml";
  }
  void TearDown() override { g_resetEvent = nullptr; }

  // A driver over the fake backend, watching `file` from its first init.
  DriverRef make(const std::string& text) {
    writeFile(file, text);
    config::LoadResult loaded = config::load(file);
    EXPECT_TRUE(loaded.status.ok()) << loaded.status.message;
    auto backend = std::make_unique<test::FakeBackend>();
    backendLog = backend->log();
    DriverRef driver(new AsioDriver(std::move(backend), loaded.settings, loaded.status));
    LiveReloadSetup setup;
    setup.file = file;
    setup.current = loaded.settings;
    setup.currentStatus = loaded.status;
    setup.currentText = text;
    setup.log = [this](LogLevel level, const std::string& line) {
      const std::lock_guard<std::mutex> lock(logMutex);
      logged += line + "\n";
      if (level == LogLevel::Error) SetEvent(refused.h);
    };
    driver->watchSettingsOnInit(std::move(setup));
    return driver;
  }

  void createBuffers(AsioDriver* driver) {
    infos[0] = {asio::kFalse, 0, {nullptr, nullptr}};
    infos[1] = {asio::kFalse, 1, {nullptr, nullptr}};
    callbacks = {bufferSwitch, rateChanged, asioMessage, bufferSwitchTimeInfo};
    ASSERT_EQ(driver->createBuffers(infos, 2, 256, &callbacks), asio::err::kOk);
  }

  std::string log() {
    const std::lock_guard<std::mutex> lock(logMutex);
    return logged;
  }

  TempFolder folder;
  fs::path file;
  Event reset;
  Event refused;
  std::shared_ptr<test::FakeBackendLog> backendLog;
  asio::BufferInfo infos[2]{};
  asio::Callbacks callbacks{};
  std::mutex logMutex;
  std::string logged;
};

TEST_F(LiveReloadTest, SavedChangeSendsResetRequestAndNextInitUsesIt) {
  DriverRef driver = make("buffer_frames = 256\n");
  ASSERT_EQ(driver->init(nullptr), asio::kTrue);
  createBuffers(driver.p);
  ASSERT_EQ(driver->start(), asio::err::kOk);

  writeFile(file, "buffer_frames = 512\n");
  ASSERT_TRUE(reset.waitFor(kBoundMs)) << "no reset request; log:\n" << log();
  EXPECT_EQ(g_resetRequests.load(), 1);
  EXPECT_EQ(driver->core().lastResetReason(), "default.toml changed: buffer_frames");

  // The host resets on the same object.
  ASSERT_EQ(driver->stop(), asio::err::kOk);
  ASSERT_EQ(driver->disposeBuffers(), asio::err::kOk);
  ASSERT_EQ(driver->init(nullptr), asio::kTrue);
  EXPECT_EQ(backendLog->lastSettings.bufferFrames, 512);
  std::int32_t minimum = 0, maximum = 0, preferred = 0, granularity = 0;
  ASSERT_EQ(driver->getBufferSize(&minimum, &maximum, &preferred, &granularity), asio::err::kOk);
  EXPECT_EQ(preferred, 512);
}

// The safety margin goes the way of every setting: a saved change is a
// reset, and the next init hands the backend the new margin.
TEST_F(LiveReloadTest, SafetyChangeSendsResetRequestAndNextInitUsesIt) {
  DriverRef driver = make("mode = \"shared\"\nsafety_max_ms = 50\n");
  ASSERT_EQ(driver->init(nullptr), asio::kTrue);
  EXPECT_EQ(backendLog->lastSettings.safety, SafetyMode::Auto);
  EXPECT_EQ(backendLog->lastSettings.safetyMaxMs, 50);
  createBuffers(driver.p);
  ASSERT_EQ(driver->start(), asio::err::kOk);

  writeFile(file, "mode = \"shared\"\nsafety_ms = 5\n");
  ASSERT_TRUE(reset.waitFor(kBoundMs)) << "no reset request; log:\n" << log();
  EXPECT_EQ(driver->core().lastResetReason(), "default.toml changed: safety, safety_ms, safety_max_ms");
  ASSERT_EQ(driver->stop(), asio::err::kOk);
  ASSERT_EQ(driver->disposeBuffers(), asio::err::kOk);
  ASSERT_EQ(driver->init(nullptr), asio::kTrue);
  EXPECT_EQ(backendLog->lastSettings.safety, SafetyMode::Fixed);
  EXPECT_EQ(backendLog->lastSettings.safetyMs, 5.0);
  EXPECT_EQ(fixedSafetyFrames(backendLog->lastSettings, 48000), 240);
}

TEST_F(LiveReloadTest, InvalidSaveKeepsTheStreamAndSaysWhy) {
  DriverRef driver = make("mode = \"auto\"\n");
  ASSERT_EQ(driver->init(nullptr), asio::kTrue);
  createBuffers(driver.p);
  ASSERT_EQ(driver->start(), asio::err::kOk);

  writeFile(file, "mode = \"turbo\"\n");
  ASSERT_TRUE(refused.waitFor(kBoundMs)) << log();
  EXPECT_NE(log().find("default.toml:1: mode = \"turbo\": expected \"auto\", \"exclusive\" or \"shared\""),
            std::string::npos)
      << log();
  EXPECT_EQ(g_resetRequests.load(), 0);
  EXPECT_EQ(driver->core().state(), DriverState::Running);

  // Fixed: now it is a change again.
  writeFile(file, "mode = \"shared\"\n");
  ASSERT_TRUE(reset.waitFor(kBoundMs)) << log();
  ASSERT_EQ(driver->stop(), asio::err::kOk);
}

TEST_F(LiveReloadTest, ReleaseStopsTheWatcherPromptly) {
  const auto begin = std::chrono::steady_clock::now();
  {
    DriverRef driver = make("");
    ASSERT_EQ(driver->init(nullptr), asio::kTrue);
    writeFile(file, "dither = true\n");  // a change in flight while the driver goes
  }
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(5));
}

// --- through the DLL, as hosts see it --------------------------------------------

class InstancesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(SUCCEEDED(com.result()));
    ASSERT_TRUE(driverDll().ok());
    ASSERT_EQ(driverDll().registerServer(), S_OK);
  }
  void TearDown() override {
    driverDll().unregisterServer();
  }

  std::string errorMessage(asio::IAsio* driver) {
    char text[124] = {};
    driver->getErrorMessage(text);
    return text;
  }

  HRESULT create(const std::wstring& clsidText, ComRef<asio::IAsio>* driver) {
    CLSID clsid{};
    if (FAILED(CLSIDFromString(clsidText.c_str(), &clsid))) return E_INVALIDARG;
    return CoCreateInstance(clsid, nullptr, CLSCTX_INPROC_SERVER, clsid, driver->out());
  }

  ScopedCom com;
  TempFolder folder;
  ScopedEnv configDir{L"A2W_CONFIG_DIR", folder.path().wstring()};
  ScopedEnv output{L"A2W_OUTPUT_DEVICE", std::nullopt};
  ScopedEnv input{L"A2W_INPUT_DEVICE", std::nullopt};
  ScopedEnv mode{L"A2W_MODE", std::nullopt};
  ScopedEnv frames{L"A2W_BUFFER_FRAMES", std::nullopt};
  ScopedEnv safety{L"A2W_SAFETY", std::nullopt};
  ScopedEnv safetyFrames{L"A2W_SAFETY_FRAMES", std::nullopt};
  ScopedEnv safetyMs{L"A2W_SAFETY_MS", std::nullopt};
  ScopedEnv safetyMaxMs{L"A2W_SAFETY_MAX_MS", std::nullopt};
};

TEST_F(InstancesTest, ConfigFolderFollowsTheVariable) {
  EXPECT_EQ(instances::configFileOf(L"default"), folder.path() / L"default.toml");
  EXPECT_EQ(instances::configFileOf(L"HDMI"), folder.path() / L"HDMI.toml");
  ScopedEnv unset(L"A2W_CONFIG_DIR", std::nullopt);
  const fs::path local = instances::configFolder();
  EXPECT_EQ(local.filename(), L"asio2wasapi");
  EXPECT_FALSE(local.parent_path().empty());
}

TEST_F(InstancesTest, BadFileStillCreatesTheDriverAndInitNamesTheLine) {
  writeFile(folder.path() / L"default.toml", "# mine\nmode = \"turbo\"\n");
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(create(kDriverClsidString, &driver), S_OK);
  EXPECT_EQ(driver->init(nullptr), asio::kFalse);
  EXPECT_EQ(errorMessage(driver.get()), "default.toml:2: mode = \"turbo\": expected \"auto\", \"exclusive\" or \"shared\"");
  // The panel opens as for a driver with a good file (the user fixes it there).
  const asio::Error withBadFile = driver->controlPanel();
  driver.reset();
  writeFile(folder.path() / L"default.toml", "mode = \"auto\"\n");
  ComRef<asio::IAsio> good;
  ASSERT_EQ(create(kDriverClsidString, &good), S_OK);
  EXPECT_EQ(withBadFile, good->controlPanel());
}

TEST_F(InstancesTest, EnvironmentOverridesTheFile) {
  writeFile(folder.path() / L"default.toml", "[output]\ndevice = \"NoSuchDevice\"\n");
  ScopedEnv out(L"A2W_OUTPUT_DEVICE", L"default");
  ScopedEnv shared(L"A2W_MODE", L"shared");
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(create(kDriverClsidString, &driver), S_OK);
  EXPECT_EQ(driver->init(nullptr), asio::kTrue) << errorMessage(driver.get());
}

// The safety variables read from the process's environment block, over
// the file, by the file's rule; a disagreement is init's message.
TEST_F(InstancesTest, SafetyFromTheFileAndTheEnvironment) {
  const fs::path file = folder.path() / L"default.toml";
  writeFile(file, "mode = \"shared\"\nsafety_max_ms = 50\n");
  InstanceConfig config = loadInstanceConfig(file);
  ASSERT_TRUE(config.status.ok()) << config.status.message;
  EXPECT_EQ(config.settings.safety, SafetyMode::Auto);
  EXPECT_EQ(config.settings.safetyMaxMs, 50);
  {
    ScopedEnv ms(L"A2W_SAFETY_MS", L"5");
    config = loadInstanceConfig(file);
    ASSERT_TRUE(config.status.ok()) << config.status.message;
    EXPECT_EQ(config.settings.safety, SafetyMode::Fixed);
    EXPECT_EQ(config.settings.safetyMs, 5.0);
  }
  {
    ScopedEnv fixed(L"A2W_SAFETY", L"fixed");
    ComRef<asio::IAsio> driver;
    ASSERT_EQ(create(kDriverClsidString, &driver), S_OK);
    EXPECT_EQ(driver->init(nullptr), asio::kFalse);
    EXPECT_EQ(errorMessage(driver.get()), "A2W_SAFETY=fixed needs A2W_SAFETY_FRAMES or A2W_SAFETY_MS (the margin)");
  }
  writeFile(file, "safety_frames = 240\nsafety_ms = 5\n");
  ComRef<asio::IAsio> driver;
  ASSERT_EQ(create(kDriverClsidString, &driver), S_OK);
  EXPECT_EQ(driver->init(nullptr), asio::kFalse);
  EXPECT_EQ(errorMessage(driver.get()), "default.toml:2: safety_frames and safety_ms are both set; keep only one");
}

TEST_F(InstancesTest, AddListRemove) {
  instances::Instance added;
  std::string error;
  ASSERT_EQ(instances::addInstance(L"Headphones", driverDll().path, &added, &error), S_OK) << error;
  EXPECT_EQ(added.asioName, L"ASIO2WASAPI Headphones");
  EXPECT_NE(added.clsid, kDriverClsidString);
  const auto all = instances::allInstances();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, L"default");
  EXPECT_EQ(all[1].name, L"Headphones");
  // Refusals, with the reason for the user.
  EXPECT_FALSE(SUCCEEDED(instances::addInstance(L"headphones", driverDll().path, nullptr, &error)));
  EXPECT_EQ(error, "an instance \"headphones\" exists already");
  EXPECT_EQ(instances::addInstance(L"a/b", driverDll().path, nullptr, &error), E_INVALIDARG);
  EXPECT_EQ(error, "\"a/b\": use only letters, digits, spaces and - _ . ( )");
  EXPECT_EQ(instances::removeInstance(L"default", &error), E_INVALIDARG);
  EXPECT_EQ(error, "the default instance is removed with regsvr32 /u");
  // Hosts find it in the ASIO list.
  RegistryKey asioKey;
  ASSERT_EQ(RegistryKey::open(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ASIO\\ASIO2WASAPI Headphones", KEY_READ, &asioKey),
            ERROR_SUCCESS);
  std::wstring clsid;
  ASSERT_EQ(asioKey.getString(L"CLSID", &clsid), ERROR_SUCCESS);
  EXPECT_EQ(clsid, added.clsid);
  asioKey.reset();

  ASSERT_EQ(instances::removeInstance(L"HEADPHONES", &error), S_OK) << error;
  EXPECT_EQ(instances::allInstances().size(), 1u);
  EXPECT_EQ(RegistryKey::open(HKEY_LOCAL_MACHINE, L"SOFTWARE\\ASIO\\ASIO2WASAPI Headphones", KEY_READ, &asioKey),
            ERROR_FILE_NOT_FOUND);
  EXPECT_EQ(instances::removeInstance(L"Headphones", &error), HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND));
  EXPECT_EQ(error, "no instance \"Headphones\"");
}

TEST_F(InstancesTest, TwoInstancesSideBySideOnTwoDevices) {
  instances::Instance hdmi;
  std::string error;
  ASSERT_EQ(instances::addInstance(L"HDMI", driverDll().path, &hdmi, &error), S_OK) << error;
  writeFile(folder.path() / L"default.toml", "mode = \"shared\"\n[output]\ndevice = \"Speakers\"\n");
  writeFile(folder.path() / L"HDMI.toml", "mode = \"shared\"\n[output]\ndevice = \"HDMI\"\n");

  ComRef<asio::IAsio> speakers;
  ComRef<asio::IAsio> tv;
  ASSERT_EQ(create(kDriverClsidString, &speakers), S_OK);
  ASSERT_EQ(create(hdmi.clsid, &tv), S_OK);
  ASSERT_EQ(speakers->init(nullptr), asio::kTrue) << errorMessage(speakers.get());
  ASSERT_EQ(tv->init(nullptr), asio::kTrue) << errorMessage(tv.get());
  char name[32] = {};
  tv->getDriverName(name);
  EXPECT_STREQ(name, "ASIO2WASAPI HDMI");
  std::int32_t inputs = 0, outputs = 0;
  ASSERT_EQ(speakers->getChannels(&inputs, &outputs), asio::err::kOk);
  EXPECT_EQ(outputs, 2);  // the world's "Speakers" sink
  ASSERT_EQ(tv->getChannels(&inputs, &outputs), asio::err::kOk);
  EXPECT_EQ(outputs, 8);  // the world's "HDMI" sink
  asio::SampleRate rate = 0;
  ASSERT_EQ(tv->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 44100);
}

TEST_F(InstancesTest, UnregisterRemovesEveryInstance) {
  std::string error;
  instances::Instance a, b;
  ASSERT_EQ(instances::addInstance(L"One", driverDll().path, &a, &error), S_OK) << error;
  ASSERT_EQ(instances::addInstance(L"Two", driverDll().path, &b, &error), S_OK) << error;
  ASSERT_EQ(driverDll().unregisterServer(), S_OK);
  RegistryKey key;
  for (const std::wstring& path :
       {std::wstring(L"SOFTWARE\\ASIO\\ASIO2WASAPI One"), std::wstring(L"SOFTWARE\\ASIO\\ASIO2WASAPI Two"),
        std::wstring(L"SOFTWARE\\ASIO\\ASIO2WASAPI Universal"), L"SOFTWARE\\Classes\\CLSID\\" + a.clsid,
        L"SOFTWARE\\Classes\\CLSID\\" + b.clsid, std::wstring(L"SOFTWARE\\asio2wasapi\\Instances")}) {
    EXPECT_EQ(RegistryKey::open(HKEY_LOCAL_MACHINE, path, KEY_READ, &key), ERROR_FILE_NOT_FOUND) << std::string(path.begin(), path.end());
  }
}

}  // namespace
}  // namespace a2w
