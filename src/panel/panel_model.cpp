#include "panel/panel_model.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace a2w::panel {
namespace {

constexpr std::string_view kLoopbackPrefix = "loopback:";

// ASCII case-insensitive comparison (the backend compares names ignoring
// case too; non-ASCII letters compare exactly here, which is only stricter).
bool sameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool isDefaultText(std::string_view s) { return s.empty() || sameText(s, kDeviceDefault) || sameText(s, "default"); }

const EndpointInfo* defaultEndpoint(Direction direction, const std::vector<EndpointInfo>& endpoints) {
  for (const EndpointInfo& e : endpoints) {
    if (e.direction == direction && e.isDefault) return &e;
  }
  return nullptr;
}

// The endpoint of `direction` whose id or friendly name is `selector`.
const EndpointInfo* findEndpoint(std::string_view selector, Direction direction,
                                 const std::vector<EndpointInfo>& endpoints) {
  for (const EndpointInfo& e : endpoints) {
    if (e.direction == direction && e.id == selector) return &e;
  }
  for (const EndpointInfo& e : endpoints) {
    if (e.direction == direction && sameText(e.name, selector)) return &e;
  }
  return nullptr;
}

std::string defaultLabel(Direction direction, const std::vector<EndpointInfo>& endpoints) {
  const EndpointInfo* e = defaultEndpoint(direction, endpoints);
  return e ? "Default (" + e->name + ")" : std::string("Default device");
}

// Digits only, no sign, no spaces inside: what the user may type.
bool parseUnsigned(std::string_view text, std::uint64_t* value) {
  if (text.empty() || text.size() > 12) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string msNumber(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", ms);
  return buf;
}

std::string msText(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

// "N frames (X ms)", the ms only with a rate known.
std::string framesText(std::int32_t frames, double rate) {
  std::string text = std::to_string(frames) + " frames";
  if (rate > 0) text += " (" + msText(1000.0 * frames / rate) + ")";
  return text;
}

}  // namespace

const char* const kDeviceDefault = "Device default";

std::string selectorFor(const EndpointInfo& endpoint, const std::vector<EndpointInfo>& endpoints) {
  const auto sameName = std::count_if(endpoints.begin(), endpoints.end(), [&](const EndpointInfo& e) {
    return e.direction == endpoint.direction && sameText(e.name, endpoint.name);
  });
  return (sameName > 1 || endpoint.name.empty()) ? endpoint.id : endpoint.name;
}

std::vector<Choice> outputChoices(const std::vector<EndpointInfo>& endpoints) {
  std::vector<Choice> choices{{defaultLabel(Direction::Render, endpoints), "default"}};
  for (const EndpointInfo& e : endpoints) {
    if (e.direction == Direction::Render) choices.push_back({e.name, selectorFor(e, endpoints)});
  }
  choices.push_back({"None (input only)", "none"});
  return choices;
}

std::vector<Choice> inputChoices(const std::vector<EndpointInfo>& endpoints) {
  std::vector<Choice> choices{{"None", "none"}, {defaultLabel(Direction::Capture, endpoints), "default"}};
  for (const EndpointInfo& e : endpoints) {
    if (e.direction == Direction::Capture) choices.push_back({e.name, selectorFor(e, endpoints)});
  }
  for (const EndpointInfo& e : endpoints) {
    if (e.direction == Direction::Render) {
      choices.push_back({"Loopback of " + e.name, std::string(kLoopbackPrefix) + selectorFor(e, endpoints)});
    }
  }
  return choices;
}

const EndpointInfo* endpointFor(std::string_view selector, Direction direction,
                                const std::vector<EndpointInfo>& endpoints, bool followLoopback) {
  selector = trim(selector);
  if (sameText(selector, "none")) return nullptr;
  if (selector.empty() || sameText(selector, "default")) return defaultEndpoint(direction, endpoints);
  if (selector.size() >= kLoopbackPrefix.size() && sameText(selector.substr(0, kLoopbackPrefix.size()), kLoopbackPrefix)) {
    if (!followLoopback) return nullptr;
    return endpointFor(selector.substr(kLoopbackPrefix.size()), Direction::Render, endpoints, false);
  }
  return findEndpoint(selector, direction, endpoints);
}

int indexFor(std::vector<Choice>* choices, std::string_view selector, const std::vector<EndpointInfo>& endpoints) {
  selector = trim(selector);
  if (selector.empty()) selector = "default";
  // Exact selector first ("default", "none", a name, "loopback:Name").
  for (std::size_t i = 0; i < choices->size(); ++i) {
    if (sameText((*choices)[i].selector, selector)) return static_cast<int>(i);
  }
  // An id, or a name spelled differently: the choice for the same endpoint.
  const bool loopback =
      selector.size() >= kLoopbackPrefix.size() && sameText(selector.substr(0, kLoopbackPrefix.size()), kLoopbackPrefix);
  for (Direction d : {Direction::Render, Direction::Capture}) {
    if (loopback && d == Direction::Capture) continue;
    const EndpointInfo* e =
        findEndpoint(loopback ? selector.substr(kLoopbackPrefix.size()) : selector, d, endpoints);
    if (!e) continue;
    const std::string wanted = (loopback ? std::string(kLoopbackPrefix) : std::string()) + selectorFor(*e, endpoints);
    for (std::size_t i = 0; i < choices->size(); ++i) {
      if ((*choices)[i].selector == wanted) return static_cast<int>(i);
    }
  }
  choices->push_back({std::string(selector) + " (not connected)", std::string(selector)});
  return static_cast<int>(choices->size() - 1);
}

std::string endpointSummary(const EndpointInfo* e) {
  if (!e) return {};
  std::string s = std::to_string(e->mixChannels) + (e->mixChannels == 1 ? " channel, " : " channels, ");
  s += std::to_string(static_cast<long long>(std::lround(e->mixSampleRate))) + " Hz, ";
  s += std::string(toString(e->mixFormat));
  if (e->defaultPeriodFrames > 0 && e->mixSampleRate > 0) {
    s += ", period " + msText(1000.0 * e->defaultPeriodFrames / e->mixSampleRate);
    if (e->minimumPeriodFrames > 0) s += " (minimum " + msText(1000.0 * e->minimumPeriodFrames / e->mixSampleRate) + ")";
  }
  return s;
}

ModeForm modeForm(StreamMode mode) {
  switch (mode) {
    case StreamMode::Auto: return {ModeChoice::Auto, false};
    case StreamMode::ExclusiveEvent: return {ModeChoice::Exclusive, false};
    case StreamMode::ExclusivePoll: return {ModeChoice::Exclusive, true};
    case StreamMode::SharedEvent: return {ModeChoice::Shared, false};
  }
  return {};
}

StreamMode streamMode(ModeForm form) {
  switch (form.choice) {
    case ModeChoice::Auto: return StreamMode::Auto;
    case ModeChoice::Exclusive: return form.polling ? StreamMode::ExclusivePoll : StreamMode::ExclusiveEvent;
    case ModeChoice::Shared: return StreamMode::SharedEvent;
  }
  return StreamMode::Auto;
}

std::vector<std::string> modeLabels() {
  return {"Auto (exclusive if possible, else shared)", "Exclusive (lowest latency)", "Shared (other programs keep playing)"};
}

bool pollingApplies(ModeChoice choice) { return choice == ModeChoice::Exclusive; }

std::vector<std::string> bufferSizeSuggestions() {
  return {kDeviceDefault, "32", "48", "64", "96", "128", "192", "256", "441", "480", "512", "960", "1024", "2048", "4096"};
}

std::vector<std::string> sampleRateSuggestions() {
  return {kDeviceDefault, "44100", "48000", "88200", "96000", "176400", "192000"};
}

std::string bufferSizeText(std::int32_t frames, double ms) {
  if (ms > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g ms", ms);
    return buf;
  }
  return frames > 0 ? std::to_string(frames) : kDeviceDefault;
}

std::string sampleRateText(double rate) {
  if (!(rate > 0)) return kDeviceDefault;
  if (rate == std::floor(rate)) return std::to_string(static_cast<long long>(rate));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", rate);
  return buf;
}

Status parseBufferSize(std::string_view text, std::int32_t* frames, double* ms) {
  text = trim(text);
  if (isDefaultText(text)) {
    *frames = 0;
    *ms = 0;
    return Status::success();
  }
  const Status bad = Status::failure(
      asio::err::kInvalidParameter,
      "Buffer size \"" + std::string(text) +
          "\": expected a whole number of frames from 16 to 32768, a duration from 1 to 1000 ms, or Device default.");
  if (text.size() > 2 && sameText(text.substr(text.size() - 2), "ms")) {
    const std::string_view number = trim(text.substr(0, text.size() - 2));
    double v = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (number.empty() || ec != std::errc() || end != number.data() + number.size() || !(v >= 1 && v <= 1000)) {
      return bad;
    }
    *frames = 0;
    *ms = v;
    return Status::success();
  }
  std::uint64_t v = 0;
  if (!parseUnsigned(text, &v) || v < 16 || v > 32768) return bad;
  *frames = static_cast<std::int32_t>(v);
  *ms = 0;
  return Status::success();
}

const char* const kSafetyAuto = "Auto";

std::vector<std::string> safetySuggestions() { return {kSafetyAuto, "0 ms", "2 ms", "5 ms", "10 ms", "20 ms", "50 ms"}; }

std::string safetyText(const DriverSettings& settings) {
  if (settings.safety != SafetyMode::Fixed) return kSafetyAuto;
  if (settings.safetyMs > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g ms", settings.safetyMs);
    return buf;
  }
  return std::to_string(settings.safetyFrames);
}

Status parseSafety(std::string_view text, safety::Given* given) {
  text = trim(text);
  if (text.empty() || sameText(text, kSafetyAuto)) {
    *given = {};
    given->mode = SafetyMode::Auto;
    return Status::success();
  }
  const Status bad = Status::failure(
      asio::err::kInvalidParameter,
      "Safety margin \"" + std::string(text) + "\": expected Auto, a whole number of frames from 0 to " +
          std::to_string(safety::kMaxFrames) + ", or a duration from 0 to " + msNumber(safety::kMaxMs) + " ms.");
  if (text.size() > 2 && sameText(text.substr(text.size() - 2), "ms")) {
    const std::string_view number = trim(text.substr(0, text.size() - 2));
    double v = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (number.empty() || ec != std::errc() || end != number.data() + number.size() || !(v >= 0 && v <= safety::kMaxMs)) {
      return bad;
    }
    *given = {};
    given->ms = v;
    return Status::success();
  }
  std::uint64_t v = 0;
  if (!parseUnsigned(text, &v) || v > static_cast<std::uint64_t>(safety::kMaxFrames)) return bad;
  *given = {};
  given->frames = static_cast<std::int32_t>(v);
  return Status::success();
}

bool safetyApplies(ModeChoice choice) { return choice != ModeChoice::Exclusive; }

const char* const kAllChannels = "All";

std::vector<std::string> channelSuggestions() { return {kAllChannels, "1", "2", "4", "6", "8"}; }

std::string channelsText(std::int32_t channels) { return channels > 0 ? std::to_string(channels) : kAllChannels; }

Status parseChannels(std::string_view field, std::string_view text, std::int32_t* channels) {
  text = trim(text);
  if (text.empty() || sameText(text, kAllChannels)) {
    *channels = 0;
    return Status::success();
  }
  std::uint64_t v = 0;
  if (!parseUnsigned(text, &v) || v < 1 || v > 64) {
    return Status::failure(asio::err::kInvalidParameter, std::string(field) + " \"" + std::string(text) +
                                                             "\": expected a number of channels from 1 to 64, or All.");
  }
  *channels = static_cast<std::int32_t>(v);
  return Status::success();
}

Status parseSampleRate(std::string_view text, double* rate) {
  text = trim(text);
  if (isDefaultText(text)) {
    *rate = 0;
    return Status::success();
  }
  std::uint64_t v = 0;
  if (!parseUnsigned(text, &v) || v < 8000 || v > 768000) {
    return Status::failure(asio::err::kInvalidParameter,
                           "Sample rate \"" + std::string(text) +
                               "\": expected a whole number of Hz from 8000 to 768000, or Device default.");
  }
  *rate = static_cast<double>(v);
  return Status::success();
}

const std::vector<SampleTypeChoice>& sampleTypeChoices() {
  static const std::vector<SampleTypeChoice> choices{
      {asio::SampleType::Float32LSB, "32-bit float (Float32LSB)"},
      {asio::SampleType::Int32LSB, "32-bit integer (Int32LSB)"},
      {asio::SampleType::Int24LSB, "24-bit integer, packed (Int24LSB)"},
      {asio::SampleType::Int16LSB, "16-bit integer (Int16LSB)"},
      {asio::SampleType::Float64LSB, "64-bit float (Float64LSB)"},
  };
  return choices;
}

int sampleTypeIndex(asio::SampleType type) {
  const auto& choices = sampleTypeChoices();
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i].type == type) return static_cast<int>(i);
  }
  return 0;
}

std::vector<std::string> driftLabels() {
  return {"Auto (when the clocks differ)", "On", "Off"};
}

PanelForm formFromSettings(const DriverSettings& settings, const std::vector<EndpointInfo>& endpoints,
                           PanelLists* lists) {
  lists->outputs = outputChoices(endpoints);
  lists->inputs = inputChoices(endpoints);
  PanelForm form;
  form.output = indexFor(&lists->outputs, settings.outputDevice, endpoints);
  form.input = indexFor(&lists->inputs, settings.inputDevice, endpoints);
  form.mode = modeForm(settings.mode);
  form.bufferSize = bufferSizeText(settings.bufferFrames, settings.bufferMs);
  form.safety = safetyText(settings);
  form.sampleRate = sampleRateText(settings.sampleRate);
  form.outputChannels = channelsText(settings.outputChannels);
  form.inputChannels = channelsText(settings.inputChannels);
  form.sampleType = sampleTypeIndex(settings.hostSampleType);
  form.dither = settings.dither;
  form.drift = static_cast<int>(settings.driftCompensation);
  return form;
}

Status settingsFromForm(const PanelForm& form, const PanelLists& lists, const DriverSettings& base,
                        DriverSettings* out) {
  DriverSettings s = base;
  if (form.output >= 0 && form.output < static_cast<int>(lists.outputs.size())) {
    s.outputDevice = lists.outputs[static_cast<std::size_t>(form.output)].selector;
  }
  if (form.input >= 0 && form.input < static_cast<int>(lists.inputs.size())) {
    s.inputDevice = lists.inputs[static_cast<std::size_t>(form.input)].selector;
  }
  if (s.outputDevice == "none" && s.inputDevice == "none") {
    return Status::failure(asio::err::kInvalidParameter,
                           "Output and input are both None: choose a device for at least one of them.");
  }
  s.mode = streamMode(form.mode);
  Status st = parseBufferSize(form.bufferSize, &s.bufferFrames, &s.bufferMs);
  if (!st.ok()) return st;
  safety::Given safety;
  st = parseSafety(form.safety, &safety);
  if (!st.ok()) return st;
  safety::apply(safety, &s);  // one value per form: no conflict possible
  st = parseSampleRate(form.sampleRate, &s.sampleRate);
  if (!st.ok()) return st;
  st = parseChannels("Output channels", form.outputChannels, &s.outputChannels);
  if (!st.ok()) return st;
  st = parseChannels("Input channels", form.inputChannels, &s.inputChannels);
  if (!st.ok()) return st;
  const auto& types = sampleTypeChoices();
  if (form.sampleType >= 0 && form.sampleType < static_cast<int>(types.size())) {
    s.hostSampleType = types[static_cast<std::size_t>(form.sampleType)].type;
  }
  s.dither = form.dither;
  if (form.drift >= 0 && form.drift <= static_cast<int>(DriftCompensation::Off)) {
    s.driftCompensation = static_cast<DriftCompensation>(form.drift);
  }
  *out = std::move(s);
  return Status::success();
}

std::string statusText(const PanelStatus& status) {
  if (!status.driverRunning) {
    return "Driver not running in this process. The settings take effect the next time a host loads the "
           "driver (or resets it).";
  }
  std::string text;
  if (!status.configError.empty()) text += "Settings error: " + status.configError + "\n";
  switch (status.state) {
    case DriverState::Loaded: text += "Driver loaded, not initialised by the host yet.\n"; break;
    case DriverState::Initialised: text += "Driver initialised; no stream open (the host has created no buffers).\n"; break;
    case DriverState::Prepared: text += "Stream open, stopped: "; break;
    case DriverState::Running: text += "Running: "; break;
  }
  if (status.state == DriverState::Prepared || status.state == DriverState::Running) {
    text += (status.streamStatus.empty() ? std::string("(no stream description)") : status.streamStatus) + "\n";
  }
  if (status.latenciesKnown) {
    text += "Latency reported to the host: output " + std::to_string(status.outputLatency) + " frames";
    if (status.sampleRate > 0) text += " (" + msText(1000.0 * status.outputLatency / status.sampleRate) + ")";
    text += ", input " + std::to_string(status.inputLatency) + " frames";
    if (status.sampleRate > 0) text += " (" + msText(1000.0 * status.inputLatency / status.sampleRate) + ")";
    if (status.outputOsLatency >= 0 && status.inputOsLatency >= 0) {
      text += "; of these, Windows reports output " + std::to_string(status.outputOsLatency) + " and input " +
              std::to_string(status.inputOsLatency) + " frames for its own part";
    }
    text += "\n";
  }
  const DriverStats& st = status.stats;
  // Every kind the driver counts (DriverStats::glitches), each recovered in
  // one step; what was lost and how much is in the log.
  text += "Glitches: " + std::to_string(st.glitches()) + " (output ran dry " + std::to_string(st.renderUnderruns) +
          ", engine late " + std::to_string(st.renderEngineLatePasses) + ", late callbacks " +
          std::to_string(st.overloads) + ", input underruns " + std::to_string(st.inputUnderruns) + ", overruns " +
          std::to_string(st.inputOverruns) + ", device discontinuities " + std::to_string(st.inputDiscontinuities) +
          "); " + std::to_string(st.periods) + " periods, " + std::to_string(st.resetRequestsSent) + " reset requests";
  if (st.renderSafetyFrames > 0) {
    text += "\nSafety margin grown after underruns: " + framesText(st.renderSafetyFrames, st.outputDeviceSampleRate) +
            " beyond the minimum queue, counted in the latency";
  }
  if (st.bufferAdviceFrames > 0) {
    text += "\nPeriods missed (exclusive mode): a buffer of more than " +
            framesText(st.bufferAdviceFrames, st.outputDeviceSampleRate) + " would have held them";
  }
  if (st.inputDriftCompensation) {
    char drift[96];
    if (st.inputClockLocked) {
      std::snprintf(drift, sizeof drift, "\nInput clock: %+.1f ppm against the output (measured from positions: %+.1f ppm)",
                    st.inputDriftPpm, st.inputClockRatioPpm);
    } else {
      std::snprintf(drift, sizeof drift, "\nInput clock: %+.1f ppm against the output (still measuring)", st.inputDriftPpm);
    }
    text += drift;
  }
  return text;
}

}  // namespace a2w::panel
