#include "driver/asio_driver.h"

#include <new>
#include <type_traits>
#include <utility>

#include "driver/backend_factory.h"
#include "driver/driver_clsid.h"
#include "driver/module_refs.h"
#include "driver/settings_from_env.h"

namespace a2w {
namespace {

// Runs one forwarded call; any exception becomes an error code. The try
// block also keeps each method a real function that returns to the host
// itself (no tail jump), which the x86 calling-convention check relies on.
template <typename F, typename R = std::invoke_result_t<F&>>
R guarded(F&& call, R onException = asio::err::kHardwareMalfunction) noexcept {
  try {
    return call();
  } catch (...) {
    return onException;
  }
}

DriverIdentity withDefaultName(DriverIdentity identity) {
  if (identity.name.empty()) identity.name = kDriverName;
  return identity;
}

}  // namespace

AsioDriver::AsioDriver(std::unique_ptr<AudioBackend> backend, DriverSettings settings, Status configStatus,
                       DriverIdentity identity)
    : core_(std::move(backend), std::move(settings), withDefaultName(std::move(identity))) {
  if (!configStatus.ok()) core_.setConfigError(std::move(configStatus));
  module::objectCreated();
}

AsioDriver::~AsioDriver() { module::objectDestroyed(); }

HRESULT STDMETHODCALLTYPE AsioDriver::QueryInterface(REFIID riid, void** ppv) {
  if (!ppv) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, kDriverClsid)) {
    *ppv = static_cast<asio::IAsio*>(this);
    AddRef();
    return S_OK;
  }
  *ppv = nullptr;
  return E_NOINTERFACE;
}

ULONG STDMETHODCALLTYPE AsioDriver::AddRef() { return refs_.fetch_add(1) + 1; }

ULONG STDMETHODCALLTYPE AsioDriver::Release() {
  const ULONG left = refs_.fetch_sub(1) - 1;
  if (left == 0) delete this;  // the core stops and closes whatever the host left open
  return left;
}

asio::Bool AsioDriver::init(void* sysHandle) {
  return guarded([&] { return core_.init(sysHandle); }, asio::kFalse);
}

void AsioDriver::getDriverName(char* name) {
  try {
    core_.getDriverName(name);
  } catch (...) {
    if (name) name[0] = '\0';
  }
}

std::int32_t AsioDriver::getDriverVersion() {
  return guarded([&] { return core_.getDriverVersion(); }, 0);
}

void AsioDriver::getErrorMessage(char* text) {
  try {
    core_.getErrorMessage(text);
  } catch (...) {
    if (text) text[0] = '\0';
  }
}

asio::Error AsioDriver::start() {
  return guarded([&] { return core_.start(); });
}

asio::Error AsioDriver::stop() {
  return guarded([&] { return core_.stop(); });
}

asio::Error AsioDriver::getChannels(std::int32_t* inputs, std::int32_t* outputs) {
  return guarded([&] { return core_.getChannels(inputs, outputs); });
}

asio::Error AsioDriver::getLatencies(std::int32_t* input, std::int32_t* output) {
  return guarded([&] { return core_.getLatencies(input, output); });
}

asio::Error AsioDriver::getBufferSize(std::int32_t* minSize, std::int32_t* maxSize, std::int32_t* preferredSize,
                                      std::int32_t* granularity) {
  return guarded([&] { return core_.getBufferSize(minSize, maxSize, preferredSize, granularity); });
}

asio::Error AsioDriver::canSampleRate(asio::SampleRate rate) {
  return guarded([&] { return core_.canSampleRate(rate); });
}

asio::Error AsioDriver::getSampleRate(asio::SampleRate* rate) {
  return guarded([&] { return core_.getSampleRate(rate); });
}

asio::Error AsioDriver::setSampleRate(asio::SampleRate rate) {
  return guarded([&] { return core_.setSampleRate(rate); });
}

asio::Error AsioDriver::getClockSources(asio::ClockSource* clocks, std::int32_t* count) {
  return guarded([&] { return core_.getClockSources(clocks, count); });
}

asio::Error AsioDriver::setClockSource(std::int32_t index) {
  return guarded([&] { return core_.setClockSource(index); });
}

asio::Error AsioDriver::getSamplePosition(asio::Samples* position, asio::TimeStamp* stamp) {
  return guarded([&] { return core_.getSamplePosition(position, stamp); });
}

asio::Error AsioDriver::getChannelInfo(asio::ChannelInfo* info) {
  return guarded([&] { return core_.getChannelInfo(info); });
}

asio::Error AsioDriver::createBuffers(asio::BufferInfo* infos, std::int32_t count, std::int32_t bufferSize,
                                      asio::Callbacks* callbacks) {
  return guarded([&] { return core_.createBuffers(infos, count, bufferSize, callbacks); });
}

asio::Error AsioDriver::disposeBuffers() {
  return guarded([&] { return core_.disposeBuffers(); });
}

asio::Error AsioDriver::controlPanel() {
  return guarded([&] { return core_.controlPanel(); });
}

asio::Error AsioDriver::future(std::int32_t selector, void* opt) {
  return guarded([&] { return core_.future(selector, opt); });
}

asio::Error AsioDriver::outputReady() {
  return guarded([&] { return core_.outputReady(); });
}

HRESULT createAsioDriver(REFIID riid, void** ppv) {
  if (!ppv) return E_POINTER;
  *ppv = nullptr;
  AsioDriver* driver = nullptr;
  try {
    DriverSettings settings;
    Status configStatus = readDriverSettings(&settings);
    DriverIdentity identity;
    identity.name = kDriverName;
    driver = new AsioDriver(makeDriverBackend(), std::move(settings), std::move(configStatus), std::move(identity));
  } catch (const std::bad_alloc&) {
    return E_OUTOFMEMORY;
  } catch (...) {
    return E_UNEXPECTED;
  }
  // QI takes its own reference; dropping the creation reference leaves the
  // object alive when QI succeeded and destroys it when it failed.
  const HRESULT hr = driver->QueryInterface(riid, ppv);
  driver->Release();
  return hr;
}

}  // namespace a2w
