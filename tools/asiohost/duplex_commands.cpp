// asiohost loopback and record: the commands that use the driver's inputs.
#include <windows.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>
#include <vector>

#include "commands.h"
#include "common/glitch_matching.h"
#include "common/json_writer.h"
#include "common/latency_changes.h"
#include "common/latency_verdict.h"
#include "common/loopback_analysis.h"
#include "common/sample_writer.h"
#include "common/test_signal.h"
#include "common/wav_file.h"
#include "core/vendor_selectors.h"
#include "driver_registry.h"
#include "host_error.h"
#include "loaded_driver.h"
#include "win_text.h"

namespace a2w::host {
namespace {

void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream file(std::filesystem::path(toUtf16(path)), std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file.good()) driverError("cannot write \"" + path + "\"");
}

std::string rateText(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", rate);
  return text;
}

std::string streamStatus(const LoadedDriver& d) {
  char text[a2w::vendor::kStreamStatusBytes] = {};
  if (d->future(a2w::vendor::kGetStreamStatus, text) != asio::err::kSuccess) return {};
  text[sizeof text - 1] = '\0';
  return text;
}

// The session's steps that undo themselves on every way out.
class Running {
 public:
  explicit Running(const LoadedDriver& d) : d_(d) {}
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;
  ~Running() {
    stop();
    dispose();
  }
  void buffersCreated() { buffers_ = true; }
  void started() { started_ = true; }
  asio::Error stop() {
    if (!started_) return asio::err::kOk;
    started_ = false;
    return d_->stop();
  }
  asio::Error dispose() {
    if (!buffers_) return asio::err::kOk;
    buffers_ = false;
    return d_->disposeBuffers();
  }

 private:
  const LoadedDriver& d_;
  bool buffers_ = false, started_ = false;
};

asio::ChannelInfo channelInfo(const LoadedDriver& d, bool input, std::int32_t channel) {
  asio::ChannelInfo info{};
  info.channel = channel;
  info.isInput = input ? asio::kTrue : asio::kFalse;
  d.check(std::string("getChannelInfo(") + (input ? "input " : "output ") + std::to_string(channel) + ")",
          d->getChannelInfo(&info));
  info.name[asio::kChannelNameBytes - 1] = '\0';
  if (!canWrite(info.type)) {
    driverError(std::string(input ? "input " : "output ") + std::to_string(channel) + " (\"" + info.name +
                "\") has sample type " + sampleTypeName(info.type) + ", which asiohost cannot handle");
  }
  return info;
}

struct Common {
  std::string driver;
  std::int32_t driverVersion = 0;
  double sampleRate = 0;
  std::int32_t bufferFrames = 0;
  // getLatencies: the latest figures (asked again after stop when the
  // driver sent kLatenciesChanged), the initial ones (before start), and
  // those asked on the main thread after each kLatenciesChanged.
  std::int32_t inputLatency = -1, outputLatency = -1;
  std::int32_t initialInputLatency = -1, initialOutputLatency = -1;
  std::vector<LatencySnapshot> latencySnapshots;
  // getLatencies term by term, from drivers that know our vendor selector.
  std::optional<a2w::vendor::LatencyParts> latencyParts;
  std::string streamStatus;
  double elapsedSeconds = 0;
  SessionStats stats;
  std::vector<std::string> errors;
};

void chooseRateAndBuffer(const LoadedDriver& d, const std::optional<double>& rate,
                         const std::optional<std::int32_t>& buffer, Common& c) {
  if (rate) d.check("setSampleRate(" + rateText(*rate) + ")", d->setSampleRate(*rate));
  d.check("getSampleRate", d->getSampleRate(&c.sampleRate));
  if (buffer) {
    c.bufferFrames = *buffer;
  } else {
    std::int32_t mn = 0, mx = 0, pref = 0, gran = 0;
    d.check("getBufferSize", d->getBufferSize(&mn, &mx, &pref, &gran));
    c.bufferFrames = pref;
  }
  if (c.bufferFrames <= 0) driverError("driver's preferred buffer size is " + std::to_string(c.bufferFrames));
}

std::optional<a2w::vendor::LatencyParts> latencyParts(const LoadedDriver& d) {
  a2w::vendor::LatencyParts parts{};
  parts.structBytes = sizeof parts;
  if (d->future(a2w::vendor::kGetLatencyParts, &parts) != asio::err::kSuccess) return std::nullopt;
  return parts;
}

void latencies(const LoadedDriver& d, Common& c) {
  c.streamStatus = streamStatus(d);
  c.latencyParts = latencyParts(d);
  const asio::Error rc = d->getLatencies(&c.inputLatency, &c.outputLatency);
  if (rc != asio::err::kOk) {
    c.inputLatency = c.outputLatency = -1;
    c.errors.push_back(d.failure("getLatencies", rc));
  }
}

// The first call, before start: the initial figures too.
void initialLatencies(const LoadedDriver& d, Common& c) {
  latencies(d, c);
  c.initialInputLatency = c.inputLatency;
  c.initialOutputLatency = c.outputLatency;
}

// start, wait for the session's done event, stop and dispose; the
// statistics into c.
void runUntilDone(const LoadedDriver& d, CallbackSession& session, Running& running, double runSeconds, Common& c) {
  LARGE_INTEGER freq, t0, t1;
  QueryPerformanceFrequency(&freq);
  d.check("start", d->start());
  running.started();
  // Said at once: a script that samples the machine while the stream runs
  // starts there (and stops at "stream stopped").
  std::printf("stream started\n");
  std::fflush(stdout);
  QueryPerformanceCounter(&t0);
  // kLatenciesChanged: ask again here on the main thread, as a host does.
  const auto latenciesChanged = [&] {
    LatencySnapshot snap;
    snap.messagesSeen = session.latencyChangesSeen();
    if (d->getLatencies(&snap.figures.input, &snap.figures.output) != asio::err::kOk) snap.figures = {};
    c.latencySnapshots.push_back(snap);
  };
  switch (session.waitUntilDone(2.0 * runSeconds + 5.0, latenciesChanged)) {
    case CallbackSession::WaitEnd::Done: break;
    case CallbackSession::WaitEnd::StopRequested:
      c.errors.push_back("the driver asked for a reset or a buffer size change; stopped early");
      break;
    case CallbackSession::WaitEnd::TimedOut:
      c.errors.push_back("the driver stopped calling back: " + std::to_string(session.recordedFrames()) +
                         " frames in " + rateText(2.0 * runSeconds + 5.0) + " s");
      break;
    case CallbackSession::WaitEnd::Failed: driverError("waiting failed: error " + std::to_string(GetLastError()));
  }
  QueryPerformanceCounter(&t1);
  const asio::Error stopRc = running.stop();
  c.elapsedSeconds = static_cast<double>(t1.QuadPart - t0.QuadPart) / static_cast<double>(freq.QuadPart);
  if (stopRc != asio::err::kOk) c.errors.push_back(d.failure("stop", stopRc));
  // The figures after the last kLatenciesChanged (those the verdict needs),
  // while the buffers still exist.
  if (session.latencyChangesSeen() > 0) latencies(d, c);
  const asio::Error disposeRc = running.dispose();
  if (disposeRc != asio::err::kOk) c.errors.push_back(d.failure("disposeBuffers", disposeRc));
  c.stats = session.stats();
  c.errors.insert(c.errors.begin(), c.stats.errors.begin(), c.stats.errors.end());
  if (c.stats.bufferSwitches == 0) c.errors.push_back("driver never called bufferSwitch");
}

void commonJson(JsonWriter& w, const Common& c) {
  w.field("driver", c.driver)
      .field("driver_version", c.driverVersion)
      .field("driver_status", c.streamStatus)
      .field("sample_rate", c.sampleRate)
      .field("buffer_frames", c.bufferFrames)
      .field("elapsed_seconds", c.elapsedSeconds)
      .field("buffer_switches", c.stats.bufferSwitches);
  w.key("reported_input_latency_frames");
  if (c.inputLatency >= 0) w.value(c.inputLatency); else w.null();
  w.key("reported_output_latency_frames");
  if (c.outputLatency >= 0) w.value(c.outputLatency); else w.null();
  // What each reported latency is made of (null: the driver does not say).
  w.key("reported_latency_parts");
  if (c.latencyParts) {
    const auto side = [&w](const char* name, const a2w::vendor::LatencyParts::Side& p) {
      w.key(name)
          .beginObject()
          .field("total", p.total)
          .field("buffer", p.buffer)
          .field("fifo", p.fifo)
          .field("queue", p.queue)
          .field("os", p.os)
          .endObject();
    };
    w.beginObject();
    side("input", c.latencyParts->input);
    side("output", c.latencyParts->output);
    w.endObject();
  } else {
    w.null();
  }
  w.key("callback_interval_us")
      .beginObject()
      .field("mean", c.stats.interval.meanUs)
      .field("min", c.stats.interval.minUs)
      .field("max", c.stats.interval.maxUs)
      .field("stddev", c.stats.interval.stddevUs)
      .endObject();
  w.field("reset_requests", c.stats.resetRequests)
      .field("overloads", c.stats.overloads);
}

double round2(double v) { return std::round(v * 100.0) / 100.0; }

// ------------------------------------------------------------- loopback --

struct LoopbackRun {
  Common c;
  double seconds = 0;
  std::int32_t outputChannel = 0, inputChannel = 0;
  std::string outputName, inputName, outputType, inputType;
  std::uint64_t signalFrames = 0, tailFrames = 0, recordedFrames = 0;
  std::size_t maxLag = 0;
  LoopbackResult a;
  // The breaks against the driver's kResyncRequest positions (glitch_matching.h).
  std::uint64_t glitchWindow = 0;
  GlitchMatch glitches;
  std::uint64_t lastThirtySecondsFrom = 0;  // played frame where the signal's last 30 s begin
  std::uint64_t breaksLastThirtySeconds = 0;
  std::vector<LatencyChange> latencyChanges;
  // The verdict's latencies: those after the last kLatenciesChanged that
  // came while the signal was still being recorded (the initial ones
  // without such a change; one in the silent tail after it changes nothing
  // the recording shows, and is only counted).
  LatencyFigures judgedLatencies;
  std::uint64_t latencyChangesAfterSignal = 0;
  // The loop after that change (from its position + the glitch window,
  // clear of the change itself; from the position itself when no good block
  // lies beyond the window), or the run's median without a change: the
  // verdict compares it with judgedLatencies. Nothing when no good block
  // follows the change.
  std::optional<double> finalRoundTrip;
  std::uint64_t finalRoundTripFrom = 0;
  std::vector<std::string> failures;
};

// Explained or not, where the run ended, and the loop after the last
// latency change: the parts of the report that need the driver's messages.
void judgeBreaks(LoopbackRun& r) {
  const SessionStats& s = r.c.stats;
  // The device period: the ASIO buffer (it is the WASAPI period in
  // exclusive mode, and one engine period in shared mode at the default size).
  r.glitchWindow = glitchWindowFrames(LoopbackOptions{}.blockFrames, r.c.bufferFrames, r.c.bufferFrames);
  r.glitches = matchGlitches(r.a.events, s.resyncPositions, r.glitchWindow);
  const auto thirty = static_cast<std::uint64_t>(30.0 * r.c.sampleRate);
  r.lastThirtySecondsFrom = r.signalFrames > thirty ? r.signalFrames - thirty : 0;
  r.breaksLastThirtySeconds = breaksFrom(r.a.events, r.lastThirtySecondsFrom);
  r.latencyChanges = latencyChanges(s.latencyChangePositions, r.c.latencySnapshots, {r.c.inputLatency, r.c.outputLatency});
  // The last frame played is recorded a round trip later, at host position
  // signalFrames + D; a change after that is in the tail.
  const double recordedEnd = static_cast<double>(r.signalFrames) + (r.a.found ? r.a.roundTripFrames : 0.0);
  r.judgedLatencies = {r.c.initialInputLatency, r.c.initialOutputLatency};
  std::optional<std::uint64_t> lastChange;
  for (const LatencyChange& l : r.latencyChanges) {
    if (static_cast<double>(l.position) < recordedEnd) {
      r.judgedLatencies = l.figures;
      lastChange = l.position;
    } else {
      ++r.latencyChangesAfterSignal;
    }
  }
  if (!lastChange) {
    r.finalRoundTrip = r.a.found ? std::optional<double>(r.a.roundTripFrames) : std::nullopt;
    return;
  }
  r.finalRoundTripFrom = *lastChange + r.glitchWindow;
  r.finalRoundTrip = medianDelayFrom(r.a, r.finalRoundTripFrom);
  if (!r.finalRoundTrip) {
    r.finalRoundTripFrom = *lastChange;
    r.finalRoundTrip = medianDelayFrom(r.a, r.finalRoundTripFrom);
  }
}

void runLoopback(const DriverEntry& entry, const LoopbackCommandOptions& o, LoopbackRun& r) {
  r.c.driver = entry.name;
  r.seconds = o.seconds;
  r.outputChannel = o.outputChannel;
  r.inputChannel = o.inputChannel;
  LoadedDriver d(entry);
  r.c.driverVersion = d->getDriverVersion();
  std::int32_t inputs = 0, outputs = 0;
  d.check("getChannels", d->getChannels(&inputs, &outputs));
  if (o.outputChannel >= outputs) {
    driverError("--output-channel " + std::to_string(o.outputChannel) + " but driver \"" + entry.name + "\" has " +
                std::to_string(outputs) + " outputs");
  }
  if (o.inputChannel >= inputs) {
    driverError("--input-channel " + std::to_string(o.inputChannel) + " but driver \"" + entry.name + "\" has " +
                std::to_string(inputs) + " inputs (is an input device selected?)");
  }
  const asio::ChannelInfo outInfo = channelInfo(d, false, o.outputChannel);
  const asio::ChannelInfo inInfo = channelInfo(d, true, o.inputChannel);
  r.outputName = outInfo.name;
  r.inputName = inInfo.name;
  r.outputType = sampleTypeName(outInfo.type);
  r.inputType = sampleTypeName(inInfo.type);
  chooseRateAndBuffer(d, o.rate, o.bufferFrames, r.c);
  const std::int32_t b = r.c.bufferFrames;

  CallbackSession session(d.get(), true);
  Running running(d);
  asio::BufferInfo infos[2] = {{asio::kTrue, o.inputChannel, {nullptr, nullptr}},
                               {asio::kFalse, o.outputChannel, {nullptr, nullptr}}};
  d.check("createBuffers (input " + std::to_string(o.inputChannel) + ", output " + std::to_string(o.outputChannel) +
              ", " + std::to_string(b) + " frames)",
          d->createBuffers(infos, 2, b, session.callbacks()));
  running.buffersCreated();
  for (const auto& info : infos) {
    if (!info.buffers[0] || !info.buffers[1]) driverError("createBuffers returned a null buffer");
  }
  OutputBuffer out;
  out.channel = o.outputChannel;
  out.type = outInfo.type;
  out.halves[0] = infos[1].buffers[0];
  out.halves[1] = infos[1].buffers[1];
  for (int half = 0; half < 2; ++half) {
    for (std::int32_t f = 0; f < b; ++f) writeSample(out.halves[half], static_cast<std::size_t>(f), out.type, 0.0);
  }
  InputBuffer in;
  in.channel = o.inputChannel;
  in.type = inInfo.type;
  in.halves[0] = infos[0].buffers[0];
  in.halves[1] = infos[0].buffers[1];
  initialLatencies(d, r.c);

  // Search for the delay up to the reported round trip plus two buffers
  // plus maxUnseenSeconds (what the OS may add unseen), and keep recording
  // that long after the signal so its end is recorded too.
  const std::int64_t reported = std::max(r.c.inputLatency, 0) + std::max(r.c.outputLatency, 0);
  r.maxLag = static_cast<std::size_t>(reported + 2 * b + static_cast<std::int64_t>(o.maxUnseenSeconds * r.c.sampleRate));
  r.signalFrames = static_cast<std::uint64_t>(o.seconds * r.c.sampleRate + 0.5);
  r.tailFrames = r.maxLag + static_cast<std::uint64_t>(b);
  session.recordInputs({in}, static_cast<std::size_t>(r.signalFrames + r.tailFrames) + static_cast<std::size_t>(b));
  session.arm({out}, b, r.c.sampleRate, Signal::Sequence, r.signalFrames, r.tailFrames);
  runUntilDone(d, session, running, static_cast<double>(r.signalFrames + r.tailFrames) / r.c.sampleRate, r.c);
  // Said at once (the rest is printed after the analysis, which takes a
  // while): a script that loads the machine during the stream stops there.
  std::printf("stream stopped after %.3f s; analyzing\n", r.c.elapsedSeconds);
  std::fflush(stdout);

  // What the host wrote (the sequence as stored in the output's type) and what it read.
  r.recordedFrames = session.recordedFrames();
  std::vector<double> played(static_cast<std::size_t>(r.signalFrames));
  for (std::size_t n = 0; n < played.size(); ++n) {
    played[n] = quantize(a2w::signal::sample(n, static_cast<std::uint32_t>(o.outputChannel)), out.type);
  }
  const std::vector<float>& rec = session.recorded(0);
  std::vector<double> recorded(rec.begin(), rec.begin() + static_cast<std::ptrdiff_t>(r.recordedFrames));
  if (!o.wavPath.empty()) {
    std::vector<float> both(2 * recorded.size());
    for (std::size_t n = 0; n < recorded.size(); ++n) {
      both[2 * n] = n < played.size() ? static_cast<float>(played[n]) : 0.0f;
      both[2 * n + 1] = static_cast<float>(recorded[n]);
    }
    writeBytes(o.wavPath, wavFloat32(both, 2, static_cast<std::uint32_t>(std::lround(r.c.sampleRate))));
  }
  LoopbackOptions lo;
  lo.maxLag = r.maxLag;
  r.a = analyzeLoopback(played, recorded, lo);
  judgeBreaks(r);

  // A break the driver explained (kResyncRequest near it) is a glitch it saw
  // and recovered from: the callers bound how many, and what they may cost
  // the correlation. One it did not explain is a failure, and so is a run
  // without breaks that does not correlate (a path that alters the signal).
  if (!r.a.found) {
    r.failures.push_back("the played signal was not found in the recording (delays 0.." + std::to_string(r.maxLag) +
                         " frames searched; best normalized correlation " + std::to_string(r.a.coarse.peak) + ")");
  } else {
    const std::size_t unexplained = r.glitches.unexplainedPlayedFrames.size();
    if (unexplained > 0) {
      r.failures.push_back(std::to_string(unexplained) + " of " + std::to_string(r.a.discontinuities) +
                           " discontinuities unexplained (no kResyncRequest within " +
                           std::to_string(r.glitchWindow) + " frames)");
    }
    if (r.a.discontinuities == 0 && r.a.correlation < 0.999) {
      r.failures.push_back("correlation " + std::to_string(r.a.correlation) + " below 0.999");
    }
    if (r.a.framesNotRecorded > 0) r.failures.push_back(std::to_string(r.a.framesNotRecorded) + " played frames not recorded");
  }
}

std::optional<LatencyVerdict> verdict(const LoopbackRun& r) {
  const LatencyFigures& l = r.judgedLatencies;
  if (!r.a.found || !r.finalRoundTrip || l.input < 0 || l.output < 0) return std::nullopt;
  ReportedLatency reported;
  reported.input = l.input;
  reported.output = l.output;
  // The OS's share (GetStreamLatency) does not change with the driver's margin.
  if (r.c.latencyParts) reported.osFrames = r.c.latencyParts->input.os + r.c.latencyParts->output.os;
  // The latest latencies against the loop since the last change.
  return judgeLatency(*r.finalRoundTrip, reported, r.c.bufferFrames);
}

std::string loopbackJson(const LoopbackRun& r) {
  JsonWriter w;
  w.beginObject();
  w.field("ok", r.failures.empty() && r.c.errors.empty());
  w.key("failures").beginArray();
  for (const auto& f : r.failures) w.value(f);
  w.endArray();
  const bool latencies = r.c.inputLatency >= 0 && r.c.outputLatency >= 0;
  const std::optional<LatencyVerdict> v = verdict(r);
  w.key("measured_round_trip_frames");
  if (r.a.found) w.value(round2(r.a.roundTripFrames)); else w.null();
  w.key("reported_round_trip_frames");
  if (latencies) w.value(static_cast<std::int64_t>(r.c.inputLatency) + r.c.outputLatency); else w.null();
  // What the verdict below compares: the latencies after the last change
  // the recording shows, and the loop measured after it.
  w.field("judged_input_latency_frames", r.judgedLatencies.input)
      .field("judged_output_latency_frames", r.judgedLatencies.output)
      .field("latency_changes_after_signal", r.latencyChangesAfterSignal);
  // measured - reported: > 0 is delay the driver did not report.
  w.key("unseen_latency_frames");
  if (v) w.value(round2(v->unseenFrames)); else w.null();
  w.key("unseen_latency_ms");
  if (v) w.value(round2(v->unseenFrames * 1000.0 / r.c.sampleRate)); else w.null();
  w.key("within_one_buffer");
  if (v) w.value(v->withinOneBuffer); else w.null();
  // The OS's share of the report (GetStreamLatency, both streams), the
  // driver's own part (the rest) and the measured loop against that part.
  w.key("reported_os_latency_frames");
  if (v && v->osFrames) w.value(*v->osFrames); else w.null();
  w.key("reported_driver_round_trip_frames");
  if (v && v->driverPartFrames) w.value(*v->driverPartFrames); else w.null();
  w.key("driver_part_error_frames");
  if (v && v->driverPartErrorFrames) w.value(round2(*v->driverPartErrorFrames)); else w.null();
  w.key("within_one_buffer_of_driver_part");
  if (v && v->withinOneBufferOfDriverPart) w.value(*v->withinOneBufferOfDriverPart); else w.null();
  w.key("latency_verdict");
  if (v) w.value(v->text); else w.null();
  w.key("final_round_trip_frames");
  if (r.finalRoundTrip) w.value(round2(*r.finalRoundTrip)); else w.null();
  w.field("final_round_trip_from_frame", r.finalRoundTripFrom);
  w.key("initial_reported_round_trip_frames");
  if (r.c.initialInputLatency >= 0 && r.c.initialOutputLatency >= 0) {
    w.value(static_cast<std::int64_t>(r.c.initialInputLatency) + r.c.initialOutputLatency);
  } else {
    w.null();
  }
  w.field("initial_reported_input_latency_frames", r.c.initialInputLatency)
      .field("initial_reported_output_latency_frames", r.c.initialOutputLatency);
  w.field("discontinuities", r.a.discontinuities)
      .field("driver_counted_glitches", r.c.stats.resyncRequests)
      .field("unexplained_discontinuities", r.glitches.unexplainedPlayedFrames.size())
      .field("explained_discontinuities", r.glitches.explained)
      .field("discontinuities_last_30s", r.breaksLastThirtySeconds)
      .field("last_30s_from_frame", r.lastThirtySecondsFrom)
      .field("glitch_window_frames", r.glitchWindow)
      .field("correlation", r.a.correlation)
      .field("correlation_outside_breaks", r.a.correlationOutsideBreaks)
      .field("min_block_correlation", r.a.minBlockCorrelation)
      .field("seconds", r.seconds);
  const auto positions = [&w](const char* key, const std::vector<std::uint64_t>& list) {
    w.key(key).beginArray();
    for (std::uint64_t p : list) w.value(p);
    w.endArray();
  };
  positions("glitch_positions", r.c.stats.resyncPositions);
  positions("unexplained_played_frames", r.glitches.unexplainedPlayedFrames);
  positions("overload_positions", r.c.stats.overloadPositions);
  w.field("message_positions_dropped", r.c.stats.positionsDropped);
  w.field("latency_change_messages", r.c.stats.latencyChanges);
  w.key("latency_changes").beginArray();
  for (const LatencyChange& l : r.latencyChanges) {
    w.beginObject()
        .field("position", l.position)
        .field("input_latency", l.figures.input)
        .field("output_latency", l.figures.output)
        .endObject();
  }
  w.endArray();
  commonJson(w, r.c);
  w.field("output_channel", r.outputChannel)
      .field("output_channel_name", r.outputName)
      .field("output_sample_type", r.outputType)
      .field("input_channel", r.inputChannel)
      .field("input_channel_name", r.inputName)
      .field("input_sample_type", r.inputType)
      .field("signal", "sequence")
      .field("frames_played", r.signalFrames)
      .field("tail_frames", r.tailFrames)
      .field("frames_recorded", r.recordedFrames)
      .field("max_lag_searched_frames", r.maxLag);
  w.key("delay")
      .beginObject()
      .field("found", r.a.found)
      .field("coarse_lag_frames", r.a.coarse.lag)
      .field("coarse_peak", r.a.coarse.peak)
      .field("coarse_second_peak", r.a.coarse.secondPeak)
      .field("coarse_peak_ratio", r.a.coarse.peakRatio)
      .field("first_frames", round2(r.a.firstLagFrames))
      .field("min_frames", round2(r.a.minLagFrames))
      .field("max_frames", round2(r.a.maxLagFrames))
      .field("blocks", r.a.blocks)
      .field("broken_blocks", r.a.brokenBlocks)
      .field("frames_compared", r.a.framesCompared)
      .field("frames_not_recorded", r.a.framesNotRecorded)
      .field("bit_exact_frames", r.a.exactFrames)
      .endObject();
  w.key("events").beginArray();
  for (const auto& e : r.a.events) {
    w.beginObject()
        .field("played_frame", e.playedFrame)
        .field("lag_before", round2(e.lagBefore))
        .field("lag_after", round2(e.lagAfter))
        .field("correlation", e.correlation)
        .field("explained", std::any_of(r.c.stats.resyncPositions.begin(), r.c.stats.resyncPositions.end(),
                                        [&](std::uint64_t g) { return glitchExplains(g, e, r.glitchWindow); }))
        .endObject();
  }
  w.endArray();
  w.key("errors").beginArray();
  for (const auto& e : r.c.errors) w.value(e);
  w.endArray().endObject();
  return w.text();
}

void printLoopback(const LoopbackRun& r) {
  std::printf("driver: %s (version %d)\n", r.c.driver.c_str(), static_cast<int>(r.c.driverVersion));
  if (!r.c.streamStatus.empty()) std::printf("stream: %s\n", r.c.streamStatus.c_str());
  std::printf("loopback: output %d (%s, %s) -> input %d (%s, %s), %s Hz, %d frames, %.3f s\n",
              static_cast<int>(r.outputChannel), r.outputName.c_str(), r.outputType.c_str(),
              static_cast<int>(r.inputChannel), r.inputName.c_str(), r.inputType.c_str(), rateText(r.c.sampleRate).c_str(),
              static_cast<int>(r.c.bufferFrames), r.c.elapsedSeconds);
  std::printf("reported latencies: input %d + output %d = %d frames\n", static_cast<int>(r.c.inputLatency),
              static_cast<int>(r.c.outputLatency), static_cast<int>(r.c.inputLatency + r.c.outputLatency));
  if (r.c.latencyParts) {
    std::printf("  %s\n  %s\n", a2w::vendor::latencyPartsText("input", r.c.latencyParts->input).c_str(),
                a2w::vendor::latencyPartsText("output", r.c.latencyParts->output).c_str());
  }
  if (r.a.found) {
    const double unseen = r.a.roundTripFrames - (r.c.inputLatency + r.c.outputLatency);
    std::printf("measured round trip: %.2f frames (%.2f ms); unseen by the driver: %.2f frames (%.2f ms)\n",
                r.a.roundTripFrames, r.a.roundTripFrames * 1000.0 / r.c.sampleRate, unseen,
                unseen * 1000.0 / r.c.sampleRate);
    if (const std::optional<LatencyVerdict> v = verdict(r)) std::printf("%s\n", v->text.c_str());
    std::printf("delay over the run: %.2f .. %.2f frames; correlation %.6f (outside breaks %.6f, worst stretch %.6f); %llu discontinuities\n",
                r.a.minLagFrames, r.a.maxLagFrames, r.a.correlation, r.a.correlationOutsideBreaks,
                r.a.minBlockCorrelation, static_cast<unsigned long long>(r.a.discontinuities));
    std::printf("glitches: the driver counted %d (kResyncRequest); %llu discontinuities, %llu unexplained, %llu in the last 30 s; "
                "latency changes %d, now input %d + output %d (initially %d + %d)\n",
                r.c.stats.resyncRequests, static_cast<unsigned long long>(r.a.discontinuities),
                static_cast<unsigned long long>(r.glitches.unexplainedPlayedFrames.size()),
                static_cast<unsigned long long>(r.breaksLastThirtySeconds), r.c.stats.latencyChanges,
                static_cast<int>(r.c.inputLatency), static_cast<int>(r.c.outputLatency),
                static_cast<int>(r.c.initialInputLatency), static_cast<int>(r.c.initialOutputLatency));
  }
  for (const auto& f : r.failures) std::printf("FAILED: %s\n", f.c_str());
}

// --------------------------------------------------------------- record --

struct RecordRun {
  Common c;
  double seconds = 0;
  std::int32_t inputs = 0, outputs = 0, channels = 0;
  std::string sampleType;
  std::vector<std::string> names;
  std::uint64_t framesWanted = 0, framesRecorded = 0;
  std::vector<double> peak, rms;
  std::string wavPath;
};

void runRecord(const DriverEntry& entry, const RecordCommandOptions& o, RecordRun& r) {
  r.c.driver = entry.name;
  r.seconds = o.seconds;
  r.wavPath = o.wavPath;
  LoadedDriver d(entry);
  r.c.driverVersion = d->getDriverVersion();
  d.check("getChannels", d->getChannels(&r.inputs, &r.outputs));
  if (r.inputs <= 0) driverError("driver \"" + entry.name + "\" has no input channels (is an input device selected?)");
  r.channels = o.channels.value_or(r.inputs);
  if (r.channels > r.inputs) {
    driverError("--channels " + std::to_string(r.channels) + " but driver \"" + entry.name + "\" has " +
                std::to_string(r.inputs) + " inputs");
  }
  std::vector<InputBuffer> ins(static_cast<std::size_t>(r.channels));
  for (std::int32_t i = 0; i < r.channels; ++i) {
    const asio::ChannelInfo info = channelInfo(d, true, i);
    ins[static_cast<std::size_t>(i)].channel = i;
    ins[static_cast<std::size_t>(i)].type = info.type;
    r.names.emplace_back(info.name);
    const std::string name = sampleTypeName(info.type);
    if (r.sampleType.empty()) r.sampleType = name;
    else if (r.sampleType != name) r.sampleType = "mixed";
  }
  chooseRateAndBuffer(d, o.rate, o.bufferFrames, r.c);

  CallbackSession session(d.get(), true);
  Running running(d);
  std::vector<asio::BufferInfo> infos;
  for (std::int32_t i = 0; i < r.channels; ++i) infos.push_back({asio::kTrue, i, {nullptr, nullptr}});
  d.check("createBuffers (" + std::to_string(r.channels) + " inputs, " + std::to_string(r.c.bufferFrames) + " frames)",
          d->createBuffers(infos.data(), r.channels, r.c.bufferFrames, session.callbacks()));
  running.buffersCreated();
  for (std::int32_t i = 0; i < r.channels; ++i) {
    const auto& info = infos[static_cast<std::size_t>(i)];
    if (!info.buffers[0] || !info.buffers[1]) driverError("createBuffers returned a null buffer for input " + std::to_string(i));
    ins[static_cast<std::size_t>(i)].halves[0] = info.buffers[0];
    ins[static_cast<std::size_t>(i)].halves[1] = info.buffers[1];
  }
  initialLatencies(d, r.c);
  r.framesWanted = static_cast<std::uint64_t>(o.seconds * r.c.sampleRate + 0.5);
  session.recordInputs(std::move(ins), static_cast<std::size_t>(r.framesWanted));
  session.arm({}, r.c.bufferFrames, r.c.sampleRate, Signal::Sequence, 0, r.framesWanted);  // no outputs: done after framesWanted
  runUntilDone(d, session, running, o.seconds, r.c);

  r.framesRecorded = session.recordedFrames();
  const auto frames = static_cast<std::size_t>(r.framesRecorded);
  std::vector<float> interleaved(frames * static_cast<std::size_t>(r.channels));
  for (std::int32_t ch = 0; ch < r.channels; ++ch) {
    const std::vector<float>& rec = session.recorded(static_cast<std::size_t>(ch));
    double peak = 0, sum = 0;
    for (std::size_t n = 0; n < frames; ++n) {
      interleaved[n * static_cast<std::size_t>(r.channels) + static_cast<std::size_t>(ch)] = rec[n];
      peak = std::max(peak, std::abs(static_cast<double>(rec[n])));
      sum += static_cast<double>(rec[n]) * rec[n];
    }
    r.peak.push_back(peak);
    r.rms.push_back(frames > 0 ? std::sqrt(sum / static_cast<double>(frames)) : 0.0);
  }
  writeBytes(o.wavPath, wavFloat32(interleaved, static_cast<std::uint16_t>(r.channels),
                                   static_cast<std::uint32_t>(std::lround(r.c.sampleRate))));
  if (r.framesRecorded < r.framesWanted) {
    r.c.errors.push_back("recorded " + std::to_string(r.framesRecorded) + " of " + std::to_string(r.framesWanted) + " frames");
  }
}

std::string recordJson(const RecordRun& r) {
  JsonWriter w;
  w.beginObject().field("ok", r.c.errors.empty()).field("wav", r.wavPath).field("seconds", r.seconds);
  commonJson(w, r.c);
  w.field("latency_changes", r.c.stats.latencyChanges);
  w.field("input_channels", r.inputs)
      .field("output_channels", r.outputs)
      .field("channels_recorded", r.channels)
      .field("sample_type", r.sampleType)
      .field("frames_wanted", r.framesWanted)
      .field("frames_recorded", r.framesRecorded);
  w.key("channels").beginArray();
  for (std::size_t i = 0; i < r.names.size() && i < r.peak.size(); ++i) {
    w.beginObject().field("index", i).field("name", r.names[i]).field("peak", r.peak[i]).field("rms", r.rms[i]).endObject();
  }
  w.endArray();
  w.key("errors").beginArray();
  for (const auto& e : r.c.errors) w.value(e);
  w.endArray().endObject();
  return w.text();
}

void printRecord(const RecordRun& r) {
  std::printf("driver: %s (version %d)\n", r.c.driver.c_str(), static_cast<int>(r.c.driverVersion));
  if (!r.c.streamStatus.empty()) std::printf("stream: %s\n", r.c.streamStatus.c_str());
  std::printf("recorded %d of %d inputs (%d outputs), %s, %s Hz, %d frames per buffer: %llu frames in %llu buffer switches, %.3f s\n",
              static_cast<int>(r.channels), static_cast<int>(r.inputs), static_cast<int>(r.outputs), r.sampleType.c_str(),
              rateText(r.c.sampleRate).c_str(), static_cast<int>(r.c.bufferFrames),
              static_cast<unsigned long long>(r.framesRecorded), static_cast<unsigned long long>(r.c.stats.bufferSwitches),
              r.c.elapsedSeconds);
  for (std::size_t i = 0; i < r.peak.size(); ++i) {
    std::printf("  input %d (%s): peak %.6f, rms %.6f\n", static_cast<int>(i), r.names[i].c_str(), r.peak[i], r.rms[i]);
  }
  std::printf("wav: %s (32-bit float)\n", r.wavPath.c_str());
}

}  // namespace

int commandLoopback(const std::string& driver, const LoopbackCommandOptions& options) {
  const auto drivers = installedDrivers();
  const DriverEntry& entry = findDriver(drivers, driver);
  LoopbackRun r;
  try {
    runLoopback(entry, options, r);
  } catch (const HostError& e) {
    r.c.errors.push_back(e.what());
    if (!options.reportPath.empty()) writeBytes(options.reportPath, loopbackJson(r));
    throw;
  }
  printLoopback(r);
  if (!options.reportPath.empty()) writeBytes(options.reportPath, loopbackJson(r));
  for (const auto& e : r.c.errors) std::fprintf(stderr, "asiohost: %s\n", e.c_str());
  return r.c.errors.empty() && r.failures.empty() ? kExitOk : kExitDriverError;
}

int commandRecord(const std::string& driver, const RecordCommandOptions& options) {
  const auto drivers = installedDrivers();
  const DriverEntry& entry = findDriver(drivers, driver);
  RecordRun r;
  try {
    runRecord(entry, options, r);
  } catch (const HostError& e) {
    r.c.errors.push_back(e.what());
    if (!options.reportPath.empty()) writeBytes(options.reportPath, recordJson(r));
    throw;
  }
  printRecord(r);
  if (!options.reportPath.empty()) writeBytes(options.reportPath, recordJson(r));
  for (const auto& e : r.c.errors) std::fprintf(stderr, "asiohost: %s\n", e.c_str());
  return r.c.errors.empty() ? kExitOk : kExitDriverError;
}

}  // namespace a2w::host
