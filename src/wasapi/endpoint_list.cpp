#include "wasapi/endpoint_list.h"

#include <audioclient.h>
#include <propidl.h>
#include <propsys.h>

#include "wasapi/co_task_mem.h"
#include "wasapi/hresult_name.h"
#include "wasapi/utf.h"
#include "wasapi/wave_format.h"

using Microsoft::WRL::ComPtr;

namespace a2w::wasapi {
namespace {

// PKEY_Device_FriendlyName, spelled out so this file does not need
// <initguid.h> + <functiondiscoverykeys_devpkey.h> (which would define the
// key in whichever translation unit includes them first).
constexpr PROPERTYKEY kFriendlyNameKey = {
    {0xa45c254e, 0xdf1c, 0x4efd, {0x80, 0x20, 0x67, 0xd1, 0x46, 0xa8, 0x50, 0xe0}}, 14};

// PKEY_Device_ContainerId (devpkey.h), spelled out for the same reason.
constexpr PROPERTYKEY kContainerIdKey = {
    {0x8c7ed206, 0x3f8a, 0x4827, {0xb3, 0xab, 0xae, 0x9e, 0x1f, 0xae, 0xfc, 0x6c}}, 2};

// The container every built-in device shares.
constexpr GUID kThisComputerContainer = {0x00000000, 0x0000, 0x0000, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

EDataFlow flowOf(Direction direction) { return direction == Direction::Render ? eRender : eCapture; }

// PROPVARIANT with PropVariantClear at scope exit.
class ScopedPropVariant {
 public:
  ScopedPropVariant() { PropVariantInit(&value_); }
  ~ScopedPropVariant() { PropVariantClear(&value_); }
  ScopedPropVariant(const ScopedPropVariant&) = delete;
  ScopedPropVariant& operator=(const ScopedPropVariant&) = delete;
  PROPVARIANT* get() { return &value_; }

 private:
  PROPVARIANT value_;
};

bool flowMatches(IMMDevice* device, Direction direction) {
  ComPtr<IMMEndpoint> endpoint;
  EDataFlow flow = eRender;
  if (FAILED(device->QueryInterface(__uuidof(IMMEndpoint), reinterpret_cast<void**>(endpoint.GetAddressOf()))) ||
      FAILED(endpoint->GetDataFlow(&flow))) {
    return true;  // cannot tell: trust the id
  }
  return flow == flowOf(direction);
}

std::string defaultEndpointId(IMMDeviceEnumerator* enumerator, Direction direction) {
  ComPtr<IMMDevice> device;
  if (FAILED(enumerator->GetDefaultAudioEndpoint(flowOf(direction), eConsole, &device))) return {};
  return endpointId(device.Get());
}

void describeEndpoint(IMMDevice* device, Direction direction, const std::string& defaultId, EndpointInfo* info) {
  info->id = endpointId(device);
  info->name = endpointFriendlyName(device);
  info->direction = direction;
  info->isDefault = !info->id.empty() && info->id == defaultId;

  ComPtr<IAudioClient> client;
  if (FAILED(device->Activate(__uuidof(IAudioClient), CLSCTX_ALL, nullptr,
                              reinterpret_cast<void**>(client.GetAddressOf())))) {
    return;
  }
  WAVEFORMATEX* rawMix = nullptr;
  const HRESULT mixResult = client->GetMixFormat(&rawMix);
  const CoTaskMemPtr<WAVEFORMATEX> mix(rawMix);
  if (SUCCEEDED(mixResult) && mix) {
    info->mixChannels = mix->nChannels;
    info->mixSampleRate = mix->nSamplesPerSec;
    if (auto f = deviceFormatOf(*mix)) info->mixFormat = *f;
  }
  REFERENCE_TIME defaultPeriod = 0;
  REFERENCE_TIME minimumPeriod = 0;
  if (info->mixSampleRate > 0 && SUCCEEDED(client->GetDevicePeriod(&defaultPeriod, &minimumPeriod))) {
    info->defaultPeriodFrames = framesFromRefTime(defaultPeriod, info->mixSampleRate);
    info->minimumPeriodFrames = framesFromRefTime(minimumPeriod, info->mixSampleRate);
  }
}

}  // namespace

std::string endpointId(IMMDevice* device) {
  LPWSTR raw = nullptr;
  const HRESULT hr = device->GetId(&raw);
  const CoTaskMemPtr<WCHAR> id(raw);
  if (FAILED(hr) || !id) return {};
  return toUtf8(id.get());
}

std::string endpointFriendlyName(IMMDevice* device) {
  ComPtr<IPropertyStore> store;
  if (FAILED(device->OpenPropertyStore(STGM_READ, &store))) return {};
  ScopedPropVariant value;
  if (FAILED(store->GetValue(kFriendlyNameKey, value.get()))) return {};
  if (value.get()->vt != VT_LPWSTR || !value.get()->pwszVal) return {};
  return toUtf8(value.get()->pwszVal);
}

std::optional<GUID> endpointContainerId(IMMDevice* device) {
  ComPtr<IPropertyStore> store;
  if (!device || FAILED(device->OpenPropertyStore(STGM_READ, &store))) return std::nullopt;
  ScopedPropVariant value;
  if (FAILED(store->GetValue(kContainerIdKey, value.get()))) return std::nullopt;
  if (value.get()->vt != VT_CLSID || !value.get()->puuid) return std::nullopt;
  return *value.get()->puuid;
}

bool sameHardwareContainer(IMMDevice* a, IMMDevice* b) {
  const auto ca = endpointContainerId(a);
  const auto cb = endpointContainerId(b);
  if (!ca || !cb) return false;
  if (IsEqualGUID(*ca, GUID{}) || IsEqualGUID(*ca, kThisComputerContainer)) return false;
  return IsEqualGUID(*ca, *cb) != 0;
}

HRESULT listEndpoints(IMMDeviceEnumerator* enumerator, Direction direction, std::vector<EndpointInfo>* out) {
  out->clear();
  ComPtr<IMMDeviceCollection> collection;
  HRESULT hr = enumerator->EnumAudioEndpoints(flowOf(direction), DEVICE_STATE_ACTIVE, &collection);
  if (FAILED(hr)) return hr;
  UINT count = 0;
  hr = collection->GetCount(&count);
  if (FAILED(hr)) return hr;
  const std::string defaultId = defaultEndpointId(enumerator, direction);
  for (UINT i = 0; i < count; ++i) {
    ComPtr<IMMDevice> device;
    if (FAILED(collection->Item(i, &device))) continue;
    EndpointInfo info;
    describeEndpoint(device.Get(), direction, defaultId, &info);
    out->push_back(std::move(info));
  }
  return S_OK;
}

Status findEndpoint(IMMDeviceEnumerator* enumerator, Direction direction, const std::string& selector,
                    FoundEndpoint* out) {
  const char* side = direction == Direction::Render ? "output" : "input";
  const std::string defaultId = defaultEndpointId(enumerator, direction);

  if (selector.empty() || selector == "default") {
    ComPtr<IMMDevice> device;
    const HRESULT hr = enumerator->GetDefaultAudioEndpoint(flowOf(direction), eConsole, &device);
    if (FAILED(hr)) {
      return Status::failure(asio::err::kNotPresent,
                             std::string("There is no default ") + side + " device (" + hresultName(hr) + ").");
    }
    out->device = device;
    describeEndpoint(device.Get(), direction, defaultId, &out->info);
    return Status::success();
  }

  // An id first: ids are unique, names need not be.
  {
    ComPtr<IMMDevice> device;
    const std::wstring wideId = toUtf16(selector);
    DWORD state = 0;
    // Check the answer: an id is only a match if the device says it is that
    // id, is active and plays in this direction (GetDevice knows both
    // directions, and Wine's has been seen answering for a name).
    if (SUCCEEDED(enumerator->GetDevice(wideId.c_str(), &device)) && SUCCEEDED(device->GetState(&state)) &&
        state == DEVICE_STATE_ACTIVE && equalsIgnoringCase(endpointId(device.Get()), selector) &&
        flowMatches(device.Get(), direction)) {
      out->device = device;
      describeEndpoint(device.Get(), direction, defaultId, &out->info);
      return Status::success();
    }
  }

  ComPtr<IMMDeviceCollection> collection;
  HRESULT hr = enumerator->EnumAudioEndpoints(flowOf(direction), DEVICE_STATE_ACTIVE, &collection);
  UINT count = 0;
  if (SUCCEEDED(hr)) hr = collection->GetCount(&count);
  if (FAILED(hr)) {
    return Status::failure(asio::err::kNotPresent,
                           std::string("Cannot list the ") + side + " devices (" + hresultName(hr) + ").");
  }
  std::vector<std::pair<ComPtr<IMMDevice>, std::string>> all;
  for (UINT i = 0; i < count; ++i) {
    ComPtr<IMMDevice> device;
    if (SUCCEEDED(collection->Item(i, &device))) all.emplace_back(device, endpointFriendlyName(device.Get()));
  }
  const auto pick = [&](bool ignoreCase) -> IMMDevice* {
    for (auto& [device, name] : all) {
      if (ignoreCase ? equalsIgnoringCase(name, selector) : name == selector) return device.Get();
    }
    return nullptr;
  };
  IMMDevice* match = pick(false);
  if (!match) match = pick(true);
  if (match) {
    out->device = match;
    describeEndpoint(match, direction, defaultId, &out->info);
    return Status::success();
  }

  std::string names;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i) names += ", ";
    names += "\"" + all[i].second + "\"";
  }
  if (names.empty()) names = "none";
  return Status::failure(asio::err::kNotPresent, std::string("No ") + side + " device \"" + selector +
                                                     "\". Available: " + names + ".");
}

}  // namespace a2w::wasapi
