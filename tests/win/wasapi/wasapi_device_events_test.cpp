// Device events on the fake Core Audio, as Windows sends them and Wine never
// does: endpoints unplugged, disabled, removed and plugged back in, default
// endpoints changing, engine formats changing. The backend registers an
// IMMNotificationClient in open() and unregisters it in close(), reports
// only what concerns the endpoints it has open, from its notifier thread
// (never Windows' thread, never the audio thread), and survives a handler
// that closes or even destroys it from inside the event.
//
// Where a test asserts that something is NOT reported, it then makes
// something that is reported happen, and checks that only that one came:
// the notifier delivers in order, so no waiting for a silence is needed.
#include <gtest/gtest.h>

#include <windows.h>
#include <ks.h>
#include <ksmedia.h>

#include <chrono>

#include "fake_wasapi.h"
#include "test_support.h"
#include "wasapi/wasapi_backend.h"
#include "wasapi/wave_format.h"

namespace a2w::fake {
namespace {

using testing::RecordingHandler;
using testing::waitFor;
using wasapi::WasapiBackend;

FakeEndpointConfig endpoint(const wchar_t* id, const wchar_t* name, EDataFlow flow) {
  return stereoEndpoint(id, name, flow);
}

class DeviceEventsTest : public ::testing::Test {
 protected:
  DeviceEventsTest() {
    speakers_ = std::make_shared<FakeEndpoint>(endpoint(L"{0.0.0.00000000}.{spk}", L"Speakers", eRender));
    headphones_ = std::make_shared<FakeEndpoint>(endpoint(L"{0.0.0.00000000}.{hp}", L"Headphones", eRender));
    microphone_ = std::make_shared<FakeEndpoint>(endpoint(L"{0.0.1.00000000}.{mic}", L"Microphone", eCapture));
    usbMic_ = std::make_shared<FakeEndpoint>(endpoint(L"{0.0.1.00000000}.{usb}", L"USB Mic", eCapture));
    system_ = FakeAudioSystem::create({speakers_, headphones_, microphone_, usbMic_}, 0);
    backend_ = std::make_unique<WasapiBackend>(system_->factory());
    backend_->setEventHandler(&handler_);
  }
  void TearDown() override {
    if (backend_) backend_->close();
    EXPECT_EQ(system_->registeredClients(), 0u);
    for (const auto& v : system_->violations()) ADD_FAILURE() << "fake Core Audio: " << v;
  }
  Status open(const std::string& output, const std::string& input = "none",
              StreamMode mode = StreamMode::ExclusiveEvent) {
    DriverSettings s;
    s.outputDevice = output;
    s.inputDevice = input;
    s.mode = mode;
    DeviceDescription description;
    return backend_->open(s, &description);
  }
  void openAndStart(const std::string& output, const std::string& input = "none") {
    const Status o = open(output, input);
    ASSERT_TRUE(o.ok()) << o.message;
    StreamInfo info;
    const Status p = backend_->prepare({48000, 256, output != "none", input != "none"}, &info);
    ASSERT_TRUE(p.ok()) << p.message;
    ASSERT_TRUE(backend_->start(&stream_).ok());
  }
  // Something that is reported, after something that should not have been.
  void expectOnly(DeviceEvent sentinel, const std::function<void()>& cause) {
    cause();
    ASSERT_TRUE(handler_.waitForEvent(sentinel, 2000));
    EXPECT_EQ(handler_.deviceEvents(), std::vector<DeviceEvent>{sentinel});
  }

  wasapi::ComInit com_;
  std::shared_ptr<FakeEndpoint> speakers_, headphones_, microphone_, usbMic_;
  std::shared_ptr<FakeAudioSystem> system_;
  RecordingHandler handler_;  // the core's place: setEventHandler
  RecordingHandler stream_;   // what start() is given
  std::unique_ptr<WasapiBackend> backend_;
};

TEST_F(DeviceEventsTest, TheClientIsRegisteredFromOpenToClose) {
  EXPECT_EQ(system_->registeredClients(), 0u);
  ASSERT_TRUE(open("Speakers").ok());
  EXPECT_EQ(system_->registeredClients(), 1u);
  EXPECT_TRUE(backend_->watchingDevices());
  ASSERT_TRUE(open("Headphones").ok());  // reopening replaces it
  EXPECT_EQ(system_->registeredClients(), 1u);
  backend_->close();
  EXPECT_EQ(system_->registeredClients(), 0u);
  EXPECT_FALSE(backend_->watchingDevices());
}

TEST_F(DeviceEventsTest, UnpluggedMidStreamIsLostAndEverythingReturnsPromptly) {
  openAndStart("Speakers");
  ASSERT_TRUE(speakers_->consumePeriod());
  ASSERT_TRUE(speakers_->consumePeriod());
  system_->setState(speakers_, DEVICE_STATE_UNPLUGGED);
  // The notification, not the watchdog (a second): at once.
  ASSERT_TRUE(handler_.waitForEvent(DeviceEvent::Lost, 500));
  EXPECT_TRUE(stream_.deviceEvents().empty());  // the event handler has it, not the stream's
  // From the notifier thread: neither the test's, nor the audio thread.
  const auto events = handler_.eventThreads();
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events[0], GetCurrentThreadId());
  EXPECT_NE(events[0], stream_.periodThreads().at(0));
  const auto t0 = std::chrono::steady_clock::now();
  backend_->stop();
  backend_->unprepare();
  backend_->close();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));
}

TEST_F(DeviceEventsTest, DisabledAndRemovedAreLostToo) {
  ASSERT_TRUE(open("Speakers").ok());
  system_->setState(speakers_, DEVICE_STATE_DISABLED);
  ASSERT_TRUE(handler_.waitForEvent(DeviceEvent::Lost, 2000));
  backend_->close();
  system_->setState(speakers_, DEVICE_STATE_ACTIVE);
  RecordingHandler again;
  backend_->setEventHandler(&again);
  ASSERT_TRUE(open("Speakers").ok());
  system_->remove(speakers_);
  EXPECT_TRUE(again.waitForEvent(DeviceEvent::Lost, 2000));
  backend_->close();
  backend_->setEventHandler(nullptr);
}

TEST_F(DeviceEventsTest, AnotherEndpointGoingAwayIsNotOurs) {
  openAndStart("Speakers", "Microphone");
  expectOnly(DeviceEvent::Lost, [&] {
    system_->setState(headphones_, DEVICE_STATE_UNPLUGGED);
    system_->setState(usbMic_, DEVICE_STATE_DISABLED);
    system_->setState(microphone_, DEVICE_STATE_UNPLUGGED);  // ours: the input in use
  });
}

TEST_F(DeviceEventsTest, FollowingTheDefaultADefaultChangeIsReportedEvenWhenNotStreaming) {
  ASSERT_TRUE(open("default").ok());
  expectOnly(DeviceEvent::DefaultChanged, [&] {
    system_->setDefault(speakers_);    // already the default: nothing moved
    system_->setDefault(headphones_);  // one per role; only the console role counts
  });
}

TEST_F(DeviceEventsTest, ANamedEndpointIgnoresDefaultChanges) {
  ASSERT_TRUE(open("Speakers").ok());
  expectOnly(DeviceEvent::Lost, [&] {
    system_->setDefault(headphones_);
    system_->setState(speakers_, DEVICE_STATE_UNPLUGGED);
  });
}

TEST_F(DeviceEventsTest, TheInputFollowsTheCaptureDefaultOnly) {
  ASSERT_TRUE(open("Speakers", "default").ok());
  expectOnly(DeviceEvent::DefaultChanged, [&] { system_->setDefault(usbMic_); });
}

TEST_F(DeviceEventsTest, LoopbackOfTheDefaultFollowsTheRenderDefault) {
  ASSERT_TRUE(open("none", "loopback:default", StreamMode::SharedEvent).ok());
  expectOnly(DeviceEvent::DefaultChanged, [&] {
    system_->setDefault(usbMic_);      // capture: not what loopback records
    system_->setDefault(headphones_);  // render: it is
  });
}

TEST_F(DeviceEventsTest, AFormatChangeIsReportedAnAnnouncementWithoutChangeIsNot) {
  openAndStart("Speakers");
  ASSERT_TRUE(speakers_->consumePeriod());
  expectOnly(DeviceEvent::FormatChanged, [&] {
    system_->announceFormat(speakers_);  // same format: ignored
    system_->announceFormat(headphones_);
    system_->changeFormat(speakers_, mixFormat(44100, 2, KSAUDIO_SPEAKER_STEREO));
  });
  // The running stream was invalidated by the change: it reports Lost when
  // it next touches the device (the event comes, the host resets once more).
  speakers_->signal();
  EXPECT_TRUE(handler_.waitForEvent(DeviceEvent::Lost, 2000));
  EXPECT_EQ(backend_->lastStreamError(), AUDCLNT_E_DEVICE_INVALIDATED);
}

TEST_F(DeviceEventsTest, AnUnpluggedEndpointIsFoundAgainOnceItIsBack) {
  ASSERT_TRUE(open("Speakers").ok());
  system_->setState(speakers_, DEVICE_STATE_UNPLUGGED);
  ASSERT_TRUE(handler_.waitForEvent(DeviceEvent::Lost, 2000));
  backend_->close();
  const Status gone = open("Speakers");
  EXPECT_FALSE(gone.ok());
  EXPECT_NE(gone.message.find("No output device \"Speakers\". Available: \"Headphones\""), std::string::npos)
      << gone.message;
  system_->setState(speakers_, DEVICE_STATE_ACTIVE);
  const Status back = open("Speakers");
  ASSERT_TRUE(back.ok()) << back.message;
  StreamInfo info;
  ASSERT_TRUE(backend_->prepare({48000, 256, true, false}, &info).ok());
  ASSERT_TRUE(backend_->start(&stream_).ok());
  EXPECT_TRUE(speakers_->consumePeriod());
}

TEST_F(DeviceEventsTest, TheHandlerMayCloseTheBackendFromInsideTheEvent) {
  openAndStart("Speakers");
  ASSERT_TRUE(speakers_->consumePeriod());
  handler_.onDeviceEvent([&] { backend_->close(); });  // a host resetting synchronously
  system_->setState(speakers_, DEVICE_STATE_UNPLUGGED);
  ASSERT_TRUE(waitFor(handler_.deviceEventArrived(), 2000));
  EXPECT_EQ(system_->registeredClients(), 0u);  // unregistered from the notifier thread: fine
  EXPECT_FALSE(backend_->watchingDevices());
  // And it opens again (a new notifier thread, a new client).
  handler_.onDeviceEvent(nullptr);
  system_->setState(speakers_, DEVICE_STATE_ACTIVE);
  ASSERT_TRUE(open("Speakers").ok());
  EXPECT_EQ(system_->registeredClients(), 1u);
}

TEST_F(DeviceEventsTest, TheHandlerMayDestroyTheBackendFromInsideTheEvent) {
  openAndStart("Speakers");
  ASSERT_TRUE(speakers_->consumePeriod());
  HANDLE notifierThread = nullptr;
  handler_.onDeviceEvent([&] {
    // A host that releases the driver in its reset request: the backend
    // goes away on the notifier thread, which must end by itself.
    notifierThread = OpenThread(SYNCHRONIZE, FALSE, GetCurrentThreadId());
    backend_.reset();
  });
  system_->setState(speakers_, DEVICE_STATE_UNPLUGGED);
  ASSERT_TRUE(waitFor(handler_.deviceEventArrived(), 2000));
  ASSERT_NE(notifierThread, nullptr);
  EXPECT_TRUE(waitFor(notifierThread, 2000)) << "the detached notifier thread did not end";
  CloseHandle(notifierThread);
  EXPECT_FALSE(backend_);
  EXPECT_EQ(system_->registeredClients(), 0u);
}

}  // namespace
}  // namespace a2w::fake
