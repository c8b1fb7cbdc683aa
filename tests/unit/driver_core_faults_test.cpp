// The core under faults, on the fake backend's clock: a host whose
// bufferSwitch overruns its period (counted, kOverload to hosts that asked),
// device events in every state (a reset request, and the device reopened at
// the next init so a new default or a returning device is found), and a
// host calling back into the driver from inside bufferSwitch.
#include <string>
#include <vector>

#include "support/driver_core_fixture.h"

namespace a2w::test {
namespace {

// One period of `frames` at `rate`, in the fake clock's nanoseconds.
std::uint64_t periodNs(std::int32_t frames, double rate) {
  return static_cast<std::uint64_t>(static_cast<double>(frames) * 1e9 / rate);
}

// --- overloads

TEST_F(DriverCoreTest, ABufferSwitchThatOverrunsItsPeriodIsAnOverload) {
  auto infos = channels(2, 0);
  runningWith(infos, 256);
  std::size_t late = 1;  // the second switch takes longer than its period
  host.onSwitch = [&](std::int32_t) {
    if (host.switches.size() == late + 1) fake->spendNs(periodNs(256, 48000) + 1'000'000);
  };
  ASSERT_EQ(fake->tick(4), 4);
  EXPECT_EQ(core->stats().overloads, 1u);
  EXPECT_EQ(host.count(asio::msg::kOverload), 1);
  late = 6;  // the seventh switch
  ASSERT_EQ(fake->tick(4), 4);
  EXPECT_EQ(core->stats().overloads, 2u);
}

TEST_F(DriverCoreTest, ASwitchWithinItsPeriodIsNoOverload) {
  auto infos = channels(2, 2);
  runningWith(infos, 256);
  host.onSwitch = [&](std::int32_t) { fake->spendNs(periodNs(256, 48000) - 1000); };
  ASSERT_EQ(fake->tick(8), 8);
  EXPECT_EQ(core->stats().overloads, 0u);
  EXPECT_EQ(host.count(asio::msg::kOverload), 0);
}

TEST_F(DriverCoreTest, OverloadIsCountedButNotSentToAHostThatDidNotAskForIt) {
  host.supportsOverload = false;
  auto infos = channels(2, 0);
  runningWith(infos, 128);
  host.onSwitch = [&](std::int32_t) { fake->spendNs(periodNs(128, 48000) * 2); };
  ASSERT_EQ(fake->tick(3), 3);
  EXPECT_EQ(core->stats().overloads, 3u);
  EXPECT_EQ(host.count(asio::msg::kOverload), 0);
}

TEST_F(DriverCoreTest, OverloadOnTheResampledPathIsMeasuredInDevicePeriods) {
  FakeDeviceConfig config;
  config.renderDeviceSampleRate = 44100;  // host at 48 kHz: the core resamples
  config.renderPeriodFrames = 441;        // 10 ms device periods
  make(config);
  auto infos = channels(2, 0);
  runningWith(infos, 256);
  // 9 ms per switch: within a 10 ms device period when one switch runs in
  // it, over it when two do (0, 1 or 2 run per period at 256 host frames).
  host.onSwitch = [&](std::int32_t) { fake->spendNs(9'000'000); };
  std::uint64_t expected = 0;
  int withTwo = 0;
  for (int p = 0; p < 40; ++p) {
    const std::size_t before = host.switches.size();
    ASSERT_EQ(fake->tick(1), 1);
    if (host.switches.size() - before >= 2) {
      ++expected;
      ++withTwo;
    }
  }
  ASSERT_GT(withTwo, 0);  // the case under test happened
  EXPECT_EQ(core->stats().overloads, expected);
  EXPECT_EQ(static_cast<std::uint64_t>(host.count(asio::msg::kOverload)), expected);
}

// --- device events and reopening

TEST_F(DriverCoreTest, DeviceEventWhileRunningReopensTheDeviceAtTheHostsReset) {
  auto infos = channels(2, 2);
  runningWith(infos);
  ASSERT_EQ(fake->tick(2), 2);
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::DefaultChanged));
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 1);
  // The host's reset: stop, dispose, init (the same object), create, start.
  ASSERT_EQ(core->stop(), asio::err::kOk);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  EXPECT_EQ(log->close, 0);
  initOk();
  EXPECT_EQ(log->close, 1);  // the old device closed ...
  EXPECT_EQ(log->open, 2);   // ... and opened again: the new default endpoint
  ASSERT_EQ(create(infos, 256), asio::err::kOk) << errorText();
  ASSERT_EQ(core->start(), asio::err::kOk);
  EXPECT_EQ(fake->tick(2), 2);
  // Once reopened, a further init keeps the device.
  ASSERT_EQ(core->stop(), asio::err::kOk);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  initOk();
  EXPECT_EQ(log->open, 2);
}

TEST_F(DriverCoreTest, InitWhilePreparedAfterADeviceEventKeepsTheHostsBuffers) {
  auto infos = channels(2, 0);
  initOk();
  ASSERT_EQ(create(infos, 256), asio::err::kOk);
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::Lost));
  initOk();  // buffers exist: nothing is reopened under them
  EXPECT_EQ(log->open, 1);
  EXPECT_EQ(core->state(), DriverState::Prepared);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
  initOk();
  EXPECT_EQ(log->open, 2);
}

TEST_F(DriverCoreTest, DeviceLostWhileOnlyInitialisedIsFoundAgainAtTheNextInit) {
  initOk();
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::Lost));
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 0);  // no buffers, no callbacks to tell
  EXPECT_TRUE(mentions(errorText(), "removed or disabled"));
  // The device is still gone at the next init: it fails and says why ...
  fake->failOpen(Status::failure(asio::err::kNotPresent, "No output device \"USB\"."));
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  EXPECT_EQ(errorText(), "No output device \"USB\".");
  EXPECT_EQ(core->state(), DriverState::Loaded);
  // ... and once it is back, the next init opens it.
  fake->failOpen(std::nullopt);
  initOk();
  EXPECT_EQ(log->open, 3);
  EXPECT_EQ(core->state(), DriverState::Initialised);
}

TEST_F(DriverCoreTest, DeviceEventBeforeInitOnlyCounts) {
  fake->failOpen(Status::failure(asio::err::kNotPresent, "There is no default output device."));
  EXPECT_EQ(core->init(nullptr), asio::kFalse);
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::DefaultChanged));
  EXPECT_EQ(errorText(), "There is no default output device.");  // init's reason stays
  EXPECT_EQ(core->stats().deviceEvents, 1u);
  EXPECT_FALSE(core->stats().resetPending);
  fake->failOpen(std::nullopt);
  initOk();
}

TEST_F(DriverCoreTest, StreamFailureHasItsOwnText) {
  auto infos = channels(2, 0);
  runningWith(infos);
  ASSERT_TRUE(fake->emitDeviceEvent(DeviceEvent::Failed));
  EXPECT_TRUE(mentions(errorText(), "the audio stream failed"));
  EXPECT_EQ(host.count(asio::msg::kResetRequest), 1);
}

// --- the host calling back from inside bufferSwitch

TEST_F(DriverCoreTest, StopFromInsideBufferSwitchStopsAfterThatSwitch) {
  auto infos = channels(2, 2);
  runningWith(infos);
  host.onSwitch = [&](std::int32_t) {
    if (host.switches.size() == 2) {
      EXPECT_EQ(core->stop(), asio::err::kOk);
    }
  };
  EXPECT_EQ(fake->tick(5), 2);  // the fake stops producing once stopped
  EXPECT_EQ(core->state(), DriverState::Prepared);
  host.onSwitch = nullptr;
  ASSERT_EQ(core->start(), asio::err::kOk);
  EXPECT_EQ(fake->tick(2), 2);
}

TEST_F(DriverCoreTest, DisposeOrStartFromInsideBufferSwitchIsRefused) {
  auto infos = channels(2, 2);
  runningWith(infos);
  asio::Error disposed = asio::err::kOk;
  asio::Error restarted = asio::err::kOk;
  std::string disposeText;
  host.onSwitch = [&](std::int32_t) {
    if (host.switches.size() != 1) return;
    disposed = core->disposeBuffers();
    disposeText = errorText();
    ASSERT_EQ(core->stop(), asio::err::kOk);
    restarted = core->start();
  };
  fake->tick(1);
  EXPECT_EQ(disposed, asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(disposeText, "inside bufferSwitch"));
  EXPECT_EQ(restarted, asio::err::kInvalidMode);
  EXPECT_TRUE(mentions(errorText(), "inside bufferSwitch"));
  // Outside the switch both work.
  host.onSwitch = nullptr;
  ASSERT_EQ(core->start(), asio::err::kOk);
  ASSERT_EQ(core->disposeBuffers(), asio::err::kOk);
}

}  // namespace
}  // namespace a2w::test
