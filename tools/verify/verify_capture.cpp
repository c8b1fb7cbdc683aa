// verify_capture: checks a raw recording of the test sequence against what the
// ASIO host played, and optionally merges the host's JSON report with the
// result into one report (the demo's build/demo/report.json).
//
// Exit status: 0 the capture is a clean, complete, in-order, bit-exact copy
// (and the host reported no errors); 1 it is not; 2 usage or I/O error.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "verify/capture_analysis.h"
#include "verify/json.h"

namespace {

using a2w::json::Array;
using a2w::json::Object;
using a2w::json::Value;
namespace v = a2w::verify;

constexpr const char* kUsage =
    "usage: verify_capture [options] CAPTURE\n"
    "  CAPTURE              raw little-endian interleaved samples (parec --raw, ALSA file plugin)\n"
    "  --channels N         channels in the capture (default 2)\n"
    "  --format F           float32|int16|int24|int32|auto (default float32; auto tries each)\n"
    "  --frames N           frames the host played (default: frames_played from --host-report)\n"
    "  --host-report FILE   the host's JSON report, merged into --json output\n"
    "  --mode M             WASAPI mode used, recorded in the report\n"
    "  --device D           output device used, recorded in the report\n"
    "  --stop-allowance N|auto  frames at the end that may be missing because they were\n"
    "                       still queued when the host called stop() (default 0; auto:\n"
    "                       the host's reported output latency plus one buffer)\n"
    "  --json FILE          write the (merged) report as JSON\n"
    "  --quiet              no summary on stdout\n"
    "  --drained N          only check that the capture holds signal followed by at\n"
    "                       least N silent frames (exit 0 yes, 1 not yet)\n"
    "  --generate N         instead, write frames 0..N-1 of the sequence to CAPTURE in\n"
    "                       --format and --channels (to test the capture path itself)\n";

struct Args {
  std::string capture;
  std::uint32_t channels = 2;
  std::string format = "float32";
  std::optional<std::uint64_t> frames;
  std::string hostReport;
  std::string mode;
  std::string device;
  std::string json;
  bool quiet = false;
  std::optional<std::uint64_t> drained;
  std::optional<std::uint64_t> generate;
  std::string stopAllowance = "0";
};

[[noreturn]] void usage(const std::string& why) {
  if (!why.empty()) std::cerr << "verify_capture: " << why << "\n";
  std::cerr << kUsage;
  std::exit(2);
}

std::uint64_t number(std::string_view opt, const char* text) {
  char* end = nullptr;
  const unsigned long long n = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0') usage(std::string(opt) + " needs a whole number");
  return n;
}

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) usage(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--channels") {
      a.channels = static_cast<std::uint32_t>(number(arg, next()));
      if (a.channels == 0 || a.channels > 64) usage("--channels must be 1..64");
    } else if (arg == "--format") {
      a.format = next();
    } else if (arg == "--frames") {
      a.frames = number(arg, next());
    } else if (arg == "--host-report") {
      a.hostReport = next();
    } else if (arg == "--mode") {
      a.mode = next();
    } else if (arg == "--device") {
      a.device = next();
    } else if (arg == "--json") {
      a.json = next();
    } else if (arg == "--quiet") {
      a.quiet = true;
    } else if (arg == "--drained") {
      a.drained = number(arg, next());
    } else if (arg == "--stop-allowance") {
      a.stopAllowance = next();
      if (a.stopAllowance != "auto") number(arg, a.stopAllowance.c_str());
    } else if (arg == "--generate") {
      a.generate = number(arg, next());
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (!arg.empty() && arg[0] == '-') {
      usage("unknown option " + std::string(arg));
    } else if (a.capture.empty()) {
      a.capture = arg;
    } else {
      usage("more than one capture file");
    }
  }
  if (a.capture.empty()) usage("no capture file");
  if (a.format != "auto" && !v::parseFormat(a.format)) usage("unknown format " + a.format);
  return a;
}

std::optional<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The member of the host report, or null.
Value member(const std::optional<Value>& host, std::string_view key) {
  if (!host) return Value();
  const Value* m = host->find(key);
  return m ? *m : Value();
}

std::string text(const Value& val) {
  if (val.isString()) return val.asString();
  if (val.isNumber() && val.asNumber() != static_cast<double>(static_cast<std::int64_t>(val.asNumber()))) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", val.asNumber());
    return buf;
  }
  if (val.isNull()) return "?";
  auto s = a2w::json::write(val);
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

Value eventsJson(const v::Result& r) {
  Array a;
  for (const auto& e : r.events) {
    Object o;
    switch (e.kind) {
      case v::Event::Kind::Jump:
        o = {{"kind", "jump"}, {"capture_frame", e.captureFrame}, {"expected_frame", e.expectedFrame}, {"found_frame", e.foundFrame}};
        break;
      case v::Event::Kind::SilentGap:
        o = {{"kind", "silent_gap"}, {"capture_frame", e.captureFrame}, {"expected_frame", e.expectedFrame}, {"gap_frames", e.foundFrame}};
        break;
      case v::Event::Kind::Corrupt:
        o = {{"kind", "corrupt"}, {"capture_frame", e.captureFrame}, {"expected_frame", e.expectedFrame}};
        break;
    }
    a.emplace_back(std::move(o));
  }
  return Value(std::move(a));
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parseArgs(argc, argv);

  if (args.generate) {
    const auto f = v::parseFormat(args.format).value_or(v::Format::Float32);
    std::vector<double> values;
    values.reserve(*args.generate * args.channels);
    for (std::uint64_t n = 0; n < *args.generate; ++n)
      for (std::uint32_t c = 0; c < args.channels; ++c) values.push_back(v::expectedValue(n, c, f));
    const auto raw = v::encode(values, f);
    std::ofstream out(args.capture, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
    return out ? 0 : 2;
  }

  const auto bytes = readFile(args.capture);
  if (!bytes) {
    std::cerr << "verify_capture: cannot read " << args.capture << "\n";
    return 2;
  }
  const std::span<const std::byte> raw(reinterpret_cast<const std::byte*>(bytes->data()), bytes->size());

  if (args.drained) {
    // auto means the first format in which the data is signal: any will do to
    // tell silence (all-zero bytes) from signal.
    const auto f = v::parseFormat(args.format).value_or(v::Format::Float32);
    return v::drained(raw, f, args.channels, *args.drained) ? 0 : 1;
  }

  std::optional<Value> host;
  if (!args.hostReport.empty()) {
    const auto t = readFile(args.hostReport);
    if (!t) {
      std::cerr << "verify_capture: cannot read host report " << args.hostReport << "\n";
      return 2;
    }
    std::string err;
    host = a2w::json::parse(*t, &err);
    if (!host || !host->isObject()) {
      std::cerr << "verify_capture: host report " << args.hostReport << " is not a JSON object: " << err << "\n";
      return 2;
    }
  }

  v::Options opt;
  opt.channels = args.channels;
  if (args.frames) {
    opt.framesPlayed = *args.frames;
  } else if (const Value fp = member(host, "frames_played"); fp.isNumber() && fp.asNumber() >= 0) {
    opt.framesPlayed = static_cast<std::uint64_t>(fp.asNumber());
  } else {
    usage("the frames played are unknown: give --frames or a --host-report with frames_played");
  }
  opt.format = args.format == "auto" ? v::detectFormat(raw, opt) : *v::parseFormat(args.format);

  std::uint64_t stopAllowance = 0;
  if (args.stopAllowance == "auto") {
    const Value lat = member(host, "reported_output_latency_frames");
    const Value buf = member(host, "buffer_frames");
    if (!lat.isNumber() || !buf.isNumber()) usage("--stop-allowance auto needs a host report with latency and buffer size");
    stopAllowance = static_cast<std::uint64_t>(std::max(0.0, lat.asNumber()) + std::max(0.0, buf.asNumber()));
  } else {
    stopAllowance = std::strtoull(args.stopAllowance.c_str(), nullptr, 10);
  }

  const v::Result r = v::analyzeRaw(raw, opt);
  std::vector<std::string> failures = r.failures(opt.framesPlayed, stopAllowance);
  const std::uint64_t unheard = r.locked && r.missingAtEnd <= stopAllowance ? r.missingAtEnd : 0;
  const Value hostErrors = member(host, "errors");
  if (hostErrors.isArray() && !hostErrors.asArray().empty())
    failures.push_back("the host reported " + std::to_string(hostErrors.asArray().size()) + " errors");
  const bool ok = failures.empty();

  Array failuresJson;
  for (const auto& f : failures) failuresJson.emplace_back(f);

  Object capture = {
      {"file", args.capture},
      {"format", v::toString(opt.format)},
      {"channels", static_cast<std::uint64_t>(opt.channels)},
      {"frames_captured", r.framesCaptured},
      {"lead_in_frames", r.leadInFrames},
      {"trailing_silence_frames", r.trailingSilenceFrames},
      {"locked", r.locked},
      {"first_frame", r.locked ? Value(r.firstFrame) : Value()},
      {"last_frame", r.locked ? Value(r.lastFrame) : Value()},
      {"missing_at_start", r.missingAtStart},
      {"missing_at_end", r.missingAtEnd},
      {"frames_repeated", r.framesRepeated},
      {"error_frames", r.errorFrames},
      {"unmatched_frames", r.unmatchedFrames},
      {"silent_gap_frames", r.silentGapFrames},
      {"frames_beyond_played", r.framesBeyondPlayed},
      {"events", eventsJson(r)},
  };

  Object report = {
      {"ok", ok},
      {"failures", Value(std::move(failuresJson))},
      {"driver", member(host, "driver")},
      {"driver_version", member(host, "driver_version")},
      {"mode", args.mode.empty() ? Value() : Value(args.mode)},
      {"device", args.device.empty() ? Value() : Value(args.device)},
      {"sample_rate", member(host, "sample_rate")},
      {"buffer_frames", member(host, "buffer_frames")},
      {"output_channels", member(host, "output_channels")},
      {"sample_type", member(host, "sample_type")},
      {"seconds", member(host, "seconds")},
      {"frames_played", opt.framesPlayed},
      {"frames_verified", r.framesVerified},
      {"frames_unheard_at_stop", unheard},
      {"stop_allowance_frames", stopAllowance},
      {"discontinuities", r.discontinuities},
      {"max_abs_error", r.maxAbsError},
      {"lead_in_frames", r.leadInFrames},
      {"reported_output_latency_frames", member(host, "reported_output_latency_frames")},
      {"reported_input_latency_frames", member(host, "reported_input_latency_frames")},
      {"buffer_switches", member(host, "buffer_switches")},
      {"expected_buffer_switches", member(host, "expected_buffer_switches")},
      {"callback_interval_us", member(host, "callback_interval_us")},
      {"overloads", member(host, "overloads")},
      {"reset_requests", member(host, "reset_requests")},
      {"sample_position_ok", member(host, "sample_position_ok")},
      {"capture", Value(std::move(capture))},
      {"host", host ? *host : Value()},
  };
  const Value reportJson(std::move(report));

  if (!args.json.empty()) {
    std::ofstream out(args.json, std::ios::binary | std::ios::trunc);
    out << a2w::json::write(reportJson);
    if (!out) {
      std::cerr << "verify_capture: cannot write " << args.json << "\n";
      return 2;
    }
  }

  if (!args.quiet) {
    std::ostringstream s;
    if (host) {
      s << "played:    " << text(member(host, "driver")) << " -> " << (args.device.empty() ? "?" : args.device) << " ("
        << (args.mode.empty() ? "?" : args.mode) << "), " << text(member(host, "sample_rate")) << " Hz, "
        << text(member(host, "output_channels")) << " ch " << text(member(host, "sample_type")) << ", buffer "
        << text(member(host, "buffer_frames")) << " frames\n";
    }
    s << "captured:  " << r.framesCaptured << " frames of " << v::toString(opt.format) << " x" << opt.channels << ", lead-in "
      << r.leadInFrames << " silent frames\n";
    s << "verified:  " << r.framesVerified << " of " << opt.framesPlayed << " frames played";
    if (unheard > 0) s << " (" << unheard << " still queued at stop, allowed " << stopAllowance << ")";
    s << ", " << r.discontinuities << " discontinuities, max abs error " << r.maxAbsError << "\n";
    if (host) {
      const Value j = member(host, "callback_interval_us");
      s << "latency:   reported output " << text(member(host, "reported_output_latency_frames")) << " frames, input "
        << text(member(host, "reported_input_latency_frames")) << " frames\n";
      if (j.isObject()) {
        s << "callbacks: " << text(member(host, "buffer_switches")) << " buffer switches (expected "
          << text(member(host, "expected_buffer_switches")) << "), interval mean "
          << text(j.find("mean") ? *j.find("mean") : Value()) << " us";
        if (const Value* sd = j.find("stddev")) s << ", stddev " << text(*sd) << " us";
        if (const Value* mn = j.find("min")) s << ", min " << text(*mn);
        if (const Value* mx = j.find("max")) s << ", max " << text(*mx);
        s << "\n";
      }
    }
    s << "result:    " << (ok ? "PASS" : "FAIL");
    for (std::size_t i = 0; i < failures.size(); ++i) s << (i == 0 ? ": " : "; ") << failures[i];
    s << "\n";
    std::cout << s.str();
  }
  return ok ? 0 : 1;
}
