// HRESULT -> "AUDCLNT_E_DEVICE_IN_USE (0x8889000A)": for error messages, the
// auto-mode decision list and (later) the log.
#pragma once

#include <windows.h>

#include <string>

namespace a2w::wasapi {

// The symbolic name when we know it, else "HRESULT", followed by the value in hex.
std::string hresultName(HRESULT hr);

}  // namespace a2w::wasapi
