// The whole driver engine (DriverCore over WasapiBackend) on the fake Core
// Audio, with a thread-safe host: what a host sees when the device goes away
// and comes back, the default moves, the format changes, the events stop,
// WASAPI calls fail, another program holds the device, the host overruns its
// period, changes the sample rate, calls from other threads, or releases the
// driver while it runs. Every wait is bounded; every run ends with the
// process's threads as they were.
#include <gtest/gtest.h>

#include <windows.h>
#include <ks.h>
#include <ksmedia.h>

#include <chrono>
#include <thread>

#include "core/driver_core.h"
#include "core/vendor_selectors.h"
#include "fake_wasapi.h"
#include "test_host.h"
#include "test_support.h"
#include "wasapi/wasapi_backend.h"

namespace a2w::fake {
namespace {

using testing::errorText;
using testing::TestHost;
using testing::threadCount;
using testing::waitFor;
using wasapi::WasapiBackend;
using Clock = std::chrono::steady_clock;

FakeEndpointConfig endpoint(const wchar_t* id, const wchar_t* name, EDataFlow flow) {
  return stereoEndpoint(id, name, flow, {44100.0, 48000.0, 96000.0}, {DeviceSampleFormat::Float32, DeviceSampleFormat::Int16});
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class CoreOnFakeWasapi : public ::testing::Test {
 protected:
  CoreOnFakeWasapi() {
    speakers_ = std::make_shared<FakeEndpoint>(endpoint(L"{0.0.0.00000000}.{spk}", L"Speakers", eRender));
    headphones_ = std::make_shared<FakeEndpoint>(endpoint(L"{0.0.0.00000000}.{hp}", L"Headphones", eRender));
    microphone_ = std::make_shared<FakeEndpoint>(endpoint(L"{0.0.1.00000000}.{mic}", L"Microphone", eCapture));
    system_ = FakeAudioSystem::create({speakers_, headphones_, microphone_}, 0);
    threadsBefore_ = threadCount();
  }
  void make(const std::string& output, StreamMode mode, const std::string& input = "none") {
    DriverSettings s;
    s.outputDevice = output;
    s.inputDevice = input;
    s.mode = mode;
    auto backend = std::make_unique<WasapiBackend>(system_->factory());
    backend_ = backend.get();
    core_ = std::make_unique<DriverCore>(std::move(backend), s);
  }
  void TearDown() override {
    core_.reset();
    EXPECT_EQ(system_->registeredClients(), 0u);
    for (const auto& v : system_->violations()) ADD_FAILURE() << "fake Core Audio: " << v;
    // Handles are counted by the fault-injection test, where the fake
    // Core Audio (whose locks create handles lazily) goes away too.
    EXPECT_GT(threadsBefore_, 0);
    EXPECT_EQ(threadCount(), threadsBefore_) << "threads left running";
  }
  // The host's reset: stop and dispose, each promptly.
  void stopAndDispose() {
    const auto t0 = Clock::now();
    EXPECT_EQ(core_->stop(), asio::err::kOk);
    EXPECT_EQ(core_->disposeBuffers(), asio::err::kOk);
    EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(500));
  }

  wasapi::ComInit com_;
  std::shared_ptr<FakeEndpoint> speakers_, headphones_, microphone_;
  std::shared_ptr<FakeAudioSystem> system_;
  int threadsBefore_ = 0;
  TestHost host_;
  WasapiBackend* backend_ = nullptr;  // owned by core_
  std::unique_ptr<DriverCore> core_;
  std::string error_;
};

// --- device events through to the host

TEST_F(CoreOnFakeWasapi, UnpluggedWhileRunningAsksForAResetAndTheDeviceIsFoundWhenBack) {
  make("Speakers", StreamMode::ExclusiveEvent);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  ASSERT_TRUE(speakers_->consumePeriod());
  system_->setState(speakers_, DEVICE_STATE_UNPLUGGED);
  ASSERT_TRUE(waitFor(host_.resetRequested(), 1000));
  EXPECT_TRUE(contains(errorText(*core_), "removed or disabled")) << errorText(*core_);
  stopAndDispose();
  // Still unplugged: init (which reopens) fails and says so.
  EXPECT_EQ(core_->init(nullptr), asio::kFalse);
  EXPECT_TRUE(contains(errorText(*core_), "No output device \"Speakers\"")) << errorText(*core_);
  // Plugged back in: the next init finds it, and it plays.
  system_->setState(speakers_, DEVICE_STATE_ACTIVE);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  const std::uint64_t switches = host_.switches();
  ASSERT_TRUE(speakers_->consumePeriod());
  EXPECT_GT(host_.switches(), switches);
}

TEST_F(CoreOnFakeWasapi, FollowingTheDefaultTheResetMovesToTheNewDefault) {
  make("default", StreamMode::ExclusiveEvent);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  ASSERT_TRUE(speakers_->consumePeriod());
  system_->setDefault(headphones_);
  ASSERT_TRUE(waitFor(host_.resetRequested(), 1000));
  EXPECT_TRUE(contains(errorText(*core_), "default audio device changed"));
  stopAndDispose();
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  EXPECT_TRUE(headphones_->started());
  EXPECT_FALSE(speakers_->started());
  EXPECT_TRUE(headphones_->consumePeriod());
}

TEST_F(CoreOnFakeWasapi, AFormatChangeIsAResetAndTheReopenedDeviceOffersTheNewRate) {
  make("Speakers", StreamMode::SharedEvent);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 0, &error_)) << error_;
  double rate = 0;
  ASSERT_EQ(core_->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 48000);
  system_->changeFormat(speakers_, mixFormat(44100, 2, KSAUDIO_SPEAKER_STEREO));
  ASSERT_TRUE(waitFor(host_.resetRequested(), 1000));
  stopAndDispose();
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 0, &error_)) << error_;
  ASSERT_EQ(core_->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 44100);  // the device's new rate is the default now
  EXPECT_TRUE(speakers_->consumePeriod());
}

// --- the watchdog

TEST_F(CoreOnFakeWasapi, AStallIsRestartedThenReportedAndCounted) {
  make("Speakers", StreamMode::ExclusiveEvent);
  backend_->setMinimumStallTimeout(50);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  EXPECT_EQ(backend_->stallTimeoutMs(), 50u);  // 8 periods of 256 frames are 43 ms
  ASSERT_TRUE(speakers_->consumePeriod());
  const int starts = speakers_->starts();
  // No more events: a restart after 50 ms, the report 50 ms later.
  ASSERT_TRUE(waitFor(host_.resetRequested(), 2000));
  EXPECT_TRUE(contains(errorText(*core_), "stopped delivering periods")) << errorText(*core_);
  EXPECT_EQ(backend_->stallRestarts(), 1u);
  EXPECT_EQ(backend_->stalls(), 2u);  // the one restarted, the one reported
  EXPECT_EQ(speakers_->starts(), starts + 1);
  stopAndDispose();
}

TEST_F(CoreOnFakeWasapi, AStallThatTheRestartCuresNeedsNoReset) {
  make("Speakers", StreamMode::ExclusiveEvent);
  backend_->setMinimumStallTimeout(300);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  ASSERT_TRUE(speakers_->consumePeriod());
  const int starts = speakers_->starts();
  ASSERT_TRUE(speakers_->waitForStarts(starts + 1, std::chrono::milliseconds(2000)));  // the restart
  // The device clocks again: periods flow, and nothing is reported.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(speakers_->consumePeriod()) << i;
  EXPECT_EQ(backend_->stallRestarts(), 1u);
  EXPECT_EQ(host_.resetRequests(), 0u);
  stopAndDispose();
}

// --- WASAPI failures

TEST_F(CoreOnFakeWasapi, AFailingGetBufferEndsTheStreamWithAResetRequest) {
  make("Speakers", StreamMode::SharedEvent);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 0, &error_)) << error_;
  // One period goes through first; then the engine takes a period and the
  // next GetBuffer fails. The release that answers the first consumePeriod
  // can be the audio thread's own fill after Start (shared mode writes the
  // room it starts with at once, audio_thread.cpp), so a write begun before
  // the failure may still be released after it: what the second take
  // returns says nothing (under Wine: 2 runs in 300 here, one CI run).
  ASSERT_TRUE(speakers_->consumePeriod());
  speakers_->failCall(FakeCall::GetBuffer, AUDCLNT_E_BUFFER_ERROR);
  (void)speakers_->consumePeriod(std::chrono::milliseconds(0));
  ASSERT_TRUE(waitFor(host_.resetRequested(), 1000));
  EXPECT_TRUE(contains(errorText(*core_), "the audio stream failed")) << errorText(*core_);
  EXPECT_EQ(backend_->lastStreamError(), AUDCLNT_E_BUFFER_ERROR);
  // The stream has ended: the engine takes another period and gets nothing.
  EXPECT_FALSE(speakers_->consumePeriod(std::chrono::milliseconds(200)));
  stopAndDispose();
  speakers_->failCall(FakeCall::GetBuffer, S_OK);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 0, &error_)) << error_;
}

TEST_F(CoreOnFakeWasapi, AFailingStartIsAnErrorFromStartAndLeavesNothingRunning) {
  make("Speakers", StreamMode::ExclusiveEvent);
  ASSERT_TRUE(host_.initAndCreate(*core_, 2, 0, 256, &error_)) << error_;
  speakers_->failCall(FakeCall::Start, AUDCLNT_E_DEVICE_INVALIDATED);
  EXPECT_EQ(core_->start(), asio::err::kHardwareMalfunction);
  const std::string text = errorText(*core_);
  EXPECT_TRUE(contains(text, "removed or disabled")) << text;  // the advice comes first
  EXPECT_EQ(core_->state(), DriverState::Prepared);
  EXPECT_FALSE(speakers_->started());
  EXPECT_EQ(core_->disposeBuffers(), asio::err::kOk);
}

TEST_F(CoreOnFakeWasapi, DeviceInUseExplicitExclusiveSaysSoAutoFallsBackToShared) {
  speakers_->setOtherProgram(OtherProgram::Shared);
  make("Speakers", StreamMode::ExclusiveEvent);
  EXPECT_FALSE(host_.initAndCreate(*core_, 2, 0, 256, &error_));
  EXPECT_TRUE(contains(error_, "in use by another program")) << error_;
  core_.reset();
  make("Speakers", StreamMode::Auto);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 0, &error_)) << error_;
  char status[vendor::kStreamStatusBytes] = {};
  ASSERT_EQ(core_->future(vendor::kGetStreamStatus, status), asio::err::kSuccess);
  EXPECT_TRUE(contains(status, "shared-event")) << status;
}

TEST_F(CoreOnFakeWasapi, AnotherProgramTakingTheDeviceExclusivelyIsLostThenExplained) {
  make("Speakers", StreamMode::Auto);
  speakers_->setOtherProgram(OtherProgram::Shared);  // auto settles on shared
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 0, &error_)) << error_;
  speakers_->setOtherProgram(OtherProgram::Exclusive);  // and takes it: our stream is invalidated
  speakers_->signal();
  ASSERT_TRUE(waitFor(host_.resetRequested(), 1000));
  stopAndDispose();
  EXPECT_EQ(core_->init(nullptr), asio::kFalse);
  EXPECT_TRUE(contains(errorText(*core_), "Another program holds the device exclusively")) << errorText(*core_);
}

// --- host misbehaviour

TEST_F(CoreOnFakeWasapi, ASwitchThatOverrunsItsPeriodIsReportedAsOverload) {
  make("Speakers", StreamMode::ExclusiveEvent);
  host_.onSwitch = [&](std::int32_t) {
    if (host_.switches() == 1) Sleep(30);  // a host busy far longer than a 5 ms period
  };
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(speakers_->consumePeriod()) << i;
  EXPECT_GE(core_->stats().overloads, 1u);
  EXPECT_EQ(host_.overloads(), core_->stats().overloads);
  stopAndDispose();
}

TEST_F(CoreOnFakeWasapi, StopFromInsideBufferSwitchDoesNotDeadlock) {
  make("Speakers", StreamMode::ExclusiveEvent);
  std::atomic<int> stopped{-1};
  host_.onSwitch = [&](std::int32_t) {
    if (host_.switches() == 1) stopped = core_->stop();
  };
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  ASSERT_TRUE(speakers_->consumePeriod());
  ASSERT_TRUE(speakers_->consumePeriod());
  EXPECT_EQ(stopped.load(), asio::err::kOk);
  EXPECT_EQ(core_->state(), DriverState::Prepared);
  EXPECT_FALSE(speakers_->consumePeriod(std::chrono::milliseconds(100)));  // nothing after it
  host_.onSwitch = nullptr;
  ASSERT_EQ(core_->start(), asio::err::kOk);  // joins the old audio thread first
  EXPECT_TRUE(speakers_->consumePeriod());
  stopAndDispose();
}

TEST_F(CoreOnFakeWasapi, EveryCallFromAnotherThread) {
  make("Speakers", StreamMode::ExclusiveEvent);
  const auto on = [](auto call) {
    std::thread t([&] {
      wasapi::ComInit com;  // hosts call from STA and MTA threads alike
      call();
    });
    t.join();
  };
  on([&] { ASSERT_TRUE(host_.initAndCreate(*core_, 2, 0, 256, &error_)) << error_; });
  on([&] { ASSERT_EQ(core_->start(), asio::err::kOk); });
  ASSERT_TRUE(speakers_->consumePeriod());
  on([&] { ASSERT_EQ(core_->stop(), asio::err::kOk); });
  on([&] { ASSERT_EQ(core_->disposeBuffers(), asio::err::kOk); });
  on([&] { core_.reset(); });
}

TEST_F(CoreOnFakeWasapi, ReleasedWhileRunningStopsPromptly) {
  make("Speakers", StreamMode::ExclusiveEvent);
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  ASSERT_TRUE(speakers_->consumePeriod());
  const auto t0 = Clock::now();
  core_.reset();  // what Release does: the core stops, disposes and closes
  EXPECT_LT(Clock::now() - t0, std::chrono::milliseconds(500));
  EXPECT_FALSE(speakers_->started());
}

TEST_F(CoreOnFakeWasapi, TheHostMayResetSynchronouslyInsideTheResetRequest) {
  make("default", StreamMode::ExclusiveEvent);
  std::string inside;
  host_.onResetRequest = [&] {
    // On the driver's notifier thread: the whole reset, right here.
    if (core_->stop() != asio::err::kOk || core_->disposeBuffers() != asio::err::kOk) inside = "stop/dispose failed";
    else if (!host_.initCreateAndStart(*core_, 2, 0, 256, &inside)) inside = "restart failed: " + inside;
    else inside = "ok";
  };
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  ASSERT_TRUE(speakers_->consumePeriod());
  system_->setDefault(headphones_);
  ASSERT_TRUE(waitFor(host_.resetRequested(), 2000));
  EXPECT_EQ(inside, "ok");
  EXPECT_TRUE(headphones_->consumePeriod());
  host_.onResetRequest = nullptr;
}

TEST_F(CoreOnFakeWasapi, TheHostMayReleaseTheDriverInsideTheResetRequest) {
  make("Speakers", StreamMode::ExclusiveEvent);
  HANDLE notifierThread = nullptr;
  host_.onResetRequest = [&] {
    notifierThread = OpenThread(SYNCHRONIZE, FALSE, GetCurrentThreadId());
    core_.reset();
  };
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 256, &error_)) << error_;
  ASSERT_TRUE(speakers_->consumePeriod());
  system_->setState(speakers_, DEVICE_STATE_UNPLUGGED);
  ASSERT_TRUE(waitFor(host_.resetRequested(), 2000));
  ASSERT_NE(notifierThread, nullptr);
  EXPECT_TRUE(waitFor(notifierThread, 2000)) << "the notifier thread did not end";
  CloseHandle(notifierThread);
  EXPECT_FALSE(core_);
}

// --- sample rates, in every mode

class RatesInEveryMode : public CoreOnFakeWasapi, public ::testing::WithParamInterface<StreamMode> {};

TEST_P(RatesInEveryMode, SetSampleRateWithBuffersAsksForAResetAndTheNextStreamRunsAtIt) {
  make("Speakers", GetParam());
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 0, &error_)) << error_;
  ASSERT_EQ(core_->setSampleRate(96000), asio::err::kOk);
  ASSERT_TRUE(waitFor(host_.resetRequested(), 0));  // sent from inside setSampleRate
  double rate = 0;
  ASSERT_EQ(core_->getSampleRate(&rate), asio::err::kOk);
  EXPECT_EQ(rate, 96000);
  stopAndDispose();
  ASSERT_TRUE(host_.initCreateAndStart(*core_, 2, 0, 0, &error_)) << error_;
  const auto calls = speakers_->initializeCalls();
  ASSERT_FALSE(calls.empty());
  const DriverStats stats = core_->stats();
  // Exclusive: the device at 96 kHz. Shared: at its mix rate, resampled.
  if (GetParam() == StreamMode::SharedEvent) {
    EXPECT_TRUE(stats.outputResampling);
    EXPECT_EQ(calls.back().format.Format.nSamplesPerSec, 48000u);
  } else {
    EXPECT_EQ(calls.back().format.Format.nSamplesPerSec, 96000u);
  }
  host_.expectSwitches(2);
  for (int i = 0; i < 3; ++i) speakers_->consumePeriod();
  EXPECT_TRUE(waitFor(host_.switchesReached(), 2000));
  stopAndDispose();
}

TEST_P(RatesInEveryMode, CanSampleRateSaysYesExactlyWhenTheRateRuns) {
  make("Speakers", GetParam());
  ASSERT_EQ(core_->init(nullptr), asio::kTrue) << errorText(*core_);
  for (double r : {8000.0, 22050.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0, 192000.0, 384000.0}) {
    const bool offered = core_->canSampleRate(r) == asio::err::kOk;
    const bool set = core_->setSampleRate(r) == asio::err::kOk;
    EXPECT_EQ(offered, set) << r;
    if (!offered) continue;
    std::string why;
    const bool runs = host_.initCreateAndStart(*core_, 2, 0, 0, &why);
    EXPECT_TRUE(runs) << r << " Hz is offered but does not run: " << why;
    if (!runs) continue;
    host_.expectSwitches(1);
    for (int i = 0; i < 2; ++i) speakers_->consumePeriod();
    EXPECT_TRUE(waitFor(host_.switchesReached(), 2000)) << r;
    stopAndDispose();
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, RatesInEveryMode,
                         ::testing::Values(StreamMode::ExclusiveEvent, StreamMode::ExclusivePoll,
                                           StreamMode::SharedEvent),
                         [](const auto& info) {
                           switch (info.param) {
                             case StreamMode::ExclusiveEvent: return std::string("ExclusiveEvent");
                             case StreamMode::ExclusivePoll: return std::string("ExclusivePoll");
                             default: return std::string("SharedEvent");
                           }
                         });

}  // namespace
}  // namespace a2w::fake
