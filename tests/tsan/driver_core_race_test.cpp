// DriverCore with its real threads: the fake backend's audio thread runs
// periods back to back (FakeDeviceConfig::threaded) while the host thread
// starts, stops, re-creates buffers and asks everything a host asks while
// running; a poll thread reads stats() as the logger's poll does; a notifier
// thread sends device events; a watcher thread reloads settings as the
// config watcher does. ThreadSanitizer sees every access; the host checks
// that no bufferSwitch comes after stop() returned and that its calls from
// inside bufferSwitch succeed.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/config_reload.h"
#include "core/driver_core.h"
#include "core/vendor_selectors.h"
#include "support/fake_backend.h"
#include "tsan/bounded_wait.h"
#include "tsan/threaded_host.h"

namespace a2w::tsan {
namespace {

using test::FakeBackend;
using test::FakeDeviceConfig;

class Rig {
 public:
  explicit Rig(FakeDeviceConfig config) {
    config.threaded = true;
    config.recordRendered = false;
    auto backend = std::make_unique<FakeBackend>(config);
    fake_ = backend.get();
    log_ = fake_->log();
    core_ = std::make_unique<DriverCore>(std::move(backend), DriverSettings{});
    host_ = std::make_unique<ThreadedHost>(*core_);
  }
  ~Rig() {
    core_.reset();  // stops and joins the audio thread first
    host_.reset();
    EXPECT_TRUE(log_->violations.empty()) << log_->violations.front();
  }
  DriverCore& core() { return *core_; }
  FakeBackend& fake() { return *fake_; }
  ThreadedHost& host() { return *host_; }

  // Every channel, at the preferred size.
  asio::Error create() {
    std::int32_t inputs = 0, outputs = 0, mn = 0, mx = 0, preferred = 0, granularity = 0;
    if (core_->getChannels(&inputs, &outputs) != asio::err::kOk) return asio::err::kInvalidMode;
    if (core_->getBufferSize(&mn, &mx, &preferred, &granularity) != asio::err::kOk) return asio::err::kInvalidMode;
    infos_.clear();
    for (std::int32_t c = 0; c < outputs; ++c) infos_.push_back({asio::kFalse, c, {nullptr, nullptr}});
    for (std::int32_t c = 0; c < inputs; ++c) infos_.push_back({asio::kTrue, c, {nullptr, nullptr}});
    callbacks_ = host_->callbacks();
    return core_->createBuffers(infos_.data(), static_cast<std::int32_t>(infos_.size()), preferred, &callbacks_);
  }
  asio::Error start() {
    host_->running.store(true, std::memory_order_release);
    const asio::Error e = core_->start();
    if (e != asio::err::kOk) host_->running.store(false);
    return e;
  }
  asio::Error stop() {
    const asio::Error e = core_->stop();
    host_->running.store(false, std::memory_order_release);
    return e;
  }
  // What a host asks while it runs, until `switches` more buffers went by.
  bool runFor(std::uint64_t switches) {
    const std::uint64_t target = host_->switches.load() + switches;
    return waitUntil([&] {
      asio::Samples position{};
      asio::TimeStamp stamp{};
      core_->getSamplePosition(&position, &stamp);
      std::int32_t in = 0, out = 0;
      if (core_->getLatencies(&in, &out) != asio::err::kOk) ADD_FAILURE() << "getLatencies while running";
      asio::InternalBufferSamples internal{};
      core_->future(asio::fut::kGetInternalBufferSamples, &internal);
      char status[vendor::kStreamStatusBytes];
      core_->future(vendor::kGetStreamStatus, status);
      core_->outputReady();
      double rate = 0;
      core_->getSampleRate(&rate);
      return host_->switches.load(std::memory_order_acquire) >= target;
    });
  }

 private:
  FakeBackend* fake_ = nullptr;
  std::shared_ptr<test::FakeBackendLog> log_;
  std::unique_ptr<DriverCore> core_;
  std::unique_ptr<ThreadedHost> host_;
  std::vector<asio::BufferInfo> infos_;
  asio::Callbacks callbacks_{};
};

FakeDeviceConfig duplexOnTwoClocks() {
  FakeDeviceConfig c;
  c.outputChannels = 2;
  c.inputChannels = 2;
  c.captureSharesRenderClock = false;  // drift compensation: the resampler and controller run too
  c.captureClockPpm = 150;
  c.capturePacketFrames = 100;
  return c;
}

// Polls stats() as the logger's poll does (any thread), and the error text.
class Poller {
 public:
  explicit Poller(DriverCore& core) : thread_([this, &core] {
    while (!stop_.load(std::memory_order_acquire)) {
      const DriverStats s = core.stats();
      sum_ += s.bufferSwitches + s.inputPackets + static_cast<std::uint64_t>(s.inputFifoFrames);
      char text[asio::kErrorMessageBytes];
      core.getErrorMessage(text);
      (void)core.state();
      polls_.fetch_add(1, std::memory_order_relaxed);
      std::this_thread::yield();
    }
  }) {}
  ~Poller() {
    stop_.store(true, std::memory_order_release);
    thread_.join();
  }
  std::uint64_t polls() const { return polls_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> polls_{0};
  std::uint64_t sum_ = 0;
  std::thread thread_;
};

TEST(DriverCoreRace, HostCallsPollsAndDeviceEventsWhileTheAudioThreadRuns) {
  Rig rig(duplexOnTwoClocks());
  ASSERT_EQ(rig.core().init(nullptr), asio::kTrue);
  ASSERT_EQ(rig.create(), asio::err::kOk);
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> events{0};
  {
    Poller poller(rig.core());
    std::thread notifier([&] {  // the backend's notification thread: an event every 40 buffers
      while (!done.load(std::memory_order_acquire)) {
        const std::uint64_t at = rig.host().switches.load();
        if (!waitUntil([&] { return done.load() || rig.host().switches.load() >= at + 40; })) break;
        if (!done.load()) {
          rig.fake().emitDeviceEvent(DeviceEvent::FormatChanged);
          events.fetch_add(1);
        }
      }
    });
    for (int cycle = 0; cycle < 24; ++cycle) {
      ASSERT_EQ(rig.start(), asio::err::kOk) << "cycle " << cycle;
      ASSERT_TRUE(rig.runFor(30)) << "the audio thread stopped calling back, cycle " << cycle;
      if (cycle % 6 == 3) {  // a rate change while running: the host is asked to reset
        EXPECT_EQ(rig.core().setSampleRate(cycle % 12 == 3 ? 44100 : 48000), asio::err::kOk);
      }
      ASSERT_EQ(rig.stop(), asio::err::kOk);
      if (cycle % 4 == 1) {  // the host resets: new buffers while the poll reads stats
        ASSERT_EQ(rig.core().disposeBuffers(), asio::err::kOk);
        ASSERT_EQ(rig.core().init(nullptr), asio::kTrue);
        ASSERT_EQ(rig.create(), asio::err::kOk);
      }
    }
    done = true;
    notifier.join();
    EXPECT_GT(poller.polls(), 0u);
  }
  ASSERT_EQ(rig.core().disposeBuffers(), asio::err::kOk);
  EXPECT_EQ(rig.host().lateSwitches.load(), 0u);
  EXPECT_EQ(rig.host().badCalls.load(), 0u);
  EXPECT_GE(rig.host().switches.load(), 24u * 30u);
  EXPECT_GT(events.load(), 0u);
  EXPECT_GT(rig.host().resetRequests.load(), 0u);
}

// Live reload: the watcher's thread decides (ConfigReloader) and applies
// (applySettings: the reset request comes on that thread); the host's
// thread resets when asked, as a host does, and keeps running meanwhile.
TEST(DriverCoreRace, SettingsReloadedOnTheWatcherThreadWhileTheHostRuns) {
  Rig rig(duplexOnTwoClocks());
  ASSERT_EQ(rig.core().init(nullptr), asio::kTrue);
  ASSERT_EQ(rig.create(), asio::err::kOk);
  std::atomic<bool> done{false};
  std::atomic<int> hostCycles{0};
  std::atomic<int> applied{0};
  const std::optional<std::string> files[] = {"buffer_frames = 128\n", "mode = \"turbo\"\n",
                                              "buffer_frames = 512\nsample_rate = 44100\n", "# a comment\n",
                                              std::nullopt, "drift_compensation = \"on\"\n"};
  std::thread watcher([&] {
    config::ConfigReloader reloader("default.toml", DriverSettings{}, Status::success(), std::nullopt);
    for (int i = 0; !done.load(std::memory_order_acquire); ++i) {
      const int at = hostCycles.load();
      if (!waitUntil([&] { return done.load() || hostCycles.load() > at; })) break;  // one change per host cycle
      config::ReloadDecision d = reloader.onFileChanged(files[i % std::size(files)]);
      if (d.action == config::ReloadDecision::Action::Apply) {
        rig.core().applySettings(std::move(d.settings), d.message);
        applied.fetch_add(1);
      }
    }
  });
  int resets = 0;
  for (int cycle = 0; cycle < 30; ++cycle) {
    if (rig.host().resetPending.exchange(false)) {  // as a host does: dispose, init (reopens), create
      ++resets;
      ASSERT_EQ(rig.core().disposeBuffers(), asio::err::kOk);
      ASSERT_EQ(rig.core().init(nullptr), asio::kTrue);
      ASSERT_EQ(rig.create(), asio::err::kOk) << rig.core().lastResetReason();
    }
    ASSERT_EQ(rig.start(), asio::err::kOk);
    ASSERT_TRUE(rig.runFor(20)) << "cycle " << cycle;
    (void)rig.core().settings();
    (void)rig.core().lastResetReason();
    (void)rig.core().stats();
    ASSERT_EQ(rig.stop(), asio::err::kOk);
    hostCycles.fetch_add(1);
  }
  done = true;
  watcher.join();
  ASSERT_EQ(rig.core().disposeBuffers(), asio::err::kOk);
  EXPECT_GT(applied.load(), 2);
  EXPECT_GT(resets, 2);
  EXPECT_EQ(rig.host().lateSwitches.load(), 0u);
  EXPECT_EQ(rig.host().badCalls.load(), 0u);
}

}  // namespace
}  // namespace a2w::tsan
