// The control panel's logic, without any window: which items the lists
// show, and how the dialog's selections map to DriverSettings and back.
// Portable (no Windows header): unit-tested natively in
// tests/unit/panel_model_test.cpp. The dialog (panel_dialog.cpp) only moves
// these values in and out of its controls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/audio_backend.h"
#include "core/driver_core.h"
#include "core/driver_settings.h"
#include "core/safety_settings.h"
#include "core/status.h"

namespace a2w::panel {

// One line of a list: what the user reads, and the settings value it stands for.
struct Choice {
  std::string label;     // e.g. "Default (Speakers)", "Loopback of HDMI"
  std::string selector;  // e.g. "default", "loopback:HDMI"
};

// Output list: "Default (<default render endpoint>)", each render endpoint
// by friendly name, "None (input only)".
std::vector<Choice> outputChoices(const std::vector<EndpointInfo>& endpoints);
// Input list: "None", "Default (<default capture endpoint>)", each capture
// endpoint, then "Loopback of <name>" for each render endpoint.
std::vector<Choice> inputChoices(const std::vector<EndpointInfo>& endpoints);

// The selector written to the file for an endpoint: its friendly name, or
// its id when another endpoint of the same direction has the same name.
std::string selectorFor(const EndpointInfo& endpoint, const std::vector<EndpointInfo>& endpoints);

// The index of the choice that stands for `selector` ("default", a name, an
// id, "loopback:<name or id>"; names compare case-insensitively, as the
// backend does). A selector no choice matches (a device that is unplugged
// now) gets a choice of its own, "<selector> (not connected)", appended, so
// opening the panel and pressing OK never loses it.
int indexFor(std::vector<Choice>* choices, std::string_view selector, const std::vector<EndpointInfo>& endpoints);

// The endpoint a selector means today, or null (none, unknown, loopback's
// render endpoint for "loopback:X" when `followLoopback`).
const EndpointInfo* endpointFor(std::string_view selector, Direction direction,
                                const std::vector<EndpointInfo>& endpoints, bool followLoopback = true);

// "2 channels, 48000 Hz, float32, period 10 ms (minimum 3 ms)": the line
// under a device list. Empty for null.
std::string endpointSummary(const EndpointInfo* endpoint);

// Mode as the dialog shows it: a list (auto / exclusive / shared) and a
// "polling" check box that only means something for exclusive.
enum class ModeChoice : std::uint8_t { Auto, Exclusive, Shared };
struct ModeForm {
  ModeChoice choice = ModeChoice::Auto;
  bool polling = false;
};
ModeForm modeForm(StreamMode mode);
StreamMode streamMode(ModeForm form);
std::vector<std::string> modeLabels();  // indexed by ModeChoice
bool pollingApplies(ModeChoice choice);  // the check box is enabled

// Buffer size and sample rate are editable lists: suggestions, or any
// number typed in. "Device default" (or nothing) means 0.
extern const char* const kDeviceDefault;
std::vector<std::string> bufferSizeSuggestions();
std::vector<std::string> sampleRateSuggestions();
// "256", or "10 ms" when the file sets the buffer as a duration (bufferMs).
std::string bufferSizeText(std::int32_t frames, double ms = 0);
std::string sampleRateText(double rate);
// Failure: a sentence naming the field, the text and what is expected.
// The buffer: frames, or a duration "N ms" (then *frames = 0, *ms = N).
Status parseBufferSize(std::string_view text, std::int32_t* frames, double* ms);
Status parseSampleRate(std::string_view text, double* rate);
// Host channels per direction: "All" (0: as many as the device has) or 1..64.
extern const char* const kAllChannels;
std::vector<std::string> channelSuggestions();
std::string channelsText(std::int32_t channels);
Status parseChannels(std::string_view field, std::string_view text, std::int32_t* channels);

// Shared mode's safety margin (core/safety_settings.h), edited like the
// buffer size: "Auto" (grows after a click, up to the file's
// safety_max_ms, which the panel keeps), a fixed number of frames, or a
// fixed duration "N ms"; the limits are the file's.
extern const char* const kSafetyAuto;
std::vector<std::string> safetySuggestions();
std::string safetyText(const DriverSettings& settings);
// Failure: a sentence naming the field, the text and what is expected.
Status parseSafety(std::string_view text, safety::Given* given);
// The margin is shared mode's: the list is disabled for exclusive.
bool safetyApplies(ModeChoice choice);

// The host sample types the driver offers, in list order.
struct SampleTypeChoice {
  asio::SampleType type;
  const char* label;
};
const std::vector<SampleTypeChoice>& sampleTypeChoices();
int sampleTypeIndex(asio::SampleType type);  // 0 (float32) for a type not in the list

std::vector<std::string> driftLabels();  // indexed by DriftCompensation

// Every control's value, as plain data.
struct PanelForm {
  int output = 0;  // index into PanelLists::outputs
  int input = 0;   // index into PanelLists::inputs
  ModeForm mode;
  std::string bufferSize;
  std::string safety;
  std::string sampleRate;
  std::string outputChannels;
  std::string inputChannels;
  int sampleType = 0;
  bool dither = false;
  int drift = 0;
};

struct PanelLists {
  std::vector<Choice> outputs;
  std::vector<Choice> inputs;
};

// The lists for these endpoints and the form showing `settings` (the lists
// may grow by a "not connected" entry, see indexFor).
PanelForm formFromSettings(const DriverSettings& settings, const std::vector<EndpointInfo>& endpoints,
                           PanelLists* lists);
// `base` with every field the form shows replaced by the form's value.
// Failure (a bad number typed in): *out is untouched.
Status settingsFromForm(const PanelForm& form, const PanelLists& lists, const DriverSettings& base,
                        DriverSettings* out);

// Live status, from the driver that opened the panel.
struct PanelStatus {
  bool driverRunning = false;  // false: the standalone program, no driver here
  DriverState state = DriverState::Loaded;
  std::string streamStatus;    // vendor::kGetStreamStatus line, empty when no stream is open
  bool latenciesKnown = false;
  std::int32_t inputLatency = 0;   // frames, getLatencies
  std::int32_t outputLatency = 0;
  // The part of each that the OS reports (GetStreamLatency; vendor::LatencyParts::os); -1: not known.
  std::int32_t inputOsLatency = -1;
  std::int32_t outputOsLatency = -1;
  double sampleRate = 0;           // for latencies in ms; 0 if unknown
  std::string configError;         // the driver's parked settings error, if any
  DriverStats stats;
};

// The text of the status box (several lines, '\n'-separated).
std::string statusText(const PanelStatus& status);

}  // namespace a2w::panel
