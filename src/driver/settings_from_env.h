// The DLL's settings source until the config file lands: the process
// environment, parsed by the portable core/settings_from_env.
#pragma once

#include "core/driver_settings.h"
#include "core/settings_from_env.h"
#include "core/status.h"

namespace a2w {

// Reads a variable with GetEnvironmentVariableW (the process's own block,
// so SetEnvironmentVariableW in the same process is seen), as UTF-8.
EnvGetter windowsEnvGetter();

// DriverSettings{} overlaid with the A2W_* variables; a failure names the
// variable (the COM object hands it to DriverCore::setConfigError).
Status readDriverSettings(DriverSettings* settings);

}  // namespace a2w
