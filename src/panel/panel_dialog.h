// The settings dialog (panel.rc): shows the settings file, lets the user
// change it, and on Apply saves it (config::save keeps a .bak) and tells
// whoever opened it.
//
// Threading and ownership: runPanelDialog() is MODAL ON THE CALLING THREAD
// (DialogBoxParamW). The driver calls it from IASIO::controlPanel, i.e. on
// the host's UI thread, owned by the host's active window, as hardware ASIO
// drivers commonly do. Why not a thread of its own: the panel reads the
// driver's live status and asks for a reset through the DriverCore, which
// the host drives from its own thread; staying on that thread needs no
// locking in the core. The dialog's message loop keeps dispatching the
// host's messages (its windows repaint, its timers run) and the audio runs
// on the driver's own thread, so nothing stops while the panel is open;
// only the host's controlPanel() call waits for OK/Cancel.
#pragma once

#include <windows.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/audio_backend.h"
#include "core/driver_settings.h"
#include "panel/panel_model.h"

namespace a2w::panel {

// What the dialog needs from the driver that opened it. The driver
// implements it; the standalone program passes none. Called on the thread
// that runs the dialog.
class PanelHost {
 public:
  virtual ~PanelHost() = default;
  // The endpoints to list (render, then capture).
  virtual std::vector<EndpointInfo> endpoints() = 0;
  // Live status, read when the dialog opens and once a second.
  virtual PanelStatus status() = 0;
  // Apply wrote `settings` to the file: reload them and ask the host for a
  // reset. Returns a sentence for the dialog, e.g. "The host was asked to
  // reset the driver."
  virtual std::string applied(const DriverSettings& settings) = 0;
};

struct PanelOptions {
  std::filesystem::path configFile;  // the file shown and written by Apply
  PanelHost* host = nullptr;         // null: no driver here (standalone program)
  HWND owner = nullptr;              // the owner window, or null
};

// Shows the dialog until OK or Cancel: IDOK, IDCANCEL, or -1 when the
// dialog could not be created (no desktop, resources missing).
INT_PTR runPanelDialog(const PanelOptions& options);

// %LOCALAPPDATA%\asio2wasapi\<instance>.toml; empty if the folder is unknown.
std::filesystem::path defaultConfigFile(std::wstring_view instance = L"default");

// Endpoints from a WasapiBackend of our own (what the standalone program lists).
std::vector<EndpointInfo> systemEndpoints();

}  // namespace a2w::panel
