// The driver in a noisy world (tests/support/noisy_world.h): a shared-mode
// stream whose audio thread wakes 5-80 ms late every 2-10 s, for a simulated
// hour, with the capture on the render clock and 200 ppm either side of it.
// A host plays a frame counter; the world loops it back (capture channel 0)
// next to the capture device's own frame counter (channel 1, the pilot). The
// recording then shows, frame by frame: the round trip (channel 0 against
// what was played), the input path's discontinuities (jumps in the pilot)
// and, against the engine's own count of the silence it played, whether the
// driver saw every render underrun and nothing else.
//
// What it costs: under ASan + UBSan at -O0 the input resampler (80 taps,
// two channels) costs a few us per frame, so the runs use a 1 kHz world with
// 10-frame periods (10 ms, the shared-mode engine period): every duration
// the driver and the world work with (engine period, lateness, jitter,
// margins, the drift controller's time constants) is the real one, only
// the frames are fewer. An hour is 3.6 M frames, 360 k periods.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "core/driver_core.h"
#include "support/noisy_world.h"

namespace a2w::test {
namespace {

// One recorded channel carrying a frame counter (frameSignal), read back
// frame by frame: its lag (host input frame minus the frame it carries, in
// host frames), its clean runs, and the discontinuities between them. A
// frame is clean when its lag matches the frame before within a tolerance;
// a run of kMinRun clean frames is established; an established run after a
// disturbance whose lag differs by more than half a frame from the one
// before it (or after silence in between) is one discontinuity. A
// resampled path smears a jump over the kernel's length: one region, one
// discontinuity; the counter's wrap is smeared too but leaves the lag as it
// was, so it counts for nothing.
class CounterTrack {
 public:
  static constexpr int kMinRun = 16;
  struct Discontinuity {
    std::uint64_t frame = 0;  // host input frame where the disturbance began
    double lagBefore = 0, lagAfter = 0;
    bool silence = false;
  };

  // framesPerHostFrame: how fast the counter advances per host frame (the
  // pilot runs on the capture clock).
  void configure(double framesPerHostFrame, double tolerance) {
    slope_ = framesPerHostFrame;
    tolerance_ = tolerance;
    events.reserve(16384);
  }

  void feed(std::uint64_t m, float value) {
    if (std::abs(value) < 0.02f) {  // silence (the counter never spells less than 0.25)
      if (hadRun_) sawSilence_ = true;
      breakRun(m);
      havePrev_ = false;
      return;
    }
    // Unwrap against the last established run's lag (a smeared region's
    // frames are no reference: unwrapping against them can slip a cycle).
    const double reference = hadRun_ ? lastLag_ : (havePrev_ ? prevLag_ : 0.0);
    const double predicted = (static_cast<double>(m) - reference) * slope_;
    const double pos = NoisyWorld::signalPosition(value);
    const double modulus = NoisyWorld::kSignalModulus;
    const double index = pos + modulus * std::round((predicted - pos) / modulus);
    const double lag = static_cast<double>(m) - index / slope_;
    const bool clean = havePrev_ && std::abs(lag - prevLag_) < tolerance_;
    if (!clean) breakRun(m);
    prevLag_ = lag;
    havePrev_ = true;
    ++run_;
    if (run_ == kMinRun) {
      if (hadRun_ && (std::abs(lag - lastLag_) > 0.5 || sawSilence_)) {
        events.push_back({disturbedAt_, lastLag_, lag, sawSilence_});
      }
      hadRun_ = true;
      sawSilence_ = false;
    }
    if (run_ >= kMinRun) lastLag_ = lag;
  }

  // The lag of the latest established run (the one going on, or the last
  // before a disturbance still in progress, e.g. the counter's smeared wrap).
  std::optional<double> lag() const {
    if (!hadRun_) return std::nullopt;
    return lastLag_;
  }

  std::vector<Discontinuity> events;

 private:
  // The first unclean frame after an established run starts a disturbance.
  void breakRun(std::uint64_t m) {
    if (run_ >= kMinRun) disturbedAt_ = m;
    run_ = 0;
  }

  double slope_ = 1, tolerance_ = 0.05;
  bool havePrev_ = false;
  double prevLag_ = 0;
  int run_ = 0;
  bool hadRun_ = false, sawSilence_ = false;
  double lastLag_ = 0;
  std::uint64_t disturbedAt_ = 0;
};

// The host: plays the counter on output 0, records inputs 0 (loop) and 1
// (pilot), counts the driver's messages. Its own C callbacks (one host at a
// time), and nothing on the audio path allocates (the tracks reserve).
class LoopHost {
 public:
  LoopHost() { current_ = this; }
  ~LoopHost() { current_ = nullptr; }
  LoopHost(const LoopHost&) = delete;
  LoopHost& operator=(const LoopHost&) = delete;

  asio::Callbacks callbacks() {
    asio::Callbacks cb{};
    cb.bufferSwitch = [](std::int32_t index, asio::Bool) { current_->process(index); };
    cb.sampleRateDidChange = [](asio::SampleRate) {};
    cb.asioMessage = [](std::int32_t selector, std::int32_t value, void*, double*) {
      return current_->message(selector, value);
    };
    cb.bufferSwitchTimeInfo = [](asio::Time* time, std::int32_t index, asio::Bool) {
      current_->process(index);
      return time;
    };
    return cb;
  }

  void attach(const std::vector<asio::BufferInfo>& infos, std::int32_t frames) {
    frames_ = frames;
    for (const asio::BufferInfo& b : infos) {
      for (int h = 0; h < 2; ++h) {
        if (b.isInput == asio::kFalse) out_[h] = static_cast<float*>(b.buffers[h]);
        else in_[b.channelNum][h] = static_cast<const float*>(b.buffers[h]);
      }
    }
  }

  CounterTrack loop, pilot;
  int resyncs = 0, latencyChanges = 0, overloads = 0, resets = 0;
  bool latenciesDirty = false;

 private:
  void process(std::int32_t index) {
    for (std::int32_t f = 0; f < frames_; ++f) {
      out_[index][f] = NoisyWorld::frameSignal(written_ + static_cast<std::uint64_t>(f));
      loop.feed(read_ + static_cast<std::uint64_t>(f), in_[0][index][f]);
      pilot.feed(read_ + static_cast<std::uint64_t>(f), in_[1][index][f]);
    }
    written_ += static_cast<std::uint64_t>(frames_);
    read_ += static_cast<std::uint64_t>(frames_);
  }

  std::int32_t message(std::int32_t selector, std::int32_t value) {
    switch (selector) {
      case asio::msg::kSelectorSupported:
        return value == asio::msg::kResyncRequest || value == asio::msg::kLatenciesChanged ||
                       value == asio::msg::kSupportsTimeInfo || value == asio::msg::kEngineVersion ||
                       value == asio::msg::kOverload || value == asio::msg::kResetRequest
                   ? 1
                   : 0;
      case asio::msg::kEngineVersion: return 2;
      case asio::msg::kSupportsTimeInfo: return 1;
      case asio::msg::kResyncRequest: ++resyncs; return 1;
      case asio::msg::kLatenciesChanged:
        ++latencyChanges;
        latenciesDirty = true;  // asked again by the test, off the audio path, after this wake
        return 1;
      case asio::msg::kOverload: ++overloads; return 1;
      case asio::msg::kResetRequest: ++resets; return 1;
      default: return 0;
    }
  }

  static inline LoopHost* current_ = nullptr;
  std::int32_t frames_ = 0;
  float* out_[2] = {nullptr, nullptr};
  const float* in_[2][2] = {{nullptr, nullptr}, {nullptr, nullptr}};
  std::uint64_t written_ = 0, read_ = 0;
};

struct Scenario {
  const char* name = "";
  double ppm = 0;
  bool sharedClock = true;
  double seconds = 3600;
  double settleSeconds = 120;  // before the drift figures count
  std::uint64_t seed = 1;
};

// Per gap: what happened between it and the next one.
struct GapRecord {
  std::uint64_t timeNs = 0;
  double lateMs = 0;
  std::int64_t silence = 0;      // frames the engine played as silence after it
  int pilotEvents = 0;           // input-side discontinuities the recording shows
  std::optional<double> loopLagAtEnd;  // the round trip just before the next gap
  std::int32_t reportedAtEnd = 0;      // getLatencies in + out then
};

struct Figures {
  std::uint64_t gaps = 0, silentGaps = 0;
  std::int64_t silentFrames = 0;
  std::uint64_t falseUnderruns = 0, missedUnderruns = 0;  // flagged without silence, silence unflagged
  int worstFlagError = 0;  // |flagged frames - silence played| where both
  int maxPilotEventsPerGap = 0, pilotEventsInQuietGaps = 0;
  double maxRoundTripError = 0;  // |loop lag - reported|, at the end of each gap's window
  double minRoundTripError = 1e9;
  std::uint64_t gapsWithoutLag = 0;
  std::uint64_t marginSteps = 0, marginStepErrors = 0;
  double maxPpmError = 0, meanPpm = 0;
  // The clock tracking's estimate (DriverStats::inputClockRatioPpm), every
  // second from its lock on: when it locked, its worst error after.
  double clockLockedAtS = -1;
  double maxClockPpmError = 0;
  std::uint64_t clockSamples = 0;
  double wallSeconds = 0;
};

class NoisyWorldTest : public ::testing::Test {
 protected:
  Figures run(const Scenario& sc) {
    const auto wallStart = std::chrono::steady_clock::now();
    NoisyWorldConfig wc;
    wc.captureClockPpm = sc.ppm;
    wc.captureSharesRenderClock = sc.sharedClock;
    wc.seed = sc.seed;
    auto owned = std::make_unique<NoisyWorld>(wc);
    world_ = owned.get();
    DriverSettings settings;
    settings.hostSampleType = asio::SampleType::Float32LSB;
    core_ = std::make_unique<DriverCore>(std::move(owned), settings);
    const std::int32_t n = wc.periodFrames;

    EXPECT_EQ(core_->init(nullptr), asio::kTrue);
    std::vector<asio::BufferInfo> infos = {
        {asio::kFalse, 0, {nullptr, nullptr}}, {asio::kTrue, 0, {nullptr, nullptr}}, {asio::kTrue, 1, {nullptr, nullptr}}};
    asio::Callbacks cb = host_.callbacks();
    EXPECT_EQ(core_->createBuffers(infos.data(), 3, n, &cb), asio::err::kOk);
    host_.attach(infos, n);
    // The loop advances one counter frame per host frame; the pilot at the capture clock's rate.
    host_.loop.configure(1.0, 0.05);
    host_.pilot.configure(world_->captureRate() / wc.rate, 0.05);

    std::int32_t in = 0, out = 0;
    EXPECT_EQ(core_->getLatencies(&in, &out), asio::err::kOk);
    std::int32_t reported = in + out;
    if (std::getenv("A2W_NOISY_VERBOSE") != nullptr) std::printf("[noisy]   at start: input %d, output %d\n", in, out);
    EXPECT_EQ(core_->start(), asio::err::kOk);

    Figures fig;
    std::vector<GapRecord> gaps;
    gaps.reserve(4096);
    const std::uint64_t endNs = wc.startTimeNs + static_cast<std::uint64_t>(sc.seconds * 1e9);
    const std::uint64_t settleNs = wc.startTimeNs + static_cast<std::uint64_t>(sc.settleSeconds * 1e9);
    std::uint64_t nextPpmCheckNs = settleNs;
    std::uint64_t nextClockCheckNs = wc.startTimeNs;
    std::uint64_t ppmSamples = 0;
    std::optional<double> lagBefore;
    DriverStats last = core_->stats();
    const std::int32_t cap = world_->queue().maximumFrames() - world_->queue().minimumFrames();
    for (;;) {
      const NoisyWorld::Wake w = world_->runWake();
      if (w.timeNs >= endNs || w.timeNs == 0) break;
      if (w.late) {
        if (!gaps.empty()) {
          gaps.back().loopLagAtEnd = lagBefore;
          gaps.back().reportedAtEnd = reported;
        }
        gaps.push_back({w.timeNs, static_cast<double>(w.lateNs) * 1e-6, 0, 0, std::nullopt, 0});
      }
      if (w.render) {
        if (!gaps.empty()) gaps.back().silence += w.engineSilenceFrames;
        const bool silence = w.engineSilenceFrames > 0, flagged = w.flaggedUnderrunFrames > 0;
        if (flagged && !silence) {
          ++fig.falseUnderruns;
          if (std::getenv("A2W_NOISY_VERBOSE") != nullptr) {
            std::printf("[noisy]   false underrun at %.3f s: flagged %d frames, the engine played no silence (wake %.1f ms late)\n",
                        static_cast<double>(w.timeNs - wc.startTimeNs) * 1e-9, w.flaggedUnderrunFrames, static_cast<double>(w.lateNs) * 1e-6);
          }
        }
        if (silence && !flagged) ++fig.missedUnderruns;
        if (flagged && silence) {
          fig.worstFlagError = std::max(fig.worstFlagError,
                                        static_cast<int>(std::abs(w.flaggedUnderrunFrames - w.engineSilenceFrames)));
        }
        if (flagged || silence) {
          const DriverStats st = core_->stats();
          if (st.renderUnderruns != last.renderUnderruns) {
            // One more period of margin per underrun, up to the cap; each told.
            ++fig.marginSteps;
            const std::int32_t want = std::min(last.renderSafetyFrames + n, cap);
            if (st.renderSafetyFrames != want) ++fig.marginStepErrors;
          }
          last = st;
        }
      }
      if (host_.latenciesDirty) {
        host_.latenciesDirty = false;
        EXPECT_EQ(core_->getLatencies(&in, &out), asio::err::kOk);
        reported = in + out;
      }
      if (!sc.sharedClock && w.timeNs >= nextClockCheckNs) {
        nextClockCheckNs += 1'000'000'000;
        const DriverStats st = core_->stats();
        if (st.inputClockLocked) {
          if (fig.clockLockedAtS < 0) fig.clockLockedAtS = static_cast<double>(w.timeNs - wc.startTimeNs) * 1e-9;
          fig.maxClockPpmError = std::max(fig.maxClockPpmError, std::abs(st.inputClockRatioPpm - sc.ppm));
          ++fig.clockSamples;
        }
      }
      if (!sc.sharedClock && w.timeNs >= nextPpmCheckNs) {
        nextPpmCheckNs += 1'000'000'000;
        const double ppm = core_->stats().inputDriftPpm;
        if (std::abs(ppm - sc.ppm) > 30 && std::getenv("A2W_NOISY_VERBOSE") != nullptr) {
          std::printf("[noisy]   drift %.1f ppm at %.0f s (truth %.0f)\n", ppm,
                      static_cast<double>(w.timeNs - wc.startTimeNs) * 1e-9, sc.ppm);
        }
        fig.maxPpmError = std::max(fig.maxPpmError, std::abs(ppm - sc.ppm));
        fig.meanPpm += ppm;
        ++ppmSamples;
      }
      lagBefore = host_.loop.lag();
    }
    if (!gaps.empty()) {
      gaps.back().loopLagAtEnd = lagBefore;
      gaps.back().reportedAtEnd = reported;
    }
    if (ppmSamples > 0) fig.meanPpm /= static_cast<double>(ppmSamples);

    // Each pilot discontinuity belongs to the last gap whose first period
    // came at or before the period where it began.
    const std::vector<NoisyWorld::Gap>& worldGaps = world_->gaps();
    for (const CounterTrack::Discontinuity& d : host_.pilot.events) {
      const std::uint64_t period = d.frame / static_cast<std::uint64_t>(n);
      std::size_t g = 0;
      while (g + 1 < worldGaps.size() && worldGaps[g + 1].firstPeriod <= period) ++g;
      if (!worldGaps.empty() && worldGaps[g].firstPeriod <= period && g < gaps.size()) ++gaps[g].pilotEvents;
      else ++unattributed_;
    }
    const bool verbose = std::getenv("A2W_NOISY_VERBOSE") != nullptr;
    for (const GapRecord& g : gaps) {
      ++fig.gaps;
      if (g.silence > 0) ++fig.silentGaps;
      fig.maxPilotEventsPerGap = std::max(fig.maxPilotEventsPerGap, g.pilotEvents);
      if (g.silence == 0) fig.pilotEventsInQuietGaps += g.pilotEvents;
      if (!g.loopLagAtEnd) {
        ++fig.gapsWithoutLag;
        continue;
      }
      const double error = *g.loopLagAtEnd - g.reportedAtEnd;
      fig.maxRoundTripError = std::max(fig.maxRoundTripError, std::abs(error));
      fig.minRoundTripError = std::min(fig.minRoundTripError, std::abs(error));
      roundTripErrors_.push_back(error);
      // A2W_NOISY_VERBOSE=1: every gap that did something, for a finding's figures.
      if (verbose && (g.silence > 0 || g.pilotEvents > 0 || std::abs(error) > 0.5)) {
        std::printf("[noisy]   gap at %.3f s: late %.1f ms, engine silence %lld, pilot events %d, round trip - reported %.2f (reported %d)\n",
                    static_cast<double>(g.timeNs - wc.startTimeNs) * 1e-9, g.lateMs, static_cast<long long>(g.silence),
                    g.pilotEvents, error, g.reportedAtEnd);
      }
    }
    fig.silentFrames = world_->silentFrames();
    stats_ = core_->stats();
    fig.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    return fig;
  }

  void report(const Scenario& sc, const Figures& f) const {
    double lo = 1e9, hi = -1e9;
    for (double e : roundTripErrors_) {
      lo = std::min(lo, e);
      hi = std::max(hi, e);
    }
    std::printf(
        "[noisy] %s: %+.0f ppm %.0f s: %llu gaps, %llu with engine silence (%lld frames); renderUnderruns %llu "
        "(false %llu, missed %llu, worst size error %d frames); pilot discontinuities %zu (max %d per gap, %d in "
        "gaps without silence, %d unattributed), loop discontinuities %zu; inputRealigns %llu underruns %llu overruns "
        "%llu resyncs %llu (host %d); margin %d frames after %llu steps (%llu wrong); kLatenciesChanged %d; round trip "
        "- reported at each gap's end %.2f..%.2f frames (%llu gaps without a clean lag); drift ppm max error %.2f mean "
        "%.3f (truth %.0f); clocks locked at %.1f s, max error %.3f ppm over %llu s; violations %llu, audio-path "
        "allocations %llu; %llu wakes, %.1f s\n",
        sc.name, sc.ppm, sc.seconds, static_cast<unsigned long long>(f.gaps), static_cast<unsigned long long>(f.silentGaps),
        static_cast<long long>(f.silentFrames), static_cast<unsigned long long>(stats_.renderUnderruns),
        static_cast<unsigned long long>(f.falseUnderruns), static_cast<unsigned long long>(f.missedUnderruns),
        f.worstFlagError, host_.pilot.events.size(), f.maxPilotEventsPerGap, f.pilotEventsInQuietGaps, unattributed_,
        host_.loop.events.size(), static_cast<unsigned long long>(stats_.inputRealigns),
        static_cast<unsigned long long>(stats_.inputUnderruns), static_cast<unsigned long long>(stats_.inputOverruns),
        static_cast<unsigned long long>(stats_.resyncRequestsSent), host_.resyncs, stats_.renderSafetyFrames,
        static_cast<unsigned long long>(f.marginSteps), static_cast<unsigned long long>(f.marginStepErrors),
        host_.latencyChanges, lo, hi, static_cast<unsigned long long>(f.gapsWithoutLag), f.maxPpmError, f.meanPpm, sc.ppm,
        f.clockLockedAtS, f.maxClockPpmError, static_cast<unsigned long long>(f.clockSamples),
        static_cast<unsigned long long>(world_->violations()), static_cast<unsigned long long>(world_->audioPathAllocations()),
        static_cast<unsigned long long>(world_->wakes()), f.wallSeconds);
  }

  // The assertions every scenario shares.
  void expectHonest(const Scenario& sc, const Figures& f) {
    const std::int32_t n = world_->config().periodFrames;
    EXPECT_EQ(world_->violations(), 0u);
    EXPECT_EQ(world_->audioPathAllocations(), 0u);
    EXPECT_GT(f.gaps, 300u);        // the noise happened: ~600 gaps an hour
    EXPECT_GT(f.silentGaps, 0u);    // and some ran the engine dry
    // Render side: an underrun counted exactly when the engine played silence.
    EXPECT_EQ(f.falseUnderruns, 0u);
    EXPECT_EQ(f.missedUnderruns, 0u);
    EXPECT_EQ(stats_.renderUnderruns, world_->silenceRuns());
    // Input side: at most one discontinuity per gap, none after a gap that
    // did not move the output's phase; the driver's counts are what the
    // recording shows.
    EXPECT_LE(f.maxPilotEventsPerGap, 1);
    EXPECT_EQ(f.pilotEventsInQuietGaps, 0);
    EXPECT_EQ(unattributed_, 0);
    EXPECT_EQ(stats_.inputRealigns + stats_.inputUnderruns + stats_.inputOverruns, host_.pilot.events.size());
    EXPECT_LE(stats_.inputOverruns, f.gaps);
    EXPECT_EQ(stats_.inputDiscontinuities, 0u);
    // One kResyncRequest per period with a glitch: a render underrun and the
    // realignment it asks for share one.
    EXPECT_EQ(static_cast<int>(stats_.resyncRequestsSent), host_.resyncs);
    EXPECT_GE(stats_.resyncRequestsSent, stats_.renderUnderruns);
    EXPECT_LE(stats_.resyncRequestsSent, stats_.renderUnderruns + host_.pilot.events.size());
    // The round trip back at what getLatencies says (asked again after each
    // kLatenciesChanged), within one engine period, before every next gap.
    EXPECT_LE(f.maxRoundTripError, n);
    EXPECT_LE(f.gapsWithoutLag, 0u);
    // The margin: a period more per underrun up to the cap, each told.
    EXPECT_EQ(f.marginStepErrors, 0u);
    EXPECT_EQ(f.marginSteps, stats_.renderUnderruns);
    const auto steps = static_cast<int>(std::min<std::uint64_t>(stats_.renderUnderruns, 100u));
    EXPECT_EQ(stats_.renderSafetyFrames, std::min(steps * n, world_->queue().maximumFrames() - world_->queue().minimumFrames()));
    EXPECT_GE(host_.latencyChanges, std::min(steps, (world_->queue().maximumFrames() - world_->queue().minimumFrames()) / n));
    EXPECT_EQ(stats_.overloads, 0u);
    EXPECT_EQ(host_.resets, 0);
    if (!sc.sharedClock) {
      // The clock tracking (input_fifo.h): both clocks' estimates locked
      // within the first minute (16 and 37 s measured) and their ratio
      // within 5 ppm of the truth every second from then on, through every
      // gap and realignment (0.68 and 0.40 ppm measured).
      EXPECT_GE(f.clockLockedAtS, 0.0);
      EXPECT_LE(f.clockLockedAtS, 60.0);
      EXPECT_GE(f.clockSamples, static_cast<std::uint64_t>(sc.seconds - 60));
      EXPECT_LE(f.maxClockPpmError, 5.0);
      // The ratio applied, sampled once a second after settling: the
      // estimate plus the level loop's trim of the phase a gap left (its
      // proportional answer, within the dead band). Measured: +200 ppm
      // within 38 ppm (mean 200.07), -200 ppm within 18 ppm (mean -200.13);
      // with the level loop alone it was 48 and 116 ppm (means 201.3 and
      // -202.6).
      EXPECT_LE(f.maxPpmError, 60.0);
      EXPECT_NEAR(f.meanPpm, sc.ppm, 1.0);
    }
  }

  void TearDown() override {
    if (core_) {
      core_->stop();
      core_->disposeBuffers();
    }
    core_.reset();
  }

  LoopHost host_;
  NoisyWorld* world_ = nullptr;
  std::unique_ptr<DriverCore> core_;
  DriverStats stats_;
  std::vector<double> roundTripErrors_;
  int unattributed_ = 0;
};

TEST_F(NoisyWorldTest, SharedClockForAnHour) {
  Scenario sc;
  sc.name = "shared";
  const Figures f = run(sc);
  report(sc, f);
  expectHonest(sc, f);
}

TEST_F(NoisyWorldTest, CaptureClock200PpmFastForAnHour) {
  Scenario sc;
  sc.name = "fast";
  sc.ppm = 200;
  sc.sharedClock = false;
  sc.seed = 2;
  const Figures f = run(sc);
  report(sc, f);
  expectHonest(sc, f);
}

TEST_F(NoisyWorldTest, CaptureClock200PpmSlowForAnHour) {
  Scenario sc;
  sc.name = "slow";
  sc.ppm = -200;
  sc.sharedClock = false;
  sc.seed = 3;
  const Figures f = run(sc);
  report(sc, f);
  expectHonest(sc, f);
}

}  // namespace
}  // namespace a2w::test
