// The input FIFO with capture on its own thread (what a backend may do, and
// what input_fifo.h promises): push() on a producer thread, read() on the
// consumer (audio) thread, stats() and the latency figures from a third.
// The two sides take turns through atomics, the producer keeping the fill
// between "enough for the next read" and one packet more, so the FIFO never
// has a reason to under- or overrun: every frame must come out once, in
// order, bit for bit, and ThreadSanitizer must see every hand-over ordered.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <thread>
#include <vector>

#include "core/input_fifo.h"
#include "core/resampler.h"
#include "tsan/bounded_wait.h"

namespace a2w {
namespace {

constexpr int kChannels = 2;
constexpr std::int32_t kBuffer = 64;
constexpr std::int32_t kPacket = 48;

// One capture thread pushing packets whose samples are their frame number,
// in turns with the test's reads.
class CaptureThread {
 public:
  // Before each read the FIFO holds more than `wanted` frames, at most a packet more.
  CaptureThread(InputFifo& fifo, std::int64_t wanted, DeviceSampleFormat format)
      : fifo_(fifo), wanted_(wanted), format_(format), thread_([this] { run(); }) {}
  ~CaptureThread() {
    stop_.store(true, std::memory_order_release);
    thread_.join();
  }
  // The audio thread: waits until the capture thread has filled for read `n`.
  bool readyFor(std::int64_t n) {
    return tsan::waitUntil([&] { return ready_.load(std::memory_order_acquire) > n; });
  }
  // The audio thread, after read `n`: what the FIFO kept.
  void readDone(std::int64_t n, std::int64_t fillAfter) {
    fill_.store(fillAfter, std::memory_order_relaxed);
    reads_.store(n + 1, std::memory_order_release);
  }
  std::int64_t pushed() const { return frame_.load(std::memory_order_acquire); }

 private:
  void run() {
    std::vector<std::int32_t> ints(static_cast<std::size_t>(kPacket * kChannels));
    std::vector<float> floats(ints.size());
    for (std::int64_t turn = 0; !stop_.load(std::memory_order_acquire); ++turn) {
      if (!tsan::waitUntil([&] { return reads_.load(std::memory_order_acquire) >= turn || stop_.load(); })) return;
      if (stop_.load()) return;
      std::int64_t held = fill_.load(std::memory_order_relaxed);
      while (held <= wanted_) {
        const std::int64_t first = frame_.load(std::memory_order_relaxed);
        for (std::int32_t f = 0; f < kPacket * kChannels; ++f) {
          ints[static_cast<std::size_t>(f)] = static_cast<std::int32_t>(first + f / kChannels);
          floats[static_cast<std::size_t>(f)] = 0.25f;
        }
        CapturePacket p;
        p.data = format_ == DeviceSampleFormat::Int32 ? reinterpret_cast<const std::byte*>(ints.data())
                                                      : reinterpret_cast<const std::byte*>(floats.data());
        p.frames = kPacket;
        fifo_.push(p);
        held += kPacket;
        frame_.store(first + kPacket, std::memory_order_release);
      }
      ready_.store(turn + 1, std::memory_order_release);
    }
  }

  InputFifo& fifo_;
  const std::int64_t wanted_;
  const DeviceSampleFormat format_;
  std::atomic<std::int64_t> reads_{0}, ready_{0}, fill_{0}, frame_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The panel, the log's poll and getLatencies read the FIFO meanwhile.
class Observer {
 public:
  explicit Observer(const InputFifo& fifo) : thread_([this, &fifo] {
    while (!stop_.load(std::memory_order_acquire)) {
      const InputFifo::Stats s = fifo.stats();
      if (s.fillFrames < 0) bad_.store(true);
      (void)fifo.addedLatencyHostFrames();
      (void)fifo.targetGrowths();
      std::this_thread::yield();
    }
  }) {}
  ~Observer() {
    stop_.store(true, std::memory_order_release);
    thread_.join();
  }
  bool sawNonsense() const { return bad_.load(); }

 private:
  std::atomic<bool> stop_{false}, bad_{false};
  std::thread thread_;
};

TEST(InputFifoRace, CaptureThreadAndAudioThreadDeliverEveryFrameInOrder) {
  InputFifo fifo;
  InputFifoConfig config;
  config.format = DeviceSampleFormat::Int32;
  config.channels = kChannels;
  config.bufferFrames = kBuffer;
  config.hostRate = 48000;
  config.packetFrames = kPacket;
  config.hostType = asio::SampleType::Int32LSB;
  fifo.configure(config);
  constexpr std::int64_t kReads = 5000;
  std::vector<std::int32_t> left(kBuffer), right(kBuffer);
  void* destinations[kChannels] = {left.data(), right.data()};
  std::int64_t expected = -1, broken = 0;
  {
    Observer observer(fifo);
    CaptureThread capture(fifo, kBuffer + fifo.targetFrames(), config.format);
    for (std::int64_t n = 0; n < kReads; ++n) {
      ASSERT_TRUE(capture.readyFor(n)) << "the capture thread stopped before read " << n;
      fifo.read(destinations, 0);
      const InputFifo::Stats s = fifo.stats();
      capture.readDone(n, s.fillFrames);
      ASSERT_TRUE(s.primed) << "read " << n;
      if (expected < 0) expected = left[0];  // priming drops the oldest surplus
      for (std::int32_t f = 0; f < kBuffer; ++f, ++expected) {
        if (left[static_cast<std::size_t>(f)] != expected || right[static_cast<std::size_t>(f)] != expected) ++broken;
      }
    }
    EXPECT_FALSE(observer.sawNonsense());
  }
  const InputFifo::Stats s = fifo.stats();
  EXPECT_EQ(broken, 0);
  EXPECT_EQ(s.underruns, 0u);
  EXPECT_EQ(s.overruns, 0u);
  EXPECT_GE(expected, kReads * kBuffer);
}

// The resampling path with drift compensation: more state on the consumer
// side (resampler, controller); it must never run dry once primed.
TEST(InputFifoRace, DriftCompensatedResamplingAcrossThreads) {
  InputFifo fifo;
  InputFifoConfig config;
  config.format = DeviceSampleFormat::Float32;
  config.channels = kChannels;
  config.bufferFrames = kBuffer;
  config.hostRate = 48000;
  config.deviceRate = 44100;
  config.packetFrames = kPacket;
  config.driftCompensation = true;
  config.hostType = asio::SampleType::Float32LSB;
  fifo.configure(config);
  // The most one read takes: a buffer at the capture rate, 1 % of drift
  // adjust, and the resampler's integer consumption.
  const auto mostPerRead = static_cast<std::int64_t>(std::ceil(kBuffer * 44100.0 / 48000.0 * (1 + Resampler::kMaxRatioAdjust))) + 2;
  std::vector<float> left(kBuffer), right(kBuffer);
  void* destinations[kChannels] = {left.data(), right.data()};
  {
    Observer observer(fifo);
    CaptureThread capture(fifo, mostPerRead + fifo.targetFrames(), config.format);
    for (std::int64_t n = 0; n < 3000; ++n) {
      ASSERT_TRUE(capture.readyFor(n)) << "the capture thread stopped before read " << n;
      fifo.read(destinations, 0);
      capture.readDone(n, fifo.stats().fillFrames);
    }
    EXPECT_FALSE(observer.sawNonsense());
  }
  const InputFifo::Stats s = fifo.stats();
  EXPECT_TRUE(s.primed);
  EXPECT_TRUE(s.resampling);
  EXPECT_EQ(s.underruns, 0u);
}

}  // namespace
}  // namespace a2w
