// IASIO::controlPanel: the settings dialog (src/panel) over this driver's
// core. Modal on the calling thread (the host's UI thread), owned by the
// host's active window; see src/panel/panel_dialog.h for why. Works before
// init() too, so a user can fix a settings file that makes init fail.
#pragma once

#include <filesystem>

#include "asio/asio_abi.h"
#include "core/driver_core.h"

namespace a2w {

// Shows the dialog until the user closes it. kOk, or kNotPresent when the
// dialog cannot be shown (no desktop); a second call while the dialog is
// open returns kOk at once. `configFile`: the instance's settings file
// (instances::configFileOf); empty = %LOCALAPPDATA%\asio2wasapi\default.toml.
asio::Error openControlPanel(DriverCore& core, const std::filesystem::path& configFile = {});

}  // namespace a2w
