#include "driver/driver_log.h"

#include <cstdio>
#include <string>
#include <vector>

#include "core/host_call_log.h"
#include "core/safety_settings.h"
#include "core/vendor_selectors.h"
#include "driver/driver_clsid.h"
#include "driver/wide_text.h"
#include "wasapi/hresult_name.h"
#include "wasapi/wasapi_backend.h"

namespace a2w {
namespace {

std::wstring environmentVariable(const wchar_t* name) {
  std::wstring value(512, L'\0');
  DWORD n = GetEnvironmentVariableW(name, value.data(), static_cast<DWORD>(value.size()));
  if (n >= value.size()) {
    value.resize(n);
    n = GetEnvironmentVariableW(name, value.data(), static_cast<DWORD>(value.size()));
  }
  if (n == 0 || n >= value.size()) return {};
  value.resize(n);
  return value;
}

std::wstring exePath() {
  std::wstring path(1024, L'\0');
  const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
  path.resize(n < path.size() ? n : 0);
  return path;
}

std::string nameHresult(std::uint32_t hr) { return wasapi::hresultName(static_cast<HRESULT>(hr)); }

std::string pointerText(const void* p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%p", p);
  return buffer;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

bool succeeded(asio::Error e) { return e == asio::err::kOk || e == asio::err::kSuccess; }

constexpr const char* kBits = sizeof(void*) == 8 ? "x64" : "x86";

}  // namespace

std::string logValue(const std::int32_t* value) { return value ? std::to_string(*value) : "null"; }
std::string logValue(const double* value) { return value ? number(*value) : "null"; }
std::string logValue(const asio::SampleType* value) {
  return value ? std::to_string(static_cast<std::int32_t>(*value)) : "null";
}

std::filesystem::path logFilePath(const DriverSettings& settings, std::wstring_view instance) {
  if (!settings.logFile.empty()) return std::filesystem::path(widen(settings.logFile));
  std::wstring base = environmentVariable(L"LOCALAPPDATA");
  if (base.empty()) {
    wchar_t temp[MAX_PATH + 1] = {};
    const DWORD n = GetTempPathW(MAX_PATH + 1, temp);
    if (n == 0 || n > MAX_PATH) return {};
    base.assign(temp, n);
  }
  std::filesystem::path file = std::filesystem::path(base) / L"asio2wasapi";
  file /= std::wstring(instance.empty() ? std::wstring_view(L"default") : instance) + L".log";
  return file;
}

DriverLog::DriverLog(const DriverSettings& settings, std::wstring_view instance) {
  if (settings.logLevel == LogLevel::Off) return;
  try {
    log::setHresultNamer(&nameHresult);
    log::Logger::Options options;
    options.level = settings.logLevel;
    options.file = logFilePath(settings, instance);
    options.header = std::string(kDriverName) + " (" + kBits + ") in " + narrow(exePath()) + ", process " +
                     std::to_string(GetCurrentProcessId()) + "; instance " + narrow(instance) + ", log level " +
                     std::string(toString(settings.logLevel));
    session_ = std::make_unique<log::Session>(options);
    log::info(log::Tag::Config,
              "settings: output " + settings.outputDevice + ", input " + settings.inputDevice + ", mode " +
                  std::string(toString(settings.mode)) + ", buffer " +
                  (settings.bufferFrames > 0 ? std::to_string(settings.bufferFrames) + " frames" : "default") +
                  ", sample rate " + (settings.sampleRate > 0 ? number(settings.sampleRate) : "default") +
                  ", dither " + (settings.dither ? "on" : "off") + ", safety " + safety::describe(settings));
  } catch (...) {
    // No log; the driver works without it.
  }
}

DriverLog::~DriverLog() {
  unwatch();
  session_.reset();
}

void DriverLog::watch(DriverCore& core) {
  core_ = &core;
  if (!session_ || poll_ != 0) return;
  try {
    DriverCore* watched = &core;
    poll_ = log::processLogger().addPoll([watched] { return log::glitchLine(watched->stats()); });
  } catch (...) {
    poll_ = 0;
  }
}

void DriverLog::unwatch() {
  if (poll_ != 0) log::processLogger().removePoll(poll_);
  poll_ = 0;
  core_ = nullptr;
}

void DriverLog::configStatus(const Status& status) {
  if (!status.ok()) log::error(log::Tag::Config, "settings: " + status.message);
}

bool DriverLog::wanted(CallKind kind, asio::Error result) const noexcept {
  if (!session_) return false;
  const LogLevel level = kind == CallKind::Query ? LogLevel::Debug : succeeded(result) ? LogLevel::Info : LogLevel::Error;
  return log::enabled(level);
}

std::string DriverLog::errorMessage() const {
  if (!core_) return {};
  char text[asio::kErrorMessageBytes] = {};
  core_->getErrorMessage(text);
  return text;
}

void DriverLog::write(CallKind kind, const char* method, asio::Error result, const std::string& args,
                      const std::string& outputs) {
  const bool ok = succeeded(result);
  const LogLevel level = kind == CallKind::Query ? LogLevel::Debug : ok ? LogLevel::Info : LogLevel::Error;
  log::write(level, log::Tag::Host,
             log::hostCallLine(method, args, log::asioErrorName(result), ok ? outputs : std::string(),
                               ok ? std::string() : errorMessage()));
}

void DriverLog::realtimeCall(const char* method, asio::Error result) noexcept {
  log::realtime(succeeded(result) ? LogLevel::Debug : LogLevel::Warning, log::Tag::Host, "{}() -> {}",
                log::Arg::literal(method), log::Arg::literal(log::asioErrorName(result)));
}

asio::Error DriverLog::everyPeriod(const char* method, asio::Error result, std::atomic<asio::Error>* last) noexcept {
  if (!session_) return result;
  if (last->exchange(result, std::memory_order_relaxed) != result) {
    log::realtime(LogLevel::Debug, log::Tag::Host, "{}() -> {} (logged again when the result changes)",
                  log::Arg::literal(method), log::Arg::literal(log::asioErrorName(result)));
  }
  return result;
}

asio::Bool DriverLog::init(void* sysHandle, asio::Bool result) {
  if (!session_) return result;
  try {
    const LogLevel level = result == asio::kTrue ? LogLevel::Info : LogLevel::Error;
    if (!log::enabled(level)) return result;
    std::string line = "init(sysHandle=" + pointerText(sysHandle) + ") -> " + (result == asio::kTrue ? "true" : "false");
    if (result != asio::kTrue) line += ": " + errorMessage();
    log::write(level, log::Tag::Host, line);
    decisionsLogged_ = 0;  // open() started a new list
    logBackendDecisions();
    if (result == asio::kTrue && core_ && log::enabled(LogLevel::Info)) {
      std::int32_t inputs = 0, outputs = 0, minSize = 0, maxSize = 0, preferred = 0, granularity = 0;
      asio::SampleRate rate = 0;
      core_->getChannels(&inputs, &outputs);
      core_->getSampleRate(&rate);
      core_->getBufferSize(&minSize, &maxSize, &preferred, &granularity);
      log::info(log::Tag::Driver, "device: " + std::to_string(outputs) + " outputs, " + std::to_string(inputs) +
                                      " inputs, " + number(rate) + " Hz; buffer sizes " + std::to_string(minSize) +
                                      ".." + std::to_string(maxSize) + ", preferred " + std::to_string(preferred) +
                                      ", granularity " + std::to_string(granularity));
    }
  } catch (...) {
  }
  return result;
}

asio::Error DriverLog::createBuffers(const asio::BufferInfo* infos, std::int32_t count, std::int32_t bufferSize,
                                     const asio::Callbacks* callbacks, asio::Error result) {
  if (!wanted(CallKind::Lifecycle, result)) return result;
  try {
    write(CallKind::Lifecycle, "createBuffers", result,
          "count=" + std::to_string(count) + ", bufferSize=" + std::to_string(bufferSize) + ", " +
              log::bufferInfosText(infos, count) + ", callbacks=" + (callbacks ? "yes" : "null"),
          {});
    logBackendDecisions();
    if (succeeded(result) && core_) {
      char status[vendor::kStreamStatusBytes] = {};
      if (core_->future(vendor::kGetStreamStatus, status) == asio::err::kSuccess)
        log::info(log::Tag::Driver, std::string("stream: ") + status);
      vendor::LatencyParts parts{};
      parts.structBytes = sizeof parts;
      if (core_->future(vendor::kGetLatencyParts, &parts) == asio::err::kSuccess) {
        log::info(log::Tag::Driver, "latency (frames): " + vendor::latencyPartsText("input", parts.input) + "; " +
                                        vendor::latencyPartsText("output", parts.output));
      }
    }
  } catch (...) {
  }
  return result;
}

asio::Error DriverLog::stopped(asio::Error result) {
  call(CallKind::Lifecycle, "stop", result);
  if (!succeeded(result) || !core_ || log::onRealtimeThread() || !log::enabled(LogLevel::Info)) return result;
  try {
    log::info(log::Tag::Driver, log::runSummaryLine(core_->stats()));
  } catch (...) {
  }
  return result;
}

void DriverLog::logBackendDecisions() {
  if (!core_) return;
  const auto* backend = dynamic_cast<const wasapi::WasapiBackend*>(&core_->backend());
  if (!backend) return;
  const std::vector<std::string> decisions = backend->decisions();
  if (decisions.size() < decisionsLogged_) decisionsLogged_ = 0;
  for (std::size_t i = decisionsLogged_; i < decisions.size(); ++i) log::info(log::Tag::Device, "wasapi: " + decisions[i]);
  decisionsLogged_ = decisions.size();
}

}  // namespace a2w
