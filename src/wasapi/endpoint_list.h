// Finding render (later also capture) endpoints: the list the panel shows and
// the one endpoint the settings name.
#pragma once

#include <windows.h>
#include <mmdeviceapi.h>
#include <wrl/client.h>

#include <string>
#include <vector>

#include "core/audio_backend.h"
#include "core/status.h"

namespace a2w::wasapi {

// Active endpoints of one direction, with their mix formats and periods.
// An endpoint whose IAudioClient cannot be activated is still listed (with
// zero format fields): the user should see it exists.
HRESULT listEndpoints(IMMDeviceEnumerator* enumerator, Direction direction, std::vector<EndpointInfo>* out);

struct FoundEndpoint {
  Microsoft::WRL::ComPtr<IMMDevice> device;
  EndpointInfo info;
};

// selector: "default" (the default console endpoint), an endpoint id, or a
// friendly name (exact match first, then case-insensitive). Unknown names
// fail with a message that lists the available names.
Status findEndpoint(IMMDeviceEnumerator* enumerator, Direction direction, const std::string& selector,
                    FoundEndpoint* out);

// The id and friendly name of one endpoint (used by both functions above).
std::string endpointId(IMMDevice* device);
std::string endpointFriendlyName(IMMDevice* device);

}  // namespace a2w::wasapi
