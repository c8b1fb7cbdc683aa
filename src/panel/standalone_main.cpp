// asio2wasapi-panel.exe: the settings dialog without a host, for fixing the
// settings file of a driver that no host has loaded (or that fails to load).
//
//   asio2wasapi-panel.exe [--instance NAME] [--config PATH]
//
// Default file: %LOCALAPPDATA%\asio2wasapi\default.toml. Exit status: 0 after
// OK or Cancel, 2 for bad arguments, 3 when the dialog could not be shown.
#include <windows.h>
#include <shellapi.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "panel/panel_dialog.h"

namespace {

struct LocalFreeDeleter {
  void operator()(LPWSTR* p) const { LocalFree(p); }
};

}  // namespace

int WINAPI WinMain(HINSTANCE, HINSTANCE, LPSTR, int) {
  int argc = 0;
  std::unique_ptr<LPWSTR, LocalFreeDeleter> argv(CommandLineToArgvW(GetCommandLineW(), &argc));
  std::wstring instance = L"default";
  std::filesystem::path config;
  for (int i = 1; argv && i < argc; ++i) {
    const std::wstring arg = argv.get()[i];
    if (arg == L"--instance" && i + 1 < argc) {
      instance = argv.get()[++i];
    } else if (arg == L"--config" && i + 1 < argc) {
      config = argv.get()[++i];
    } else {
      std::fprintf(stderr, "usage: asio2wasapi-panel.exe [--instance NAME] [--config PATH]\n");
      return 2;
    }
  }
  a2w::panel::PanelOptions options;
  options.configFile = config.empty() ? a2w::panel::defaultConfigFile(instance) : config;
  if (options.configFile.empty()) {
    std::fprintf(stderr, "asio2wasapi-panel: the LocalAppData folder is unknown; pass --config PATH\n");
    return 2;
  }
  const INT_PTR result = a2w::panel::runPanelDialog(options);
  if (result == -1) {
    std::fprintf(stderr, "asio2wasapi-panel: the dialog could not be shown (error %lu)\n", GetLastError());
    return 3;
  }
  return 0;
}
