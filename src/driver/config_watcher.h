// Live reload, the Windows half: a small thread that notices when the
// instance's settings file is saved, and hands the new contents to the
// portable core/config_reload (what to do) and DriverCore (do it).
//
// The thread waits on FindFirstChangeNotificationW for the file's folder
// (names, sizes, write times) and on a stop event. After a change it waits
// until the folder has been quiet for kQuietMs (editors that save twice, or
// write a temporary file and rename it, give one reload), then reads the
// file. Unrelated changes in the folder read the same contents and are
// ignored by ConfigReloader. Every wait includes the stop event, so
// stopping is bounded by one file read.
#pragma once

#include <windows.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/config_reload.h"
#include "core/driver_core.h"
#include "core/driver_settings.h"
#include "core/status.h"

namespace a2w {

class ConfigWatcher {
 public:
  static constexpr DWORD kQuietMs = 150;
  // The file's contents after a settled change (nullopt: no such file).
  using Callback = std::function<void(const std::optional<std::string>& text)>;

  // Creates the folder if needed and starts watching. Null and *status set
  // when the folder cannot be watched.
  static std::unique_ptr<ConfigWatcher> start(const std::filesystem::path& file, Callback onChange, Status* status);

  ~ConfigWatcher();  // stops and joins the thread (not from the callback itself: then it detaches)
  ConfigWatcher(const ConfigWatcher&) = delete;
  ConfigWatcher& operator=(const ConfigWatcher&) = delete;

  // Reads a whole file; nullopt when it does not exist. Retries briefly
  // while another program holds it open for writing.
  static std::optional<std::string> readFile(const std::filesystem::path& file);

  struct Shared;  // the thread's state (config_watcher.cpp)

 private:
  explicit ConfigWatcher(std::shared_ptr<Shared> shared);
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

// What a driver object needs to reload its settings file.
struct LiveReloadSetup {
  std::filesystem::path file;
  DriverSettings current;               // in use (file + overrides)
  Status currentStatus;                 // how they were read (a failure is parked in the core)
  std::optional<std::string> currentText;  // the file's contents then (nullopt: none)
  config::SettingsOverrides overrides;  // the A2W_* variables
  // Where decisions are reported; null: OutputDebugString. (The logger
  // hooks in here.)
  std::function<void(LogLevel, const std::string&)> log;
};

// Watches setup.file for `core`: a valid change -> core.applySettings (a
// reset request to the host); an invalid one -> logged, the stream kept.
// `core` must outlive the watcher.
std::unique_ptr<ConfigWatcher> watchSettingsFile(DriverCore& core, LiveReloadSetup setup, Status* status);

}  // namespace a2w
