// What a user can do about the WASAPI failures with a known cause: a short
// sentence put in front of the driver's message (getErrorMessage holds 123
// characters, so the advice comes first; the log keeps every refusal with
// its HRESULT). docs/TROUBLESHOOTING.md lists them.
#pragma once

#include <windows.h>

#include <string>

#include "core/driver_settings.h"

namespace a2w::wasapi {

// The advice for `hr` when `mode` was the last mode tried (it tells "another
// program holds the device exclusively" from "exclusive mode is taken"),
// ending with a space; "" when there is none.
std::string adviceFor(HRESULT hr, StreamMode mode);

}  // namespace a2w::wasapi
