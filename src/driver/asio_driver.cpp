#include "driver/asio_driver.h"

#include <new>
#include <type_traits>
#include <utility>

#include "driver/backend_factory.h"
#include "driver/driver_clsid.h"
#include "driver/driver_panel.h"
#include "driver/module_refs.h"
#include "driver/settings_from_env.h"
#include "driver/wide_text.h"

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
    : clsid_(kDriverClsid),
      log_(settings),
      core_(std::move(backend), std::move(settings), withDefaultName(std::move(identity))) {
  log_.watch(core_);
  log_.configStatus(configStatus);
  if (!configStatus.ok()) core_.setConfigError(std::move(configStatus));
  module::objectCreated();
}

AsioDriver::~AsioDriver() {
  log_.unwatch();
  module::objectDestroyed();
}

HRESULT STDMETHODCALLTYPE AsioDriver::QueryInterface(REFIID riid, void** ppv) {
  if (!ppv) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, clsid_)) {
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

void AsioDriver::watchSettingsOnInit(LiveReloadSetup setup) { reloadSetup_ = std::move(setup); }

void AsioDriver::startWatching() {
  if (watcher_ || !reloadSetup_) return;
  Status status;
  watcher_ = watchSettingsFile(core_, std::move(*reloadSetup_), &status);
  reloadSetup_.reset();  // one attempt: a folder that cannot be watched is not retried
}

asio::Bool AsioDriver::init(void* sysHandle) {
  try {
    startWatching();
  } catch (...) {
    // no live reload; the driver works without it
  }
  return log_.init(sysHandle, guarded([&] { return core_.init(sysHandle); }, asio::kFalse));
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
  return log_.call(DriverLog::CallKind::Lifecycle, "start", guarded([&] { return core_.start(); }));
}

asio::Error AsioDriver::stop() {
  return log_.stopped(guarded([&] { return core_.stop(); }));
}

asio::Error AsioDriver::getChannels(std::int32_t* inputs, std::int32_t* outputs) {
  return log_.call(
      DriverLog::CallKind::Query, "getChannels", guarded([&] { return core_.getChannels(inputs, outputs); }),
      [] { return std::string(); },
      [&] { return "inputs=" + logValue(inputs) + ", outputs=" + logValue(outputs); });
}

asio::Error AsioDriver::getLatencies(std::int32_t* input, std::int32_t* output) {
  return log_.call(
      DriverLog::CallKind::Query, "getLatencies", guarded([&] { return core_.getLatencies(input, output); }),
      [] { return std::string(); }, [&] { return "input=" + logValue(input) + ", output=" + logValue(output); });
}

asio::Error AsioDriver::getBufferSize(std::int32_t* minSize, std::int32_t* maxSize, std::int32_t* preferredSize,
                                      std::int32_t* granularity) {
  return log_.call(
      DriverLog::CallKind::Query, "getBufferSize",
      guarded([&] { return core_.getBufferSize(minSize, maxSize, preferredSize, granularity); }),
      [] { return std::string(); },
      [&] {
        return "min=" + logValue(minSize) + ", max=" + logValue(maxSize) + ", preferred=" + logValue(preferredSize) +
               ", granularity=" + logValue(granularity);
      });
}

asio::Error AsioDriver::canSampleRate(asio::SampleRate rate) {
  return log_.call(
      DriverLog::CallKind::Query, "canSampleRate", guarded([&] { return core_.canSampleRate(rate); }),
      [&] { return logValue(&rate); }, [] { return std::string(); });
}

asio::Error AsioDriver::getSampleRate(asio::SampleRate* rate) {
  return log_.call(
      DriverLog::CallKind::Query, "getSampleRate", guarded([&] { return core_.getSampleRate(rate); }),
      [] { return std::string(); }, [&] { return "rate=" + logValue(rate); });
}

asio::Error AsioDriver::setSampleRate(asio::SampleRate rate) {
  return log_.call(
      DriverLog::CallKind::Lifecycle, "setSampleRate", guarded([&] { return core_.setSampleRate(rate); }),
      [&] { return logValue(&rate); }, [] { return std::string(); });
}

asio::Error AsioDriver::getClockSources(asio::ClockSource* clocks, std::int32_t* count) {
  return log_.call(
      DriverLog::CallKind::Query, "getClockSources", guarded([&] { return core_.getClockSources(clocks, count); }),
      [] { return std::string(); }, [&] { return "count=" + logValue(count); });
}

asio::Error AsioDriver::setClockSource(std::int32_t index) {
  return log_.call(
      DriverLog::CallKind::Lifecycle, "setClockSource", guarded([&] { return core_.setClockSource(index); }),
      [&] { return logValue(&index); }, [] { return std::string(); });
}

asio::Error AsioDriver::getSamplePosition(asio::Samples* position, asio::TimeStamp* stamp) {
  return log_.everyPeriod("getSamplePosition", guarded([&] { return core_.getSamplePosition(position, stamp); }),
                          &log_.lastSamplePosition);
}

asio::Error AsioDriver::getChannelInfo(asio::ChannelInfo* info) {
  return log_.call(
      DriverLog::CallKind::Query, "getChannelInfo", guarded([&] { return core_.getChannelInfo(info); }),
      [&] { return info ? "channel=" + logValue(&info->channel) + ", isInput=" + logValue(&info->isInput) : "null"; },
      [&] { return info ? "type=" + logValue(&info->type) + ", name=" + std::string(info->name) : ""; });
}

asio::Error AsioDriver::createBuffers(asio::BufferInfo* infos, std::int32_t count, std::int32_t bufferSize,
                                      asio::Callbacks* callbacks) {
  return log_.createBuffers(infos, count, bufferSize, callbacks,
                            guarded([&] { return core_.createBuffers(infos, count, bufferSize, callbacks); }));
}

asio::Error AsioDriver::disposeBuffers() {
  return log_.call(DriverLog::CallKind::Lifecycle, "disposeBuffers", guarded([&] { return core_.disposeBuffers(); }));
}

asio::Error AsioDriver::controlPanel() {
  return log_.call(DriverLog::CallKind::Lifecycle, "controlPanel", guarded([&] { return openControlPanel(core_); }));
}

asio::Error AsioDriver::future(std::int32_t selector, void* opt) {
  return log_.call(
      DriverLog::CallKind::Query, "future", guarded([&] { return core_.future(selector, opt); }),
      [&] { return "selector=" + logValue(&selector); }, [] { return std::string(); });
}

asio::Error AsioDriver::outputReady() {
  return log_.everyPeriod("outputReady", guarded([&] { return core_.outputReady(); }), &log_.lastOutputReady);
}

HRESULT createAsioDriver(REFIID riid, void** ppv) { return createAsioDriver(instances::defaultInstance(), riid, ppv); }

HRESULT createAsioDriver(const instances::Instance& instance, REFIID riid, void** ppv) {
  if (!ppv) return E_POINTER;
  *ppv = nullptr;
  AsioDriver* driver = nullptr;
  try {
    InstanceConfig config = loadInstanceConfig(instances::configFileOf(instance.name));
    DriverIdentity identity;
    identity.name = narrow(instance.asioName);
    LiveReloadSetup reload;
    reload.file = config.file;
    reload.current = config.settings;
    reload.currentStatus = config.status;
    reload.currentText = config.text;
    reload.overrides = [](DriverSettings* s) { return readDriverSettings(s); };
    // TODO(logger): config.warnings and config.status.message (with the full path) go to the log.
    driver = new AsioDriver(makeDriverBackend(), std::move(config.settings), std::move(config.status), std::move(identity));
    CLSID clsid{};
    if (SUCCEEDED(CLSIDFromString(instance.clsid.c_str(), &clsid))) driver->setClsid(clsid);
    if (!reload.file.empty()) driver->watchSettingsOnInit(std::move(reload));
  } catch (const std::bad_alloc&) {
    if (driver) driver->Release();
    return E_OUTOFMEMORY;
  } catch (...) {
    if (driver) driver->Release();
    return E_UNEXPECTED;
  }
  // QI takes its own reference; dropping the creation reference leaves the
  // object alive when QI succeeded and destroys it when it failed.
  const HRESULT hr = driver->QueryInterface(riid, ppv);
  driver->Release();
  return hr;
}

}  // namespace a2w
