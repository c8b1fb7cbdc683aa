// The COM object a host gets from CoCreateInstance: asio::IAsio over a
// DriverCore. A thin shim: reference counting, QueryInterface, and each
// IASIO method forwarded one to one, with C++ exceptions stopped at the
// boundary (an exception unwinding into a host's frames would crash it).
//
// On x86 the IASIO methods are plain virtuals, i.e. thiscall, as MSVC hosts
// call them (tests/e2e/x86_thiscall_check.sh checks the built DLL).
#pragma once

#include <windows.h>

#include <atomic>
#include <memory>

#include "asio/iasio.h"
#include "core/audio_backend.h"
#include "core/driver_core.h"
#include "core/driver_settings.h"
#include "core/status.h"
#include "driver/config_watcher.h"
#include "driver/driver_log.h"
#include "driver/instances.h"

namespace a2w {

class AsioDriver final : public asio::IAsio {
 public:
  // The reference count starts at 1, owned by the caller. `configStatus`
  // is how the settings were read: a failure makes init() fail with its
  // message. Touches no device.
  AsioDriver(std::unique_ptr<AudioBackend> backend, DriverSettings settings, Status configStatus,
             DriverIdentity identity = {});
  AsioDriver(const AsioDriver&) = delete;
  AsioDriver& operator=(const AsioDriver&) = delete;

  // IUnknown: answers IID_IUnknown and the driver's CLSID (hosts pass the
  // CLSID as the interface id), nothing else.
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  ULONG STDMETHODCALLTYPE AddRef() override;
  ULONG STDMETHODCALLTYPE Release() override;

  asio::Bool init(void* sysHandle) override;
  void getDriverName(char* name) override;
  std::int32_t getDriverVersion() override;
  void getErrorMessage(char* text) override;
  asio::Error start() override;
  asio::Error stop() override;
  asio::Error getChannels(std::int32_t* inputs, std::int32_t* outputs) override;
  asio::Error getLatencies(std::int32_t* input, std::int32_t* output) override;
  asio::Error getBufferSize(std::int32_t* minSize, std::int32_t* maxSize, std::int32_t* preferredSize,
                            std::int32_t* granularity) override;
  asio::Error canSampleRate(asio::SampleRate rate) override;
  asio::Error getSampleRate(asio::SampleRate* rate) override;
  asio::Error setSampleRate(asio::SampleRate rate) override;
  asio::Error getClockSources(asio::ClockSource* clocks, std::int32_t* count) override;
  asio::Error setClockSource(std::int32_t index) override;
  asio::Error getSamplePosition(asio::Samples* position, asio::TimeStamp* stamp) override;
  asio::Error getChannelInfo(asio::ChannelInfo* info) override;
  asio::Error createBuffers(asio::BufferInfo* infos, std::int32_t count, std::int32_t bufferSize,
                            asio::Callbacks* callbacks) override;
  asio::Error disposeBuffers() override;
  asio::Error controlPanel() override;
  asio::Error future(std::int32_t selector, void* opt) override;
  asio::Error outputReady() override;

  // Named instances: the CLSID QueryInterface answers (default: kDriverClsid).
  void setClsid(const CLSID& clsid) { clsid_ = clsid; }
  // Live reload: the first init() starts watching the settings file
  // (config_watcher.h); Release stops it.
  void watchSettingsOnInit(LiveReloadSetup setup);
  DriverCore& core() { return core_; }

 private:
  ~AsioDriver();  // only Release deletes
  void startWatching();

  std::atomic<ULONG> refs_{1};
  CLSID clsid_;
  DriverLog log_;  // before core_: outlives it (the core's threads may log until it is gone)
  DriverCore core_;
  std::optional<LiveReloadSetup> reloadSetup_;
  std::unique_ptr<ConfigWatcher> watcher_;  // after core_: stopped before the core goes
};

// What the class factory calls: a driver on the WASAPI backend with the
// settings from the environment, queried for `riid`. S_OK, E_NOINTERFACE,
// E_OUTOFMEMORY or E_UNEXPECTED; *ppv is null on failure.
HRESULT createAsioDriver(REFIID riid, void** ppv);

// The same for one instance (instances.h): its settings file (env on top),
// its ASIO name and CLSID; a bad file still gives an object whose init()
// fails with the file's message and whose controlPanel() works.
HRESULT createAsioDriver(const instances::Instance& instance, REFIID riid, void** ppv);

}  // namespace a2w
