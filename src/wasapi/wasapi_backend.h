// a2w::AudioBackend on Windows Core Audio (WASAPI). Render only for now;
// capture (settings.inputDevice other than "none") is refused in open().
//
// Modes (DriverSettings::mode):
//   ExclusiveEvent  ASIO buffer = WASAPI period; the host's output is
//                   written straight into the buffer GetBuffer returns.
//   ExclusivePoll   exclusive, no event: a timer at half a period tops the
//                   buffer up a whole period at a time.
//   SharedEvent     the engine's mix format; ASIO periods are cut from a
//                   WASAPI buffer of ASIO buffer + one engine period.
//   Auto            the first of the three that the endpoint accepts; why
//                   each earlier one was refused is kept in decisions().
//
// Threads: every method but the PeriodHandler callbacks runs on the host's
// thread(s), which may be an STA; the audio thread is private (see
// audio_thread.h).
#pragma once

#include <windows.h>
#include <mmdeviceapi.h>
#include <wrl/client.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/audio_backend.h"
#include "wasapi/audio_thread.h"
#include "wasapi/co_task_mem.h"
#include "wasapi/com_init.h"
#include "wasapi/endpoint_list.h"
#include "wasapi/render_stream.h"
#include "wasapi/time_base.h"

namespace a2w::wasapi {

// Where the backend gets its IMMDeviceEnumerator: the real one by default,
// a fake in the tests. Called on the thread that calls open()/listEndpoints()
// with COM initialised.
using EnumeratorFactory = std::function<HRESULT(IMMDeviceEnumerator** out)>;

// CoCreateInstance(MMDeviceEnumerator).
HRESULT createSystemEnumerator(IMMDeviceEnumerator** out);

class WasapiBackend final : public AudioBackend {
 public:
  explicit WasapiBackend(EnumeratorFactory factory = createSystemEnumerator);
  ~WasapiBackend() override;
  WasapiBackend(const WasapiBackend&) = delete;
  WasapiBackend& operator=(const WasapiBackend&) = delete;

  std::vector<EndpointInfo> listEndpoints() override;
  Status open(const DriverSettings& settings, DeviceDescription* description) override;
  Status prepare(const StreamRequest& request, StreamInfo* info) override;
  Status start(PeriodHandler* handler) override;
  void stop() override;
  void unprepare() override;
  void close() override;

  // The mode decisions since open(): each refusal with its HRESULT name and
  // value ("exclusive-event refused: AUDCLNT_E_EXCLUSIVE_MODE_NOT_ALLOWED
  // (0x8889000E)"), alignment retries, IAudioClient3 fallbacks, and the
  // mode finally chosen. For the log and the panel.
  std::vector<std::string> decisions() const { return decisions_; }
  // The mode open() found for describing the device (Auto resolved).
  StreamMode describedMode() const { return describedMode_; }
  // What ended the audio loop (S_OK while running or after a clean stop).
  HRESULT lastStreamError() const { return thread_.lastError(); }
  bool mmcssRegistered() const { return thread_.mmcssRegistered(); }

 private:
  Status openRender(const DriverSettings& settings, DeviceDescription* description);

  EnumeratorFactory factory_;
  MtaUsage mta_;
  Microsoft::WRL::ComPtr<IMMDeviceEnumerator> enumerator_;
  FoundEndpoint render_;
  CoTaskMemPtr<WAVEFORMATEX> renderMix_;
  DriverSettings settings_;
  StreamMode describedMode_ = StreamMode::SharedEvent;
  std::vector<std::string> decisions_;

  std::unique_ptr<RenderStream> renderStream_;
  TimeBase clock_;
  AudioThread thread_;
  bool started_ = false;
};

}  // namespace a2w::wasapi
