// The driver object's log (see core/log.h for how lines travel): starts the
// process log session when the settings ask for it, writes a header, logs
// each IASIO call with its arguments and result (and the error message on
// failure), the WASAPI backend's decisions and stream description, and --
// from the log writer thread, once a second when they change -- the glitch
// counters of DriverStats.
//
// The log file: DriverSettings::logFile when set, else
// %LOCALAPPDATA%\asio2wasapi\<instance>.log.
#pragma once

#include <windows.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "asio/asio_abi.h"
#include "core/driver_core.h"
#include "core/driver_settings.h"
#include "core/log.h"
#include "core/status.h"

namespace a2w {

// An argument or out-value as the host-call lines show it ("null" for a null pointer).
std::string logValue(const std::int32_t* value);
std::string logValue(const double* value);
std::string logValue(const asio::SampleType* value);

// Where the log of `instance` goes (empty when no folder is known).
std::filesystem::path logFilePath(const DriverSettings& settings, std::wstring_view instance);

class DriverLog {
 public:
  // Host-call logging levels: the lifecycle calls at Info (Error when they
  // fail), queries at Debug.
  enum class CallKind : std::uint8_t { Lifecycle, Query };

  DriverLog(const DriverSettings& settings, std::wstring_view instance = L"default");
  ~DriverLog();
  DriverLog(const DriverLog&) = delete;
  DriverLog& operator=(const DriverLog&) = delete;

  // From the owner's constructor body / destructor: the core whose error
  // messages, backend and counters are logged. unwatch() before the core dies.
  void watch(DriverCore& core);
  void unwatch();

  // "settings: <message>" when the settings could not be read.
  void configStatus(const Status& status);

  // After a host call: logs it and returns `result`. `args` / `outputs` are
  // callables returning the text (only called when the line is written).
  template <typename Args, typename Outputs>
  asio::Error call(CallKind kind, const char* method, asio::Error result, Args&& args, Outputs&& outputs) {
    if (wanted(kind, result)) {
      if (log::onRealtimeThread()) {
        realtimeCall(method, result);
      } else {
        write(kind, method, result, args(), outputs());
      }
    }
    return result;
  }
  asio::Error call(CallKind kind, const char* method, asio::Error result) {
    return call(kind, method, result, none, none);
  }
  asio::Bool init(void* sysHandle, asio::Bool result);
  asio::Error createBuffers(const asio::BufferInfo* infos, std::int32_t count, std::int32_t bufferSize,
                            const asio::Callbacks* callbacks, asio::Error result);
  // After stop: the run's summary (log::runSummaryLine) at Info, unless
  // stop came from the audio thread (a host may stop inside bufferSwitch).
  asio::Error stopped(asio::Error result);
  // The calls hosts make from the audio thread, every period (getSamplePosition,
  // outputReady): logged only when the result differs from the previous
  // call's, through the real-time path.
  asio::Error everyPeriod(const char* method, asio::Error result, std::atomic<asio::Error>* last) noexcept;

  std::atomic<asio::Error> lastSamplePosition{asio::err::kOk};
  std::atomic<asio::Error> lastOutputReady{asio::err::kOk};

 private:
  static std::string none() { return {}; }
  bool wanted(CallKind kind, asio::Error result) const noexcept;
  void write(CallKind kind, const char* method, asio::Error result, const std::string& args,
             const std::string& outputs);
  void realtimeCall(const char* method, asio::Error result) noexcept;
  std::string errorMessage() const;
  void logBackendDecisions();

  std::unique_ptr<log::Session> session_;
  DriverCore* core_ = nullptr;
  log::Logger::PollId poll_ = 0;
  std::size_t decisionsLogged_ = 0;
};

}  // namespace a2w
