// Finding render and capture endpoints: the list the panel shows and the one
// endpoint the settings name.
#pragma once

#include <windows.h>
#include <mmdeviceapi.h>
#include <wrl/client.h>

#include <optional>
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

// PKEY_Device_ContainerId: the physical device an endpoint belongs to, when
// the endpoint says (Wine's does not). Nothing when absent.
std::optional<GUID> endpointContainerId(IMMDevice* device);

// True when both endpoints name the same container, and it is a real device:
// every built-in endpoint (onboard codec, GPU HDMI, ...) carries the
// "this computer" container {00000000-0000-0000-FFFF-FFFFFFFFFFFF}, which
// says nothing about shared clocks.
bool sameHardwareContainer(IMMDevice* a, IMMDevice* b);

}  // namespace a2w::wasapi
