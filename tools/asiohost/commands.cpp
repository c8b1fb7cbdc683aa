#include "commands.h"

#include <algorithm>
#include <objbase.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "common/json_writer.h"
#include "core/vendor_selectors.h"
#include "common/sample_writer.h"
#include "driver_registry.h"
#include "host_error.h"
#include "loaded_driver.h"
#include "win_text.h"

namespace a2w::host {
namespace {

constexpr double kCommonRates[] = {44100, 48000, 88200, 96000, 176400, 192000};
constexpr std::size_t kMaxListedSizes = 64;

// disposeBuffers() on every way out once createBuffers succeeded.
class BuffersGuard {
 public:
  explicit BuffersGuard(const LoadedDriver& driver) : driver_(driver) {}
  BuffersGuard(const BuffersGuard&) = delete;
  BuffersGuard& operator=(const BuffersGuard&) = delete;
  ~BuffersGuard() { dispose(); }
  void created() { active_ = true; }
  asio::Error dispose() {
    if (!active_) return asio::err::kOk;
    active_ = false;
    return driver_->disposeBuffers();
  }

 private:
  const LoadedDriver& driver_;
  bool active_ = false;
};

// stop() on every way out once start succeeded.
class StartGuard {
 public:
  explicit StartGuard(const LoadedDriver& driver) : driver_(driver) {}
  StartGuard(const StartGuard&) = delete;
  StartGuard& operator=(const StartGuard&) = delete;
  ~StartGuard() { stop(); }
  void started() { active_ = true; }
  asio::Error stop() {
    if (!active_) return asio::err::kOk;
    active_ = false;
    return driver_->stop();
  }

 private:
  const LoadedDriver& driver_;
  bool active_ = false;
};

void writeFile(const std::string& path, const std::string& text) {
  // Through a wide path: report names may hold characters outside the ANSI code page.
  std::ofstream file(std::filesystem::path(toUtf16(path)), std::ios::binary | std::ios::trunc);
  file << text;
  if (!file.good()) driverError("cannot write \"" + path + "\"");
}

std::string rateText(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", rate);
  return text;
}

// ---------------------------------------------------------------- probe --

struct ChannelReport {
  bool isInput = false;
  std::int32_t index = 0;
  std::string name;
  std::int32_t typeCode = 0;
  std::string typeName;
  std::int32_t group = 0;
};

struct ClockReport {
  std::int32_t index = 0;
  std::string name;
  bool current = false;
};

// What an asio2wasapi driver says is running (its vendor future selector);
// "" for any other driver, which answers the selector as unknown.
std::string streamStatus(LoadedDriver& d) {
  char text[a2w::vendor::kStreamStatusBytes] = {};
  if (d->future(a2w::vendor::kGetStreamStatus, text) != asio::err::kSuccess) return {};
  text[sizeof text - 1] = '\0';
  return text;
}

struct ProbeResult {
  std::string registryName, driverName;
  std::int32_t driverVersion = 0;
  std::int32_t inputs = 0, outputs = 0;
  std::vector<ChannelReport> channels;
  std::int32_t minSize = 0, maxSize = 0, preferredSize = 0, granularity = 0;
  std::vector<std::int32_t> sizes;
  bool sizesTruncated = false;
  std::vector<double> supportedRates;
  double currentRate = 0;
  std::vector<ClockReport> clocks;
  bool latenciesKnown = false;
  std::int32_t inputLatency = 0, outputLatency = 0;
  bool canTimeInfo = false, canReportOverload = false;
  std::string streamStatus;  // asio2wasapi only: what createBuffers opened
  std::vector<std::string> errors;
};

std::vector<std::int32_t> impliedSizes(const ProbeResult& p, bool& truncated) {
  std::vector<std::int32_t> sizes;
  truncated = false;
  if (p.minSize <= 0 || p.maxSize < p.minSize || p.granularity == 0) {
    sizes.push_back(p.preferredSize);  // granularity 0: the one size min == max == preferred
    return sizes;
  }
  if (p.granularity == -1) {  // powers of two from min to max
    for (std::int64_t s = 1; s <= p.maxSize; s *= 2) {
      if (s >= p.minSize) sizes.push_back(static_cast<std::int32_t>(s));
    }
    return sizes;
  }
  if (p.granularity < 0) {
    sizes.push_back(p.preferredSize);
    return sizes;
  }
  for (std::int64_t s = p.minSize; s <= p.maxSize; s += p.granularity) {
    if (sizes.size() == kMaxListedSizes) {
      truncated = true;
      break;
    }
    sizes.push_back(static_cast<std::int32_t>(s));
  }
  return sizes;
}

std::vector<ChannelReport> readChannels(const LoadedDriver& d, bool isInput, std::int32_t count,
                                        std::vector<std::string>& errors) {
  std::vector<ChannelReport> channels;
  for (std::int32_t i = 0; i < count; ++i) {
    asio::ChannelInfo info{};
    info.channel = i;
    info.isInput = isInput ? asio::kTrue : asio::kFalse;
    const asio::Error rc = d->getChannelInfo(&info);
    if (rc != asio::err::kOk) {
      errors.push_back(d.failure(std::string("getChannelInfo(") + (isInput ? "input " : "output ") + std::to_string(i) + ")", rc));
      continue;
    }
    info.name[asio::kChannelNameBytes - 1] = '\0';  // never trust the driver to terminate it
    ChannelReport c;
    c.isInput = isInput;
    c.index = i;
    c.name = info.name;
    c.typeCode = static_cast<std::int32_t>(info.type);
    c.typeName = sampleTypeName(info.type);
    c.group = info.channelGroup;
    channels.push_back(std::move(c));
  }
  return channels;
}

ProbeResult runProbe(const DriverEntry& entry) {
  LoadedDriver d(entry);
  ProbeResult p;
  p.registryName = entry.name;
  p.driverName = d.driverName();
  p.driverVersion = d->getDriverVersion();

  d.check("getChannels", d->getChannels(&p.inputs, &p.outputs));
  for (bool isInput : {true, false}) {
    auto list = readChannels(d, isInput, isInput ? p.inputs : p.outputs, p.errors);
    p.channels.insert(p.channels.end(), list.begin(), list.end());
  }

  asio::Error rc = d->getBufferSize(&p.minSize, &p.maxSize, &p.preferredSize, &p.granularity);
  if (rc != asio::err::kOk) {
    p.errors.push_back(d.failure("getBufferSize", rc));
  } else {
    p.sizes = impliedSizes(p, p.sizesTruncated);
  }

  for (double rate : kCommonRates) {
    if (d->canSampleRate(rate) == asio::err::kOk) p.supportedRates.push_back(rate);  // NoClock is a plain "no"
  }
  rc = d->getSampleRate(&p.currentRate);
  if (rc != asio::err::kOk) p.errors.push_back(d.failure("getSampleRate", rc));

  asio::ClockSource clocks[32] = {};
  std::int32_t clockCount = 32;  // in: room in the array; out: how many
  rc = d->getClockSources(clocks, &clockCount);
  if (rc != asio::err::kOk) {
    p.errors.push_back(d.failure("getClockSources", rc));
  } else {
    for (std::int32_t i = 0; i < clockCount && i < 32; ++i) {
      clocks[i].name[asio::kClockNameBytes - 1] = '\0';
      p.clocks.push_back({clocks[i].index, clocks[i].name, clocks[i].isCurrentSource != 0});
    }
  }

  p.canTimeInfo = d->future(asio::fut::kCanTimeInfo, nullptr) == asio::err::kSuccess;
  p.canReportOverload = d->future(asio::fut::kCanReportOverload, nullptr) == asio::err::kSuccess;

  // Latencies are only meaningful once buffers exist: real hosts ask after
  // createBuffers, so create every channel at the preferred size, ask, dispose.
  if (p.preferredSize > 0 && p.inputs + p.outputs > 0) {
    CallbackSession session(d.get(), true);
    std::vector<asio::BufferInfo> infos;
    for (std::int32_t i = 0; i < p.inputs; ++i) infos.push_back({asio::kTrue, i, {nullptr, nullptr}});
    for (std::int32_t i = 0; i < p.outputs; ++i) infos.push_back({asio::kFalse, i, {nullptr, nullptr}});
    BuffersGuard buffers(d);
    rc = d->createBuffers(infos.data(), static_cast<std::int32_t>(infos.size()), p.preferredSize, session.callbacks());
    if (rc != asio::err::kOk) {
      p.errors.push_back(d.failure("createBuffers (" + std::to_string(p.preferredSize) + " frames)", rc));
    } else {
      buffers.created();
      p.streamStatus = streamStatus(d);
      rc = d->getLatencies(&p.inputLatency, &p.outputLatency);
      if (rc != asio::err::kOk) {
        p.errors.push_back(d.failure("getLatencies", rc));
      } else {
        p.latenciesKnown = true;
      }
      rc = buffers.dispose();
      if (rc != asio::err::kOk) p.errors.push_back(d.failure("disposeBuffers", rc));
    }
  }
  return p;
}

void printProbe(const ProbeResult& p) {
  std::printf("driver: %s (registered as \"%s\"), version %d\n", p.driverName.c_str(), p.registryName.c_str(),
              static_cast<int>(p.driverVersion));
  std::printf("channels: %d inputs, %d outputs\n", static_cast<int>(p.inputs), static_cast<int>(p.outputs));
  for (const auto& c : p.channels) {
    std::printf("  %-6s %2d  %-32s %s (group %d)\n", c.isInput ? "input" : "output", static_cast<int>(c.index),
                c.name.c_str(), c.typeName.c_str(), static_cast<int>(c.group));
  }
  std::printf("buffer size: min %d, max %d, preferred %d, granularity %d\n", static_cast<int>(p.minSize),
              static_cast<int>(p.maxSize), static_cast<int>(p.preferredSize), static_cast<int>(p.granularity));
  std::printf("  sizes:");
  for (auto s : p.sizes) std::printf(" %d", static_cast<int>(s));
  std::printf("%s\n", p.sizesTruncated ? " ..." : "");
  std::printf("sample rates:");
  for (double r : p.supportedRates) std::printf(" %s", rateText(r).c_str());
  std::printf("%s\n", p.supportedRates.empty() ? " (none of the common rates)" : "");
  std::printf("current rate: %s\n", rateText(p.currentRate).c_str());
  std::printf("clock sources:");
  for (const auto& c : p.clocks) std::printf(" [%d] %s%s", static_cast<int>(c.index), c.name.c_str(), c.current ? " (current)" : "");
  std::printf("\n");
  if (p.latenciesKnown) {
    std::printf("latencies (at %d frames): input %d, output %d frames\n", static_cast<int>(p.preferredSize),
                static_cast<int>(p.inputLatency), static_cast<int>(p.outputLatency));
  } else {
    std::printf("latencies: unknown\n");
  }
  if (!p.streamStatus.empty()) std::printf("stream: %s\n", p.streamStatus.c_str());
  std::printf("future(kCanTimeInfo): %s\n", p.canTimeInfo ? "yes" : "no");
  std::printf("future(kCanReportOverload): %s\n", p.canReportOverload ? "yes" : "no");
  for (const auto& e : p.errors) std::printf("error: %s\n", e.c_str());
}

std::string probeJson(const ProbeResult& p) {
  JsonWriter w;
  w.beginObject()
      .field("driver", p.registryName)
      .field("driver_name", p.driverName)
      .field("driver_version", p.driverVersion)
      .field("input_channels", p.inputs)
      .field("output_channels", p.outputs);
  w.key("channels").beginArray();
  for (const auto& c : p.channels) {
    w.beginObject()
        .field("direction", c.isInput ? "input" : "output")
        .field("index", c.index)
        .field("name", c.name)
        .field("sample_type", c.typeName)
        .field("sample_type_code", c.typeCode)
        .field("group", c.group)
        .endObject();
  }
  w.endArray();
  w.key("buffer_size")
      .beginObject()
      .field("min", p.minSize)
      .field("max", p.maxSize)
      .field("preferred", p.preferredSize)
      .field("granularity", p.granularity);
  w.key("sizes").beginArray();
  for (auto s : p.sizes) w.value(s);
  w.endArray().field("sizes_truncated", p.sizesTruncated).endObject();
  w.key("supported_sample_rates").beginArray();
  for (double r : p.supportedRates) w.value(r);
  w.endArray();
  w.field("sample_rate", p.currentRate);
  w.key("clock_sources").beginArray();
  for (const auto& c : p.clocks) w.beginObject().field("index", c.index).field("name", c.name).field("current", c.current).endObject();
  w.endArray();
  w.key("input_latency_frames");
  if (p.latenciesKnown) w.value(p.inputLatency); else w.null();
  w.key("output_latency_frames");
  if (p.latenciesKnown) w.value(p.outputLatency); else w.null();
  w.field("can_time_info", p.canTimeInfo).field("can_report_overload", p.canReportOverload);
  w.field("driver_status", p.streamStatus);
  w.key("errors").beginArray();
  for (const auto& e : p.errors) w.value(e);
  w.endArray().endObject();
  return w.text();
}

// ----------------------------------------------------------------- play --

struct PlayResult {
  std::string driver;
  std::int32_t driverVersion = 0;
  double sampleRate = 0;
  std::int32_t bufferFrames = 0;
  std::int32_t outputChannels = 0;
  std::string sampleType;
  double seconds = 0, elapsedSeconds = 0;
  bool timeInfo = false;
  bool started = false;
  std::uint64_t expectedSwitches = 0;
  std::uint64_t signalFrames = 0;  // frames of test signal to play
  std::uint64_t tailFrames = 0;    // silence after it, so all of it is heard before stop
  std::uint64_t signalFramesPlayed = 0;
  std::int32_t inputLatency = -1, outputLatency = -1;
  std::string streamStatus;  // asio2wasapi only: the mode and format actually running
  bool stoppedEarly = false;
  SessionStats stats;
  std::vector<std::string> errors;
};

void runPlay(const DriverEntry& entry, const PlayOptions& o, PlayResult& r) {
  r.driver = entry.name;
  r.seconds = o.seconds;
  r.timeInfo = o.timeInfo;
  LoadedDriver d(entry);
  r.driverVersion = d->getDriverVersion();

  std::int32_t inputs = 0, outputs = 0;
  d.check("getChannels", d->getChannels(&inputs, &outputs));
  if (outputs <= 0) driverError("driver \"" + entry.name + "\" has no output channels");
  const std::int32_t count = o.channels.value_or(outputs);
  if (count > outputs) {
    driverError("--channels " + std::to_string(count) + " but driver \"" + entry.name + "\" has " +
                std::to_string(outputs) + " outputs");
  }
  r.outputChannels = count;

  std::vector<OutputBuffer> out(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) {
    asio::ChannelInfo info{};
    info.channel = i;
    info.isInput = asio::kFalse;
    d.check("getChannelInfo(output " + std::to_string(i) + ")", d->getChannelInfo(&info));
    info.name[asio::kChannelNameBytes - 1] = '\0';
    if (!canWrite(info.type)) {
      driverError("output " + std::to_string(i) + " (\"" + std::string(info.name) + "\") has sample type " +
                  sampleTypeName(info.type) + ", which asiohost cannot write");
    }
    out[static_cast<std::size_t>(i)].channel = i;
    out[static_cast<std::size_t>(i)].type = info.type;
    const std::string name = sampleTypeName(info.type);
    if (r.sampleType.empty()) r.sampleType = name;
    else if (r.sampleType != name) r.sampleType = "mixed";
  }

  if (o.rate) d.check("setSampleRate(" + rateText(*o.rate) + ")", d->setSampleRate(*o.rate));
  d.check("getSampleRate", d->getSampleRate(&r.sampleRate));

  if (o.bufferFrames) {
    r.bufferFrames = *o.bufferFrames;
  } else {
    std::int32_t mn = 0, mx = 0, pref = 0, gran = 0;
    d.check("getBufferSize", d->getBufferSize(&mn, &mx, &pref, &gran));
    r.bufferFrames = pref;
  }
  if (r.bufferFrames <= 0) driverError("driver's preferred buffer size is " + std::to_string(r.bufferFrames));

  // Order matters for teardown: stop, then dispose, then the session goes,
  // then the driver is released (members destroy in reverse).
  CallbackSession session(d.get(), o.timeInfo);
  BuffersGuard buffers(d);
  StartGuard running(d);

  std::vector<asio::BufferInfo> infos;
  for (std::int32_t i = 0; i < count; ++i) infos.push_back({asio::kFalse, i, {nullptr, nullptr}});
  d.check("createBuffers (" + std::to_string(count) + " outputs, " + std::to_string(r.bufferFrames) + " frames)",
          d->createBuffers(infos.data(), count, r.bufferFrames, session.callbacks()));
  buffers.created();
  for (std::int32_t i = 0; i < count; ++i) {
    const auto& info = infos[static_cast<std::size_t>(i)];
    auto& o2 = out[static_cast<std::size_t>(i)];
    if (!info.buffers[0] || !info.buffers[1]) {
      driverError("createBuffers returned a null buffer for output " + std::to_string(i));
    }
    o2.halves[0] = info.buffers[0];
    o2.halves[1] = info.buffers[1];
    // Start from silence in both halves: the driver may play a half before the first switch.
    for (int half = 0; half < 2; ++half) {
      for (std::int32_t f = 0; f < r.bufferFrames; ++f) writeSample(o2.halves[half], static_cast<std::size_t>(f), o2.type, 0.0);
    }
  }
  r.streamStatus = streamStatus(d);
  const asio::Error latencyRc = d->getLatencies(&r.inputLatency, &r.outputLatency);
  if (latencyRc != asio::err::kOk) {
    r.inputLatency = r.outputLatency = -1;
    r.errors.push_back(d.failure("getLatencies", latencyRc));
  }
  // Play exactly `seconds` of signal, then a silent tail as long as the
  // driver's reported output latency plus one buffer: by then every signal
  // frame has left the device, so a recording can check all of them.
  r.signalFrames = static_cast<std::uint64_t>(o.seconds * r.sampleRate + 0.5);
  r.tailFrames = static_cast<std::uint64_t>(std::max<std::int32_t>(r.outputLatency, 0) + r.bufferFrames);
  session.arm(std::move(out), r.bufferFrames, r.sampleRate, o.signal, r.signalFrames, r.tailFrames);

  LARGE_INTEGER freq, t0, t1;
  QueryPerformanceFrequency(&freq);
  d.check("start", d->start());
  running.started();
  r.started = true;
  QueryPerformanceCounter(&t0);

  // Ends early when the driver asks for a reset.
  const double runSeconds = static_cast<double>(r.signalFrames + r.tailFrames) / r.sampleRate;
  switch (session.waitUntilDone(2.0 * runSeconds + 5.0)) {
    case CallbackSession::WaitEnd::Done: break;  // signal and tail handed over
    case CallbackSession::WaitEnd::StopRequested: r.stoppedEarly = true; break;
    case CallbackSession::WaitEnd::TimedOut:
      r.errors.push_back("the driver handed over " + std::to_string(session.signalFramesWritten()) + " of " +
                         std::to_string(r.signalFrames) + " signal frames in " +
                         rateText(2.0 * runSeconds + 5.0) + " s; it stopped calling back");
      break;
    case CallbackSession::WaitEnd::Failed: driverError("waiting failed: error " + std::to_string(GetLastError()));
  }

  QueryPerformanceCounter(&t1);
  const asio::Error stopRc = running.stop();
  r.elapsedSeconds = static_cast<double>(t1.QuadPart - t0.QuadPart) / static_cast<double>(freq.QuadPart);
  if (stopRc != asio::err::kOk) r.errors.push_back(d.failure("stop", stopRc));
  const asio::Error disposeRc = buffers.dispose();
  if (disposeRc != asio::err::kOk) r.errors.push_back(d.failure("disposeBuffers", disposeRc));

  r.stats = session.stats();
  r.signalFramesPlayed = session.signalFramesWritten();
  r.expectedSwitches = static_cast<std::uint64_t>(r.elapsedSeconds * r.sampleRate / r.bufferFrames);
  // Problems seen in the callbacks come first: they usually explain the rest.
  r.errors.insert(r.errors.begin(), r.stats.errors.begin(), r.stats.errors.end());
  if (r.stats.resetRequests > 0) {
    r.errors.push_back("driver requested a reset after " + std::to_string(r.stats.bufferSwitches) +
                       " buffer switches; stopped early");
  }
  if (r.stats.bufferSizeChanges > 0) {
    r.errors.push_back("driver asked for a buffer size change after " + std::to_string(r.stats.bufferSwitches) +
                       " buffer switches; stopped early");
  }
  if (r.stats.bufferSwitches == 0) {
    r.errors.push_back("driver never called bufferSwitch in " + rateText(r.elapsedSeconds) + " s");
  } else if (r.stats.bufferSwitches * 2 < r.expectedSwitches) {
    r.errors.push_back("only " + std::to_string(r.stats.bufferSwitches) + " buffer switches, expected about " +
                       std::to_string(r.expectedSwitches));
  }
  // Without time info, getSamplePosition must at least have moved.
  if (r.stats.samplePositionOk && r.stats.bufferSwitches >= 2 &&
      r.stats.lastSamplePosition <= r.stats.firstSamplePosition) {
    r.stats.samplePositionOk = false;
    r.errors.push_back("sample position did not advance (stayed at " + std::to_string(r.stats.firstSamplePosition) + ")");
  }
}

std::string playJson(const PlayResult& r) {
  const auto& s = r.stats;
  JsonWriter w;
  w.beginObject()
      .field("driver", r.driver)
      .field("driver_version", r.driverVersion)
      .field("sample_rate", r.sampleRate)
      .field("buffer_frames", r.bufferFrames)
      .field("output_channels", r.outputChannels)
      .field("sample_type", r.sampleType)
      .field("seconds", r.seconds)
      .field("elapsed_seconds", r.elapsedSeconds)
      .field("frames_played", r.signalFramesPlayed)
      .field("tail_frames", r.tailFrames)
      .field("buffer_switches", s.bufferSwitches)
      .field("time_info_switches", s.timeInfoSwitches)
      .field("expected_buffer_switches", r.expectedSwitches)
      .field("time_info", r.timeInfo)
      .field("driver_status", r.streamStatus);
  w.key("callback_interval_us")
      .beginObject()
      .field("mean", s.interval.meanUs)
      .field("min", s.interval.minUs)
      .field("max", s.interval.maxUs)
      .field("stddev", s.interval.stddevUs)
      .endObject();
  w.key("reported_input_latency_frames");
  if (r.inputLatency >= 0) w.value(r.inputLatency); else w.null();
  w.key("reported_output_latency_frames");
  if (r.outputLatency >= 0) w.value(r.outputLatency); else w.null();
  w.field("reset_requests", s.resetRequests)
      .field("overloads", s.overloads)
      .field("resync_requests", s.resyncRequests)
      .field("latency_changes", s.latencyChanges)
      .field("buffer_size_changes", s.bufferSizeChanges)
      .field("output_ready_used", s.outputReadyUsed)
      .field("first_sample_position", s.firstSamplePosition)
      .field("sample_position_ok", s.samplePositionOk);
  w.key("errors").beginArray();
  for (const auto& e : r.errors) w.value(e);
  w.endArray().endObject();
  return w.text();
}

void printPlay(const PlayResult& r, const PlayOptions& o) {
  const auto& s = r.stats;
  std::printf("driver: %s (version %d)\n", r.driver.c_str(), static_cast<int>(r.driverVersion));
  std::printf("played %d output channel(s), %s, %s Hz, %d frames, %s signal, time info %s, %.3f s\n",
              static_cast<int>(r.outputChannels), r.sampleType.c_str(), rateText(r.sampleRate).c_str(),
              static_cast<int>(r.bufferFrames), o.signal == Signal::Sequence ? "sequence" : "sine",
              r.timeInfo ? "yes" : "no", r.elapsedSeconds);
  std::printf("buffer switches: %llu (expected %llu), of which bufferSwitchTimeInfo: %llu\n",
              static_cast<unsigned long long>(s.bufferSwitches), static_cast<unsigned long long>(r.expectedSwitches),
              static_cast<unsigned long long>(s.timeInfoSwitches));
  std::printf("callback interval: mean %.1f us, min %.1f, max %.1f, jitter (stddev) %.1f us\n", s.interval.meanUs,
              s.interval.minUs, s.interval.maxUs, s.interval.stddevUs);
  std::printf("latencies: input %d, output %d frames\n", static_cast<int>(r.inputLatency), static_cast<int>(r.outputLatency));
  if (!r.streamStatus.empty()) std::printf("stream: %s\n", r.streamStatus.c_str());
  std::printf("outputReady: %s; resets %d, overloads %d, resyncs %d; sample position %s\n",
              s.outputReadyUsed ? "used" : "not supported", s.resetRequests, s.overloads, s.resyncRequests,
              s.samplePositionOk ? "ok" : "WRONG");
}

ProbeResult probeByName(const std::string& name) {
  const auto drivers = installedDrivers();
  return runProbe(findDriver(drivers, name));
}

}  // namespace

// ------------------------------------------------------------- commands --

int commandList() {
  const auto drivers = installedDrivers();
  if (drivers.empty()) {
    std::printf("no ASIO drivers installed (HKLM\\SOFTWARE\\ASIO is empty)\n");
    return kExitOk;
  }
  for (const auto& d : drivers) {
    std::printf("%s\n  CLSID: %s%s\n  DLL:   %s\n", d.name.c_str(), d.clsidText.c_str(), d.clsidValid ? "" : " (invalid)",
                d.dllPath.empty() ? "(not registered)" : d.dllPath.c_str());
    if (!d.description.empty()) std::printf("  Description: %s\n", d.description.c_str());
  }
  return kExitOk;
}

int commandProbe(const std::string& driver, const ProbeOptions& options) {
  const ProbeResult p = probeByName(driver);
  printProbe(p);
  if (!options.jsonPath.empty()) writeFile(options.jsonPath, probeJson(p));
  if (!p.errors.empty()) {
    std::fprintf(stderr, "asiohost: probe: %s\n", p.errors.front().c_str());
    return kExitDriverError;
  }
  return kExitOk;
}

int commandPlay(const std::string& driver, const PlayOptions& options) {
  const auto drivers = installedDrivers();
  const DriverEntry& entry = findDriver(drivers, driver);
  PlayResult r;
  try {
    runPlay(entry, options, r);
  } catch (const HostError& e) {
    // Still write the report: a failed run is worth a record too.
    r.errors.push_back(e.what());
    if (!options.reportPath.empty()) writeFile(options.reportPath, playJson(r));
    throw;
  }
  printPlay(r, options);
  if (!options.reportPath.empty()) writeFile(options.reportPath, playJson(r));
  for (const auto& e : r.errors) std::fprintf(stderr, "asiohost: %s\n", e.c_str());
  return r.errors.empty() ? kExitOk : kExitDriverError;
}

int commandCycle(const std::string& driver, int times, const PlayOptions& options) {
  const auto drivers = installedDrivers();
  const DriverEntry& entry = findDriver(drivers, driver);
  int failed = 0;
  for (int round = 1; round <= times; ++round) {
    std::string problem;
    std::uint64_t switches = 0;
    try {
      const ProbeResult p = runProbe(entry);
      // Let COM unload the DLL if the driver says it can (DllCanUnloadNow):
      // the next load then really maps it again, as after a host restart.
      CoFreeUnusedLibrariesEx(0, 0);
      if (!p.errors.empty()) {
        problem = "probe: " + p.errors.front();
      } else {
        PlayResult r;
        runPlay(entry, options, r);
        CoFreeUnusedLibrariesEx(0, 0);
        switches = r.stats.bufferSwitches;
        if (!options.reportPath.empty()) writeFile(options.reportPath, playJson(r));
        if (!r.errors.empty()) problem = "play: " + r.errors.front();
      }
    } catch (const HostError& e) {
      problem = e.what();
    }
    if (problem.empty()) {
      std::printf("round %d/%d: probe ok, play ok (%llu buffer switches)\n", round, times,
                  static_cast<unsigned long long>(switches));
    } else {
      ++failed;
      std::printf("round %d/%d: FAILED: %s\n", round, times, problem.c_str());
    }
    std::fflush(stdout);
  }
  if (failed > 0) {
    std::fprintf(stderr, "asiohost: cycle: %d of %d rounds failed\n", failed, times);
    return kExitDriverError;
  }
  std::printf("cycle: all %d rounds passed\n", times);
  return kExitOk;
}

}  // namespace a2w::host
