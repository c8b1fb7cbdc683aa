// A fake Core Audio (WASAPI) for testing the real backend code without a
// sound card: our own COM classes for IMMDeviceEnumerator, IMMDevice,
// IMMDeviceCollection, IPropertyStore, IAudioClient3, IAudioRenderClient and
// IAudioCaptureClient.
//
// It behaves like Windows does in exclusive mode, which Wine cannot show us:
// IsFormatSupported answers from a configured list, Initialize refuses
// unaligned periods with AUDCLNT_E_BUFFER_SIZE_NOT_ALIGNED (GetBufferSize then
// tells the aligned size, and only a freshly activated client can be
// initialised again), the event is signalled when the test says a period
// was consumed, and every byte the backend releases is recorded. Capture
// endpoints (flow eCapture) and loopback clients (AUDCLNT_STREAMFLAGS_LOOPBACK
// on a render endpoint) hand out the packets a test queues, with their flags
// and timestamps, one GetBuffer per packet as WASAPI does.
//
// Faults, as Windows produces them (FakeAudioSystem, FakeEndpoint::failCall,
// setOtherProgram): endpoints unplugged, disabled and plugged back in,
// default endpoints changing, engine formats changing, each announced to
// the registered IMMNotificationClients from a thread of the fake's own;
// clients of an endpoint that went away answer AUDCLNT_E_DEVICE_INVALIDATED
// to every call; any stream call failing with a chosen HRESULT after a
// chosen number of calls; another program holding the device (shared, or
// exclusively).
#pragma once

#include <windows.h>
#include <audioclient.h>
#include <mmdeviceapi.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/device_format.h"
#include "wasapi/wasapi_backend.h"

namespace a2w::fake {

struct FakeFormat {
  DeviceSampleFormat format = DeviceSampleFormat::Float32;
  double rate = 48000;
  int channels = 2;
};

struct FakeEndpointConfig {
  std::wstring id = L"{fake}.speakers";
  std::wstring name = L"Fake Speakers";
  WAVEFORMATEXTENSIBLE mix{};  // set by the constructor helpers below
  REFERENCE_TIME defaultPeriod = 100000;  // 10 ms
  REFERENCE_TIME minimumPeriod = 30000;   // 3 ms
  std::vector<FakeFormat> exclusiveFormats;  // what IsFormatSupported(EXCLUSIVE) accepts
  std::vector<double> sharedRates;           // extra rates shared mode accepts exactly
  std::uint32_t alignmentFrames = 0;         // exclusive buffers must be multiples of this (0: any)
  HRESULT exclusiveRefusal = S_OK;       // every exclusive Initialize fails with this
  HRESULT exclusiveEventRefusal = S_OK;  // exclusive + EVENTCALLBACK fails with this
  HRESULT exclusiveFormatRefusal = S_OK; // IsFormatSupported(EXCLUSIVE) answers this for everything
  HRESULT sharedRefusal = S_OK;          // shared Initialize fails with this
  HRESULT getBufferFailure = S_OK;       // GetBuffer fails with this ...
  std::uint32_t getBufferFailAfter = 0;  // ... after this many successful calls
  HRESULT enginePeriodResult = E_NOTIMPL;  // IAudioClient3 (E_NOTIMPL like Wine)
  REFERENCE_TIME streamLatency = 0;
  EDataFlow flow = eRender;                // eCapture: a capture endpoint
  std::optional<GUID> containerId;           // PKEY_Device_ContainerId, absent unless set
};

// A mix format (WAVEFORMATEXTENSIBLE, float32 unless told) for configs.
WAVEFORMATEXTENSIBLE mixFormat(double rate, int channels, DWORD mask,
                               DeviceSampleFormat format = DeviceSampleFormat::Float32);

// A stereo endpoint mixing float32 at 48 kHz whose exclusive mode takes
// each of `formats` at each of `rates`.
FakeEndpointConfig stereoEndpoint(const wchar_t* id, const wchar_t* name, EDataFlow flow,
                                  std::vector<double> rates = {44100.0, 48000.0},
                                  std::vector<DeviceSampleFormat> formats = {DeviceSampleFormat::Float32});

// The calls a test can make fail (FakeEndpoint::failCall).
enum class FakeCall : std::uint8_t {
  Initialize,
  Start,
  GetCurrentPadding,
  GetBuffer,             // render
  ReleaseBuffer,         // render
  CaptureGetBuffer,
  CaptureReleaseBuffer,
  GetNextPacketSize,
  Count
};
const char* toString(FakeCall call);

// Another program using the endpoint (FakeEndpoint::setOtherProgram).
enum class OtherProgram : std::uint8_t {
  None,
  Shared,     // exclusive Initialize answers AUDCLNT_E_DEVICE_IN_USE
  Exclusive,  // every Initialize does; taking the device invalidates our clients
};

// One endpoint's state, shared by every COM object that belongs to it, and
// the hooks tests use. Thread safe: the backend's audio thread calls in.
class FakeEndpoint {
 public:
  explicit FakeEndpoint(FakeEndpointConfig config) : config_(std::move(config)), mix_(config_.mix) {}
  // Fixed at construction (the mix format may change: mix()).
  const FakeEndpointConfig& config() const { return config_; }
  WAVEFORMATEXTENSIBLE mix() const;

  // --- faults
  // After `after` more successful calls, `call` fails with `hr`, every time,
  // until failCall(call, S_OK) (as an invalidated device keeps failing).
  void failCall(FakeCall call, HRESULT hr, std::uint32_t after = 0);
  HRESULT takeFault(FakeCall call);  // what the fake COM objects ask before each call
  void setOtherProgram(OtherProgram other);
  // The endpoint's state (DEVICE_STATE_*); anything but ACTIVE hides it from
  // the active list and from Activate. Set through FakeAudioSystem, which
  // announces it.
  DWORD state() const;
  void setState(DWORD state);
  // Every client activated so far now answers AUDCLNT_E_DEVICE_INVALIDATED
  // (what Windows does on unplugging, disabling or reformatting).
  void invalidate();
  std::uint32_t generation() const;
  bool invalidatedSince(std::uint32_t generation) const;
  void setMix(const WAVEFORMATEXTENSIBLE& mix);
  int starts() const;  // successful Start calls (the watchdog's restarts show here)
  // Waits until starts() reaches `count`; false on timeout.
  bool waitForStarts(int count, std::chrono::milliseconds timeout);

  struct InitializeCall {
    AUDCLNT_SHAREMODE mode;
    DWORD flags;
    REFERENCE_TIME buffer;
    REFERENCE_TIME period;
    WAVEFORMATEXTENSIBLE format;
    HRESULT result;
    std::uint32_t bufferFrames = 0;  // the buffer it gave (GetBufferSize), when it succeeded
  };
  std::vector<InitializeCall> initializeCalls() const;
  // The buffer of the first successful shared Initialize of the last
  // client pair: the smallest buffer, which the backend probes before it
  // opens the real one with room for the safety margin (render_queue.h).
  std::uint32_t smallestSharedBufferFrames() const;
  std::vector<WAVEFORMATEXTENSIBLE> exclusiveQueries() const;  // every IsFormatSupported(EXCLUSIVE)
  int activations() const;
  std::vector<std::uint8_t> written() const;  // every byte released, silence as zeros
  std::uint64_t releases() const;
  std::uint64_t getBufferCalls() const;
  const BYTE* bufferPointer() const;  // what GetBuffer hands out
  bool started() const;
  std::uint32_t bufferFrames() const;

  // The device consumed a period: padding drops by one period and the event
  // is signalled (event modes); then waits until the backend released a
  // buffer. False when nothing was released within `timeout`.
  bool consumePeriod(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
  // Signal the event without waiting (for failure-path tests).
  void signal();

  // Capture (capture endpoints, and loopback on a render endpoint): queue a
  // packet of `frames` frames (bytes may be empty with the SILENT flag).
  void queuePacket(std::vector<std::uint8_t> bytes, std::uint32_t frames, DWORD flags = 0, UINT64 qpcHns = 0);
  // queuePacket, signal the capture event (if any) and wait until the
  // backend released it. False on timeout.
  bool deliverPacket(std::vector<std::uint8_t> bytes, std::uint32_t frames, DWORD flags = 0, UINT64 qpcHns = 0,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));
  std::uint64_t packetsReleased() const;
  std::size_t packetsQueued() const;
  // Fail capture GetBuffer with this from now on (S_OK: stop failing).
  void failCapture(HRESULT hr);

  // Called by the fake COM objects.
  void onActivate();
  HRESULT onInitialize(AUDCLNT_SHAREMODE mode, DWORD flags, REFERENCE_TIME buffer, REFERENCE_TIME period,
                       const WAVEFORMATEX* format, std::uint32_t* alignedFrames);
  HRESULT onIsFormatSupported(AUDCLNT_SHAREMODE mode, const WAVEFORMATEX* format, WAVEFORMATEX** closest);
  void onSetEvent(HANDLE event);
  void onStart(bool start);
  void onReset();
  std::uint32_t padding() const;
  HRESULT onGetBuffer(std::uint32_t frames, BYTE** data);
  HRESULT onReleaseBuffer(std::uint32_t frames, DWORD flags);
  HRESULT nextPacketFrames(UINT32* frames);
  HRESULT onCaptureGetBuffer(BYTE** data, UINT32* frames, DWORD* flags, UINT64* position, UINT64* qpc);
  HRESULT onCaptureReleaseBuffer(std::uint32_t frames);
  std::uint32_t loopbackBufferFrames() const;

 private:
  HRESULT faultLocked(FakeCall call);  // takeFault with mutex_ held

  FakeEndpointConfig config_;
  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::vector<InitializeCall> calls_;
  std::vector<WAVEFORMATEXTENSIBLE> exclusiveQueries_;
  int activations_ = 0;
  AUDCLNT_SHAREMODE mode_ = AUDCLNT_SHAREMODE_SHARED;
  DWORD flags_ = 0;
  std::uint32_t bufferFrames_ = 0;
  std::uint32_t blockAlign_ = 0;
  std::uint32_t periodFrames_ = 0;
  std::uint32_t padding_ = 0;
  std::uint32_t pendingFrames_ = 0;
  std::vector<BYTE> buffer_;
  std::vector<std::uint8_t> written_;
  WAVEFORMATEXTENSIBLE mix_;
  struct Fault {
    HRESULT hr = S_OK;
    std::uint32_t after = 0;
  };
  Fault faults_[static_cast<int>(FakeCall::Count)];
  OtherProgram other_ = OtherProgram::None;
  DWORD state_ = DEVICE_STATE_ACTIVE;
  std::uint32_t generation_ = 0;
  int starts_ = 0;
  std::uint64_t releases_ = 0;
  std::uint64_t getBufferCalls_ = 0;
  HANDLE event_ = nullptr;
  bool started_ = false;
  struct Packet {
    std::vector<std::uint8_t> bytes;
    std::uint32_t frames = 0;
    DWORD flags = 0;
    UINT64 qpc = 0;
  };
  std::deque<Packet> packets_;
  std::vector<std::uint8_t> captureBuffer_;  // what capture GetBuffer hands out
  bool captureHeld_ = false;
  std::uint64_t captureReleases_ = 0;
  UINT64 capturePosition_ = 0;
  HRESULT captureFailure_ = S_OK;
  std::uint32_t loopbackBufferFrames_ = 0;  // a loopback client's own buffer
};

// The machine's audio system: its endpoints (render and capture ones, told
// apart by config().flow), the default endpoint of each direction, and the
// IMMNotificationClients registered with its enumerators. The changes below
// are what a user does in Windows, each announced to every registered client
// as MMDevAPI does: from a thread of its own, which the call waits for.
// Like Windows, Unregister waits for a notification in progress; called
// from inside one, it would deadlock there: the fake records a violation
// and returns E_FAIL instead (also after waiting 5 s for one).
class FakeAudioSystem : public std::enable_shared_from_this<FakeAudioSystem> {
 public:
  // The default render endpoint is endpoints[defaultRender], the default
  // capture endpoint the first capture one.
  static std::shared_ptr<FakeAudioSystem> create(std::vector<std::shared_ptr<FakeEndpoint>> endpoints,
                                                 std::size_t defaultRender = 0);
  wasapi::EnumeratorFactory factory();

  std::vector<std::shared_ptr<FakeEndpoint>> endpoints() const;
  std::shared_ptr<FakeEndpoint> defaultEndpoint(EDataFlow flow) const;

  // DEVICE_STATE_UNPLUGGED, _DISABLED, _NOTPRESENT (its clients are
  // invalidated) or _ACTIVE again: OnDeviceStateChanged.
  void setState(const std::shared_ptr<FakeEndpoint>& endpoint, DWORD state);
  // Removed from the system altogether: OnDeviceRemoved (it stays not present).
  void remove(const std::shared_ptr<FakeEndpoint>& endpoint);
  // The default console endpoint of its direction: OnDefaultDeviceChanged
  // for each role, as Windows sends it.
  void setDefault(const std::shared_ptr<FakeEndpoint>& endpoint);
  // The engine format changes (the user picked another one in the Sound
  // settings): clients invalidated, OnPropertyValueChanged(DeviceFormat).
  void changeFormat(const std::shared_ptr<FakeEndpoint>& endpoint, const WAVEFORMATEXTENSIBLE& mix);
  // OnPropertyValueChanged(DeviceFormat) with the format as it is (Windows
  // sends such notifications too).
  void announceFormat(const std::shared_ptr<FakeEndpoint>& endpoint);

  HRESULT registerClient(IMMNotificationClient* client);
  HRESULT unregisterClient(IMMNotificationClient* client);
  std::size_t registeredClients() const;
  std::vector<std::string> violations() const;

 private:
  FakeAudioSystem(std::vector<std::shared_ptr<FakeEndpoint>> endpoints, std::size_t defaultRender);
  void notify(const std::function<void(IMMNotificationClient*)>& call);

  mutable std::mutex mutex_;  // everything below but the delivery lock
  std::vector<std::shared_ptr<FakeEndpoint>> endpoints_;
  std::shared_ptr<FakeEndpoint> defaultRender_;
  std::shared_ptr<FakeEndpoint> defaultCapture_;
  std::vector<IMMNotificationClient*> clients_;
  std::vector<std::string> violations_;
  std::timed_mutex delivering_;       // held while notifying
  std::atomic<DWORD> notifier_{0};    // the thread notifying, if any
};

// An enumerator factory over a FakeAudioSystem of these endpoints (see there).
wasapi::EnumeratorFactory fakeEnumeratorFactory(std::vector<std::shared_ptr<FakeEndpoint>> endpoints,
                                                std::size_t defaultIndex = 0);

}  // namespace a2w::fake
