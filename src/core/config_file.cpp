// The TOML settings file: parse (with file:line messages), load, render, save.
// docs/CONFIGURATION.md lists every key and every message produced here; the
// unit tests (tests/unit/config_file_test.cpp) assert each message's text.
#include "core/config_file.h"

// toml++ would include <Windows.h> for its wide-string helpers; the core is
// portable and needs none of them.
#define TOML_ENABLE_WINDOWS_COMPAT 0
// A settings file is user input: a malformed one must get a message, never
// a crash. toml++ 3.3 (Debian 12) states a precondition of its key parser as
// an assert (debug builds: abort) that becomes a compiler assumption in
// release builds with clang or MSVC (undefined behaviour), and a malformed
// table header such as "[)" or "[[=" breaks it (found by tests/fuzz; fixed
// upstream after 3.4). So here its asserts and assumptions are no-ops in
// every build, as they already are in our MinGW release build (GCC has no
// __builtin_assume): the parser's own checks then report a syntax error.
#define TOML_ASSERT(expr) static_cast<void>(0)
#include <toml++/impl/preprocessor.h>
#undef TOML_ASSERT_ASSUME
#define TOML_ASSERT_ASSUME(expr) static_cast<void>(0)
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

namespace a2w::config {
namespace {

constexpr std::int64_t kMinBufferFrames = 16;
constexpr std::int64_t kMaxBufferFrames = 32768;
constexpr double kMinBufferMs = 0.5;
constexpr double kMaxBufferMs = 1000;
constexpr double kMinSampleRate = 8000;
constexpr double kMaxSampleRate = 768000;
constexpr std::int64_t kMaxChannels = 64;  // host channels per direction
constexpr std::int64_t kMaxSlot = 63;      // device slots are 0..63
constexpr std::size_t kMaxShownValue = 20;  // values are cut in messages so the sentence fits 123 chars
constexpr std::size_t kMaxMessage = 123;

// --- messages --------------------------------------------------------------

std::string cut(std::string s, std::size_t max) {
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return s;
}

std::string formatNumber(double v) {
  std::ostringstream out;
  out.precision(10);
  out << v;
  return out.str();
}

// How a value is shown in a message: as it would be written in the file.
std::string shown(const toml::node& node) {
  if (const auto* s = node.as_string()) return "\"" + cut(s->get(), kMaxShownValue) + "\"";
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* f = node.as_floating_point()) return formatNumber(f->get());
  if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
  if (node.is_array()) return "[...]";
  if (node.is_table()) return "{...}";
  return "a date/time";
}

int lineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Collects problems; the earliest line wins (toml++ tables are not in file order).
class Issues {
 public:
  explicit Issues(std::string fileName) : file_(std::move(fileName)) {}

  void error(int line, const std::string& what) {
    errors_.emplace_back(line, fit(file_ + ":" + std::to_string(line) + ": " + what));
  }
  void warning(int line, const std::string& what) {
    warnings_.emplace_back(line, file_ + ":" + std::to_string(line) + ": " + what);
  }

  bool failed() const { return !errors_.empty(); }
  std::string firstError() const {
    return std::min_element(errors_.begin(), errors_.end(),
                            [](const auto& a, const auto& b) { return a.first < b.first; })
        ->second;
  }
  std::vector<std::string> warnings() {
    std::stable_sort(warnings_.begin(), warnings_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& w : warnings_) out.push_back(std::move(w.second));
    return out;
  }

  static std::string fit(std::string s) {
    if (s.size() > kMaxMessage) s = s.substr(0, kMaxMessage - 3) + "...";
    return s;
  }

 private:
  std::string file_;
  std::vector<std::pair<int, std::string>> errors_;
  std::vector<std::pair<int, std::string>> warnings_;
};

// --- one table's keys ------------------------------------------------------

// Reads the keys of one table (the top level, [output], [input], [log]):
// each read marks its key as known; what is left is warned about.
class Section {
 public:
  Section(const toml::table& table, std::string prefix, Issues& issues)
      : table_(table), prefix_(std::move(prefix)), issues_(issues) {}

  ~Section() = default;
  Section(const Section&) = delete;
  Section& operator=(const Section&) = delete;

  // The node of `key`, or null when absent.
  const toml::node* find(const std::string& key) {
    known_.insert(key);
    return table_.get(key);
  }

  // "[output] channels" or "mode": how a key is named in messages.
  std::string name(const std::string& key) const { return prefix_.empty() ? key : prefix_ + " " + key; }

  void bad(const toml::node& node, const std::string& key, const std::string& expected) {
    issues_.error(lineOf(node), name(key) + " = " + shown(node) + ": expected " + expected);
  }
  void fail(const toml::node& node, const std::string& what) { issues_.error(lineOf(node), what); }

  std::optional<std::string> string(const std::string& key, const std::string& expected) {
    const toml::node* n = find(key);
    if (!n) return std::nullopt;
    if (const auto* s = n->as_string()) return s->get();
    bad(*n, key, expected);
    return std::nullopt;
  }

  // A keyword from `choices` (case-insensitive), as its index.
  std::optional<std::size_t> keyword(const std::string& key, const std::vector<std::string>& choices) {
    std::string expected;
    for (std::size_t i = 0; i < choices.size(); ++i) {
      if (i > 0) expected += i + 1 == choices.size() ? " or " : ", ";
      expected += "\"" + choices[i] + "\"";
    }
    const toml::node* n = find(key);
    if (!n) return std::nullopt;
    if (const auto* s = n->as_string()) {
      const std::string l = lower(s->get());
      for (std::size_t i = 0; i < choices.size(); ++i) {
        if (l == choices[i]) return i;
      }
    }
    bad(*n, key, expected);
    return std::nullopt;
  }

  std::optional<bool> boolean(const std::string& key) {
    const toml::node* n = find(key);
    if (!n) return std::nullopt;
    if (const auto* b = n->as_boolean()) return b->get();
    bad(*n, key, "true or false");
    return std::nullopt;
  }

  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max,
                                      const std::string& expected) {
    const toml::node* n = find(key);
    if (!n) return std::nullopt;
    if (const auto* i = n->as_integer(); i && i->get() >= min && i->get() <= max) return i->get();
    bad(*n, key, expected);
    return std::nullopt;
  }

  // An integer or a float.
  std::optional<double> number(const std::string& key, double min, double max, const std::string& expected) {
    const toml::node* n = find(key);
    if (!n) return std::nullopt;
    std::optional<double> v;
    if (const auto* i = n->as_integer()) v = static_cast<double>(i->get());
    if (const auto* f = n->as_floating_point()) v = f->get();
    if (v && std::isfinite(*v) && *v >= min && *v <= max) return v;
    bad(*n, key, expected);
    return std::nullopt;
  }

  void warnUnknown() {
    for (const auto& [key, node] : table_) {
      const std::string k(key.str());
      if (known_.count(k) != 0) continue;
      issues_.warning(lineOf(node), "unknown key " + name("\"" + cut(k, 40) + "\"") + " ignored");
    }
  }

  const toml::table& table() const { return table_; }

 private:
  const toml::table& table_;
  std::string prefix_;
  Issues& issues_;
  std::set<std::string> known_;
};

// device = "default" | "none" | "loopback:<render>" (input) | name or id.
void readDevice(Section& sec, bool input, std::string* device) {
  const std::string expected = input ? "\"default\", \"none\", \"loopback:<output>\", a name or an id"
                                     : "\"default\", \"none\", a device name or an id";
  const toml::node* n = sec.find("device");
  if (!n) return;
  const auto* s = n->as_string();
  std::string v = s ? s->get() : std::string();
  // Blank names match nothing: refuse them here rather than at init.
  const bool blank = std::all_of(v.begin(), v.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
  if (!s || blank) {
    sec.bad(*n, "device", expected);
    return;
  }
  const std::string l = lower(v);
  if (l == "default" || l == "none") {
    *device = l;
    return;
  }
  if (l.rfind("loopback:", 0) == 0) {
    if (!input) {
      sec.fail(*n, sec.name("device") + " = " + shown(*n) + ": loopback is for [input] only");
      return;
    }
    std::string target = v.substr(9);
    if (target.empty()) {
      sec.bad(*n, "device", "\"loopback:default\" or \"loopback:<output>\"");
      return;
    }
    if (lower(target) == "default") target = "default";
    *device = "loopback:" + target;
    return;
  }
  *device = v;
}

// channels and channel_map of [output] or [input].
void readChannels(Section& sec, std::int32_t* channels, std::vector<std::int32_t>* map) {
  const auto count = sec.integer("channels", 0, kMaxChannels, "an integer from 0 (all) to 64");
  if (count) *channels = static_cast<std::int32_t>(*count);

  const toml::node* n = sec.find("channel_map");
  if (!n) return;
  const std::string expected = "a list of 1 to 64 device channels, each 0 to 63";
  const auto* array = n->as_array();
  if (!array || array->empty() || array->size() > static_cast<std::size_t>(kMaxChannels)) {
    sec.bad(*n, "channel_map", expected);
    return;
  }
  std::vector<std::int32_t> slots;
  std::set<std::int64_t> seen;
  for (const toml::node& element : *array) {
    const auto* i = element.as_integer();
    if (!i || i->get() < 0 || i->get() > kMaxSlot) {
      sec.fail(*n, sec.name("channel_map") + ": entry " + shown(element) + " is not a device channel 0 to 63");
      return;
    }
    if (!seen.insert(i->get()).second) {
      sec.fail(*n, sec.name("channel_map") + " lists device channel " + std::to_string(i->get()) + " twice");
      return;
    }
    slots.push_back(static_cast<std::int32_t>(i->get()));
  }
  if (count && *count != 0 && static_cast<std::size_t>(*count) != slots.size()) {
    sec.fail(*n, sec.name("channel_map") + " has " + std::to_string(slots.size()) + " entries but channels = " +
                     std::to_string(*count));
    return;
  }
  *map = std::move(slots);
}

// A [name] table, or null (absent, or not a table: an error).
const toml::table* subTable(Section& top, const std::string& name) {
  const toml::node* n = top.find(name);
  if (!n) return nullptr;
  if (const auto* t = n->as_table()) return t;
  top.fail(*n, name + " = " + shown(*n) + ": expected a table [" + name + "]");
  return nullptr;
}

void readDocument(const toml::table& root, Issues& issues, DriverSettings* out) {
  DriverSettings s;
  Section top(root, "", issues);

  std::optional<std::size_t> mode = top.keyword("mode", {"auto", "exclusive", "shared"});
  std::optional<bool> polling = top.boolean("polling");
  const toml::node* modeNode = top.table().get("mode");
  const toml::node* pollingNode = top.table().get("polling");
  const std::size_t m = mode.value_or(0);
  const bool poll = polling.value_or(false);
  if (poll && m != 1 && pollingNode && (!modeNode || mode)) {
    top.fail(*pollingNode, "polling = true needs mode = \"exclusive\" (shared mode is event-driven)");
  }
  s.mode = m == 1 ? (poll ? StreamMode::ExclusivePoll : StreamMode::ExclusiveEvent)
           : m == 2 ? StreamMode::SharedEvent
                    : StreamMode::Auto;

  const auto frames = top.integer("buffer_frames", kMinBufferFrames, kMaxBufferFrames, "an integer from 16 to 32768");
  const auto ms = top.number("buffer_ms", kMinBufferMs, kMaxBufferMs, "a duration from 0.5 to 1000 (ms)");
  if (frames) s.bufferFrames = static_cast<std::int32_t>(*frames);
  if (ms) s.bufferMs = *ms;
  if (const toml::node* f = root.get("buffer_frames"), *b = root.get("buffer_ms"); f && b) {
    const toml::node& later = lineOf(*b) >= lineOf(*f) ? *b : *f;
    top.fail(later, "buffer_frames and buffer_ms are both set; keep only one");
  }

  if (auto r = top.number("sample_rate", kMinSampleRate, kMaxSampleRate, "a rate in Hz from 8000 to 768000")) {
    s.sampleRate = *r;
  }
  if (auto t = top.keyword("sample_type", {"float32", "int32", "int24", "int16", "float64"})) {
    constexpr asio::SampleType types[] = {asio::SampleType::Float32LSB, asio::SampleType::Int32LSB,
                                          asio::SampleType::Int24LSB, asio::SampleType::Int16LSB,
                                          asio::SampleType::Float64LSB};
    s.hostSampleType = types[*t];
  }
  if (auto d = top.keyword("drift_compensation", {"auto", "on", "off"})) {
    constexpr DriftCompensation values[] = {DriftCompensation::Auto, DriftCompensation::On, DriftCompensation::Off};
    s.driftCompensation = values[*d];
  }
  if (auto d = top.boolean("dither")) s.dither = *d;

  if (const toml::table* t = subTable(top, "output")) {
    Section sec(*t, "[output]", issues);
    readDevice(sec, false, &s.outputDevice);
    readChannels(sec, &s.outputChannels, &s.outputChannelMap);
    sec.warnUnknown();
  }
  if (const toml::table* t = subTable(top, "input")) {
    Section sec(*t, "[input]", issues);
    readDevice(sec, true, &s.inputDevice);
    readChannels(sec, &s.inputChannels, &s.inputChannelMap);
    sec.warnUnknown();
  }
  if (const toml::table* t = subTable(top, "log")) {
    Section sec(*t, "[log]", issues);
    if (auto l = sec.keyword("level", {"off", "error", "warning", "info", "debug"})) {
      s.logLevel = static_cast<LogLevel>(*l);
    }
    if (auto f = sec.string("file", "a file path in quotes")) s.logFile = *f;
    sec.warnUnknown();
  }
  top.warnUnknown();
  *out = std::move(s);
}

// --- rendering ---------------------------------------------------------------

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      static const char hex[] = "0123456789ABCDEF";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string listOf(const std::vector<std::int32_t>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
  return out + "]";
}

// A float that reads back as the same double, and as a float (with a dot).
std::string tomlFloat(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  std::string s = out.str();
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string sampleTypeName(asio::SampleType t) {
  switch (t) {
    case asio::SampleType::Int32LSB: return "int32";
    case asio::SampleType::Int24LSB: return "int24";
    case asio::SampleType::Int16LSB: return "int16";
    case asio::SampleType::Float64LSB: return "float64";
    default: return "float32";
  }
}

void renderSide(std::ostringstream& out, const char* table, const std::string& device, std::int32_t channels,
                const std::vector<std::int32_t>& map, bool input) {
  out << "\n[" << table << "]\n";
  if (input) {
    out << "# \"default\", \"none\", \"loopback:<output device>\" (what an output plays), a name or an id\n";
  } else {
    out << "# \"default\", \"none\", a device name (e.g. \"Speakers\") or an endpoint id\n";
  }
  out << "device = " << quoted(device) << "\n";
  out << "# host channels; 0 = as many as the device has (or as channel_map lists)\n";
  out << "channels = " << channels << "\n";
  out << "# host channel i -> device channel channel_map[i], counted from 0; e.g. [1, 0] swaps a pair\n";
  if (map.empty()) {
    out << "# channel_map = [0, 1]\n";
  } else {
    out << "channel_map = " << listOf(map) << "\n";
  }
}

}  // namespace

LoadResult parse(std::string_view text, std::string_view fileName) {
  LoadResult result;
  Issues issues{std::string(fileName)};
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(fileName));
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    // toml++ says "Error while parsing value: could not determine value
    // type"; the user needs only what was wrong.
    if (what.rfind("Error while parsing ", 0) == 0) {
      if (const std::size_t colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    }
    result.status = Status::failure(
        asio::err::kInvalidParameter,
        Issues::fit(std::string(fileName) + ":" + std::to_string(e.source().begin.line) + ": TOML syntax error: " + what));
    return result;
  }
  DriverSettings settings;
  readDocument(root, issues, &settings);
  result.warnings = issues.warnings();
  if (issues.failed()) {
    result.status = Status::failure(asio::err::kInvalidParameter, issues.firstError());
    return result;  // the defaults: nothing half-applied
  }
  result.settings = std::move(settings);
  return result;
}

LoadResult load(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    if (!ec) return {};  // no file: the defaults
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.status = Status::failure(asio::err::kInvalidParameter,
                                    Issues::fit(name + ": cannot be read (" + (ec ? ec.message() : "no access") + ")"));
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    LoadResult result;
    result.status = Status::failure(asio::err::kInvalidParameter, Issues::fit(name + ": cannot be read (read error)"));
    return result;
  }
  return parse(text.str(), name);
}

std::string render(const DriverSettings& s) {
  std::ostringstream out;
  out << "# asio2wasapi driver settings. Every option: docs/CONFIGURATION.md.\n"
         "# Saved while a host uses the driver, a valid change asks the host to reset.\n\n";
  const bool exclusive = s.mode == StreamMode::ExclusiveEvent || s.mode == StreamMode::ExclusivePoll;
  out << "# \"auto\" (exclusive, else shared), \"exclusive\" (lowest latency) or \"shared\" (with other programs)\n";
  out << "mode = \"" << (exclusive ? "exclusive" : s.mode == StreamMode::SharedEvent ? "shared" : "auto") << "\"\n";
  out << "# true: exclusive mode without the device's event (for devices whose events are broken)\n";
  out << "polling = " << (s.mode == StreamMode::ExclusivePoll ? "true" : "false") << "\n";
  out << "# the buffer: buffer_frames (16..32768) or buffer_ms (0.5..1000), not both; none = the device's\n";
  if (s.bufferMs > 0) {
    out << "buffer_ms = " << tomlFloat(s.bufferMs) << "\n";
  } else if (s.bufferFrames > 0) {
    out << "buffer_frames = " << s.bufferFrames << "\n";
  } else {
    out << "# buffer_frames = 256\n";
  }
  out << "# Hz at start; none = the device's own rate\n";
  if (s.sampleRate > 0) {
    out << "sample_rate = " << tomlFloat(s.sampleRate) << "\n";
  } else {
    out << "# sample_rate = 48000.0\n";
  }
  out << "# what the host sees: \"float32\", \"int32\", \"int24\", \"int16\" or \"float64\"\n";
  out << "sample_type = \"" << sampleTypeName(s.hostSampleType) << "\"\n";
  out << "# input resampling against clock drift: \"auto\", \"on\" or \"off\"\n";
  out << "drift_compensation = \""
      << (s.driftCompensation == DriftCompensation::On ? "on" : s.driftCompensation == DriftCompensation::Off ? "off" : "auto")
      << "\"\n";
  out << "# TPDF dither when the device has fewer bits than the host\n";
  out << "dither = " << (s.dither ? "true" : "false") << "\n";
  renderSide(out, "output", s.outputDevice, s.outputChannels, s.outputChannelMap, false);
  renderSide(out, "input", s.inputDevice, s.inputChannels, s.inputChannelMap, true);
  out << "\n[log]\n";
  out << "# \"off\", \"error\", \"warning\", \"info\" or \"debug\"\n";
  out << "level = \"" << toString(s.logLevel) << "\"\n";
  out << "# \"\" = the default log file\n";
  out << "file = " << quoted(s.logFile) << "\n";
  return out.str();
}

Status save(const std::filesystem::path& file, const DriverSettings& settings) {
  namespace fs = std::filesystem;
  const std::string name = file.filename().string();
  auto failed = [&](const std::string& what, const std::error_code& ec) {
    return Status::failure(asio::err::kInvalidParameter,
                           Issues::fit(name + ": cannot " + what + (ec ? " (" + ec.message() + ")" : std::string())));
  };
  std::error_code ec;
  if (file.has_parent_path()) {
    fs::create_directories(file.parent_path(), ec);
    if (ec) return failed("create its folder", ec);
  }
  fs::path temporary = file;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return failed("be written", {});
    out << render(settings);
    out.flush();
    if (!out) {
      out.close();
      fs::remove(temporary, ec);
      return failed("be written", {});
    }
  }
  if (fs::exists(file, ec)) {
    fs::path backup = file;
    backup += ".bak";
    fs::copy_file(file, backup, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return failed("be backed up", ec);
    }
  }
  fs::rename(temporary, file, ec);
  if (ec) {
    // Some runtimes refuse to rename over an existing file: the backup holds
    // the old contents, so replacing in two steps loses nothing.
    std::error_code removed;
    fs::remove(file, removed);
    ec.clear();
    fs::rename(temporary, file, ec);
  }
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return failed("be replaced", ec);
  }
  return Status::success();
}

}  // namespace a2w::config
