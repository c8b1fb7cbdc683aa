// The IAsio object linked directly, over a stub backend: every call goes
// through the vtable (as a host's would, thiscall on x86), reaches the core,
// and no C++ exception escapes into the caller.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "driver/asio_driver.h"
#include "driver/driver_clsid.h"
#include "driver/module_refs.h"

namespace a2w {
namespace {

// Opens a 2-output, 48 kHz device; optionally throws from open() to stand
// for a backend bug.
class StubBackend final : public AudioBackend {
 public:
  explicit StubBackend(bool throwOnOpen = false, int* opens = nullptr) : throwOnOpen_(throwOnOpen), opens_(opens) {}
  std::vector<EndpointInfo> listEndpoints() override { return {}; }
  Status open(const DriverSettings&, DeviceDescription* d) override {
    if (opens_) ++*opens_;
    if (throwOnOpen_) throw std::runtime_error("backend bug");
    d->render.present = true;
    d->render.endpointName = "Stub";
    d->render.channelNames = {"Front Left", "Front Right"};
    d->sampleRates = {48000};
    d->defaultSampleRate = 48000;
    d->bufferSizes = {BufferSizeOptions{480, 480, 480, 0}};
    return Status::success();
  }
  Status prepare(const StreamRequest&, StreamInfo*) override {
    return Status::failure(asio::err::kNotPresent, "stub");
  }
  Status start(PeriodHandler*) override { return Status::failure(asio::err::kNotPresent, "stub"); }
  void stop() override {}
  void unprepare() override {}
  void close() override {}

 private:
  bool throwOnOpen_;
  int* opens_;
};

// Releases the creation reference.
struct DriverRef {
  explicit DriverRef(AsioDriver* d) : p(d) {}
  ~DriverRef() {
    if (p) p->Release();
  }
  DriverRef(const DriverRef&) = delete;
  DriverRef& operator=(const DriverRef&) = delete;
  asio::IAsio* operator->() const { return p; }
  asio::IAsio* p;
};

TEST(AsioDriverObject, ConstructionTouchesNoDevice) {
  int opens = 0;
  {
    DriverRef driver(new AsioDriver(std::make_unique<StubBackend>(false, &opens), DriverSettings{}, Status::success()));
    char name[32] = {};
    driver->getDriverName(name);
    EXPECT_STREQ(name, kDriverName);
  }
  EXPECT_EQ(opens, 0);
}

TEST(AsioDriverObject, CallsReachTheCore) {
  DriverRef driver(new AsioDriver(std::make_unique<StubBackend>(), DriverSettings{}, Status::success()));
  std::int32_t inputs = -1;
  std::int32_t outputs = -1;
  EXPECT_EQ(driver->getChannels(&inputs, &outputs), asio::err::kInvalidMode);  // before init
  ASSERT_EQ(driver->init(nullptr), asio::kTrue);
  ASSERT_EQ(driver->getChannels(&inputs, &outputs), asio::err::kOk);
  EXPECT_EQ(inputs, 0);
  EXPECT_EQ(outputs, 2);
  asio::SampleRate rate = 0;
  EXPECT_EQ(driver->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 48000);
  EXPECT_EQ(driver->canSampleRate(48000), asio::err::kOk);
  std::int32_t mn = 0, mx = 0, pref = 0, gran = -5;
  EXPECT_EQ(driver->getBufferSize(&mn, &mx, &pref, &gran), asio::err::kOk);
  EXPECT_EQ(pref, 480);
  asio::ChannelInfo info{};
  info.channel = 1;
  info.isInput = asio::kFalse;
  EXPECT_EQ(driver->getChannelInfo(&info), asio::err::kOk);
  EXPECT_EQ(driver->start(), asio::err::kInvalidMode);  // no buffers yet
  EXPECT_EQ(driver->future(0x7fffffff, nullptr) == asio::err::kSuccess, false);
}

TEST(AsioDriverObject, ConfigErrorFailsInitWithItsMessage) {
  DriverRef driver(new AsioDriver(std::make_unique<StubBackend>(), DriverSettings{},
                                  Status::failure(asio::err::kInvalidParameter, "A2W_DITHER=\"x\" is invalid")));
  EXPECT_EQ(driver->init(nullptr), asio::kFalse);
  char text[124] = {};
  driver->getErrorMessage(text);
  EXPECT_STREQ(text, "A2W_DITHER=\"x\" is invalid");
}

TEST(AsioDriverObject, ExceptionsStopAtTheBoundary) {
  DriverRef driver(new AsioDriver(std::make_unique<StubBackend>(true), DriverSettings{}, Status::success()));
  EXPECT_EQ(driver->init(nullptr), asio::kFalse);  // open() threw; the host only sees a failure
}

TEST(AsioDriverObject, ObjectsAreCountedForDllCanUnloadNow) {
  const long before = module::objectCount();
  {
    DriverRef driver(new AsioDriver(std::make_unique<StubBackend>(), DriverSettings{}, Status::success()));
    EXPECT_EQ(module::objectCount(), before + 1);
    EXPECT_FALSE(module::canUnload());
  }
  EXPECT_EQ(module::objectCount(), before);
}

}  // namespace
}  // namespace a2w
