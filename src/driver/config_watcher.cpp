#include "driver/config_watcher.h"

#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

namespace a2w {

// Lives as long as the longer of the watcher and its thread.
struct ConfigWatcher::Shared {
  std::filesystem::path file;
  Callback onChange;
  HANDLE stop = nullptr;
  HANDLE change = INVALID_HANDLE_VALUE;
  ~Shared() {
    if (change != INVALID_HANDLE_VALUE) FindCloseChangeNotification(change);
    if (stop) CloseHandle(stop);
  }
};

namespace {

constexpr DWORD kChangeFilter = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_SIZE;

// The thread: false when it should end (stop event, or a broken handle).
bool waitForChange(const HANDLE handles[2], DWORD timeout, bool* changed) {
  const DWORD w = WaitForMultipleObjects(2, handles, FALSE, timeout);
  *changed = w == WAIT_OBJECT_0 + 1;
  if (w == WAIT_TIMEOUT) return true;
  if (!*changed) return false;  // stop, or a failure
  return FindNextChangeNotification(handles[1]) != FALSE;
}

void run(const std::shared_ptr<ConfigWatcher::Shared>& shared) {
  const HANDLE handles[2] = {shared->stop, shared->change};
  for (;;) {
    bool changed = false;
    if (!waitForChange(handles, INFINITE, &changed)) return;
    if (!changed) continue;
    // Debounce: until the folder stays quiet for kQuietMs.
    do {
      if (!waitForChange(handles, ConfigWatcher::kQuietMs, &changed)) return;
    } while (changed);
    std::optional<std::string> text = ConfigWatcher::readFile(shared->file);
    if (WaitForSingleObject(shared->stop, 0) == WAIT_OBJECT_0) return;
    try {
      shared->onChange(text);
    } catch (...) {
      // a reload must never end the host process
    }
  }
}

}  // namespace

ConfigWatcher::ConfigWatcher(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

std::unique_ptr<ConfigWatcher> ConfigWatcher::start(const std::filesystem::path& file, Callback onChange,
                                                   Status* status) {
  auto failed = [&](const std::string& why) {
    if (status) *status = Status::failure(asio::err::kNotPresent, why);
    return nullptr;
  };
  const std::filesystem::path folder = file.parent_path();
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  auto shared = std::make_shared<Shared>();
  shared->file = file;
  shared->onChange = std::move(onChange);
  shared->stop = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (!shared->stop) return failed("config watcher: no event");
  shared->change = FindFirstChangeNotificationW(folder.c_str(), FALSE, kChangeFilter);
  if (shared->change == INVALID_HANDLE_VALUE) {
    return failed("config watcher: cannot watch the folder (error " + std::to_string(GetLastError()) + ")");
  }
  std::unique_ptr<ConfigWatcher> watcher(new ConfigWatcher(shared));
  watcher->thread_ = std::thread([shared] { run(shared); });
  if (status) *status = Status::success();
  return watcher;
}

ConfigWatcher::~ConfigWatcher() {
  SetEvent(shared_->stop);
  if (!thread_.joinable()) return;
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();  // released from inside the callback: the thread sees stop and ends
  } else {
    thread_.join();
  }
}

std::optional<std::string> ConfigWatcher::readFile(const std::filesystem::path& file) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    const DWORD attributes = GetFileAttributesW(file.c_str());
    if (attributes == INVALID_FILE_ATTRIBUTES) {
      const DWORD error = GetLastError();
      if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND) return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      return text.str();
    }
    Sleep(20);  // an editor still has it open exclusively
  }
  return std::nullopt;
}

std::unique_ptr<ConfigWatcher> watchSettingsFile(DriverCore& core, LiveReloadSetup setup, Status* status) {
  auto log = setup.log ? setup.log : [](LogLevel, const std::string& line) {
    OutputDebugStringA(("asio2wasapi: " + line + "\n").c_str());
  };
  auto reloader = std::make_shared<config::ConfigReloader>(setup.file.filename().string(), setup.current,
                                                           setup.currentStatus, setup.currentText, setup.overrides);
  auto onChange = [&core, reloader, log](const std::optional<std::string>& text) {
    config::ReloadDecision d = reloader->onFileChanged(text);
    for (const std::string& w : d.warnings) log(LogLevel::Warning, w);
    switch (d.action) {
      case config::ReloadDecision::Action::Ignore:
        break;
      case config::ReloadDecision::Action::Keep:
        log(LogLevel::Error, "settings not reloaded, the stream keeps its settings: " + d.message);
        break;
      case config::ReloadDecision::Action::Apply:
        log(LogLevel::Info, "settings reloaded (" + d.message + "); asking the host to reset");
        core.applySettings(std::move(d.settings), d.message);
        break;
    }
  };
  return ConfigWatcher::start(setup.file, std::move(onChange), status);
}

}  // namespace a2w
