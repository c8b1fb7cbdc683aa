#include "wasapi/device_description.h"

#include <algorithm>
#include <cmath>

#include "core/buffer_size_rules.h"
#include "core/sample_rates.h"
#include "wasapi/mode_negotiation.h"
#include "wasapi/wave_format.h"


namespace a2w::wasapi {

const std::vector<double>& commonSampleRates() {
  static const std::vector<double> kRates = {44100, 48000, 88200, 96000, 176400, 192000};
  return kRates;
}

namespace {

BufferSizeOptions sizesFromPeriods(std::int32_t minimum, std::int32_t preferred, std::int32_t wanted) {
  BufferSizeOptions o;
  o.minimum = std::max<std::int32_t>(minimum, kMinSharedBufferFrames);
  o.maximum = std::max(o.minimum, kMaxBufferFrames);
  o.preferred = std::clamp(preferred, o.minimum, o.maximum);
  o.granularity = 1;
  return applyPreferredSize(o, wanted);
}

}  // namespace

HRESULT describeRenderOffer(IAudioClient* probe, const WAVEFORMATEX& mix, StreamMode mode,
                            const DriverSettings& settings, DeviceDescription* description) {
  return describeOffer(probe, mix, mode, settings, OfferOptions{}, description);
}

HRESULT describeOffer(IAudioClient* probe, const WAVEFORMATEX& mix, StreamMode mode, const DriverSettings& settings,
                      const OfferOptions& options, DeviceDescription* description) {
  description->sampleRates.clear();
  description->bufferSizes.clear();

  std::vector<double> candidates = commonSampleRates();
  std::vector<double> extra = options.extraRates;
  extra.push_back(mix.nSamplesPerSec);
  for (double r : extra) {
    if (r > 0 && std::find(candidates.begin(), candidates.end(), r) == candidates.end()) candidates.push_back(r);
  }
  std::sort(candidates.begin(), candidates.end());

  REFERENCE_TIME defaultPeriod = 0;
  REFERENCE_TIME minimumPeriod = 0;
  HRESULT hr = probe->GetDevicePeriod(&defaultPeriod, &minimumPeriod);
  if (FAILED(hr)) return hr;

  const bool exclusive = mode == StreamMode::ExclusiveEvent || mode == StreamMode::ExclusivePoll;
  const DWORD mask = channelMaskFor(mix.nChannels, &mix);

  HRESULT refusal = AUDCLNT_E_UNSUPPORTED_FORMAT;
  for (double rate : candidates) {
    WAVEFORMATEXTENSIBLE f;
    const HRESULT answer = exclusive ? negotiateExclusiveFormat(probe, rate, mix.nChannels, mask, &f)
                                     : negotiateSharedFormat(probe, mix, rate, &f);
    if (FAILED(answer) && !(options.resampledRates && !exclusive)) {
      // Keep the most telling refusal for the error message: "exclusive
      // mode not allowed" explains more than "unsupported format".
      if (answer != AUDCLNT_E_UNSUPPORTED_FORMAT) refusal = answer;
      continue;
    }
    description->sampleRates.push_back(rate);
    const std::int32_t preferred = framesFromRefTime(defaultPeriod, rate);
    const std::int32_t minimum =
        exclusive ? framesFromRefTime(minimumPeriod, rate) : kMinSharedBufferFrames;
    description->bufferSizes.push_back(sizesFromPeriods(minimum, preferred, settings.bufferFrames));
  }
  if (description->sampleRates.empty()) return refusal;

  description->defaultSampleRate = 0;
  if (settings.sampleRate > 0) {
    if (auto r = matchSampleRate(description->sampleRates, settings.sampleRate)) description->defaultSampleRate = *r;
  }
  if (description->defaultSampleRate == 0) {
    if (auto r = matchSampleRate(description->sampleRates, mix.nSamplesPerSec)) description->defaultSampleRate = *r;
  }
  if (description->defaultSampleRate == 0) description->defaultSampleRate = description->sampleRates.front();
  return S_OK;
}

bool intersectOffers(const DeviceDescription& other, const DriverSettings& settings, double preferredRate,
                     DeviceDescription* inout) {
  std::vector<double> rates;
  std::vector<BufferSizeOptions> sizes;
  for (std::size_t i = 0; i < inout->sampleRates.size() && i < inout->bufferSizes.size(); ++i) {
    const double rate = inout->sampleRates[i];
    const BufferSizeOptions* theirs = bufferSizesAtRate(other, rate);
    if (!theirs) continue;
    const BufferSizeOptions& ours = inout->bufferSizes[i];
    BufferSizeOptions both;
    both.minimum = std::max(ours.minimum, theirs->minimum);
    both.maximum = std::min(ours.maximum, theirs->maximum);
    if (both.minimum > both.maximum) continue;
    // Both sides offer every size in their range (granularity 1), so the
    // overlap does too; anything coarser is kept only when both agree.
    both.granularity = ours.granularity == theirs->granularity ? ours.granularity : 1;
    both.preferred = std::clamp(ours.preferred, both.minimum, both.maximum);
    rates.push_back(rate);
    sizes.push_back(applyPreferredSize(both, settings.bufferFrames));
  }
  inout->sampleRates = std::move(rates);
  inout->bufferSizes = std::move(sizes);
  if (inout->sampleRates.empty()) return false;
  inout->defaultSampleRate = 0;
  if (settings.sampleRate > 0) {
    if (auto r = matchSampleRate(inout->sampleRates, settings.sampleRate)) inout->defaultSampleRate = *r;
  }
  if (inout->defaultSampleRate == 0 && preferredRate > 0) {
    if (auto r = matchSampleRate(inout->sampleRates, preferredRate)) inout->defaultSampleRate = *r;
  }
  if (inout->defaultSampleRate == 0) inout->defaultSampleRate = inout->sampleRates.front();
  return true;
}

}  // namespace a2w::wasapi
