#include "driver/settings_from_env.h"

#include <windows.h>

#include <string>

#include "core/config_file.h"
#include "driver/config_watcher.h"

namespace a2w {
namespace {

std::wstring widen(const char* s) {
  const int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, nullptr, 0);
  if (n <= 1) return {};
  std::wstring w(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s, -1, w.data(), n);
  w.resize(static_cast<std::size_t>(n - 1));
  return w;
}

std::string narrow(const std::wstring& w) {
  if (w.empty()) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
  if (n <= 0) return {};
  std::string s(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), s.data(), n, nullptr, nullptr);
  return s;
}

std::optional<std::string> getVariable(const char* name) {
  const std::wstring wname = widen(name);
  if (wname.empty()) return std::nullopt;
  // The value may change between the size query and the read: retry with
  // the new size until it fits.
  std::wstring value(64, L'\0');
  for (int attempt = 0; attempt < 4; ++attempt) {
    SetLastError(ERROR_SUCCESS);
    const DWORD n = GetEnvironmentVariableW(wname.c_str(), value.data(), static_cast<DWORD>(value.size()));
    if (n == 0) {
      if (GetLastError() == ERROR_ENVVAR_NOT_FOUND) return std::nullopt;
      return std::string{};  // set but empty
    }
    if (n < value.size()) {
      value.resize(n);
      return narrow(value);
    }
    value.resize(n);  // n includes the terminator when the buffer was short
  }
  return std::nullopt;
}

}  // namespace

EnvGetter windowsEnvGetter() { return &getVariable; }

Status readDriverSettings(DriverSettings* settings) { return settingsFromEnv(windowsEnvGetter(), settings); }

InstanceConfig loadInstanceConfig(const std::filesystem::path& file) {
  InstanceConfig config;
  config.file = file;
  if (!file.empty()) {
    config.text = ConfigWatcher::readFile(file);
    if (config.text) {
      config::LoadResult loaded = config::parse(*config.text, file.filename().string());
      config.settings = std::move(loaded.settings);
      config.status = std::move(loaded.status);
      config.warnings = std::move(loaded.warnings);
    }
  }
  // The variables override the file, and are checked even when the file is
  // bad (the file's message wins: it is the one the user just edited).
  Status env = readDriverSettings(&config.settings);
  if (config.status.ok()) config.status = std::move(env);
  return config;
}

}  // namespace a2w
