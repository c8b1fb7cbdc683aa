// DeliveryLateness: packets of 10 ms at 48 kHz handed over late by known
// amounts (a load that comes and goes, a drifting capture clock, a stretch
// longer than the window, a clock stepped back), checking the lateness it
// reports against the truth, in simulated time.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

#include "core/delivery_lateness.h"
#include "support/allocation_counter.h"

namespace a2w {
namespace {

constexpr double kRate = 48000;
constexpr std::int64_t kPacket = 480;
constexpr std::uint64_t kStart = 7'000'000'000;

// The on-time stamp of the end of packet n (0-based) on a clock ppm fast.
std::uint64_t onTimeEndNs(std::int64_t n, double ppm) {
  return kStart + static_cast<std::uint64_t>(static_cast<double>((n + 1) * kPacket) * 1e9 / (kRate * (1 + ppm * 1e-6)));
}

TEST(DeliveryLateness, OnTimePacketsAreNotLate) {
  DeliveryLateness d;
  d.configure(kRate);
  for (std::int64_t n = 0; n < 6000; ++n) {
    EXPECT_NEAR(d.observe((n + 1) * kPacket, onTimeEndNs(n, 0)), 0.0, 1.0) << n;
  }
}

// A load one second in two: each packet of the loaded seconds 0..25 ms
// late, the quiet ones 0..1 ms. The lateness is known from the first
// loaded second on (no lock to wait for), within the quiet jitter plus the
// drift over the window (4 s at 200 ppm: 0.8 ms).
TEST(DeliveryLateness, ALoadThatComesAndGoesIsMeasuredFromTheStart) {
  for (const double ppm : {0.0, 200.0, -200.0}) {
    DeliveryLateness d;
    d.configure(kRate);
    std::mt19937 rng(3);
    std::uniform_int_distribution<std::uint64_t> quiet(0, 1'000'000), loaded(0, 25'000'000);
    double worst = 0;
    for (std::int64_t n = 0; n < 30000; ++n) {  // 300 s
      const bool busy = (n / 100) % 2 == 1;
      const std::uint64_t late = quiet(rng) + (busy ? loaded(rng) : 0);
      const double got = d.observe((n + 1) * kPacket, onTimeEndNs(n, ppm) + late);
      EXPECT_GE(got, 0.0);
      worst = std::max(worst, std::abs(got - static_cast<double>(late)));
    }
    EXPECT_LE(worst, 1'000'000 + 4.0 * std::abs(ppm) * 1e3 + 1e4) << ppm;
  }
}

// A stretch late for longer than the window becomes the floor: read as a
// phase move after at most the window, not as lateness for good.
TEST(DeliveryLateness, ALongStretchBecomesTheNewFloor) {
  DeliveryLateness d;
  d.configure(kRate);
  double got = 0;
  for (std::int64_t n = 0; n < 3000; ++n) {
    const std::uint64_t late = n >= 1000 ? 20'000'000 : 0;
    got = d.observe((n + 1) * kPacket, onTimeEndNs(n, 0) + late);
    if (n >= 1000 && n < 1000 + 340) {  // the window: 3.5 to 4 s (whole buckets)
      EXPECT_NEAR(got, 20e6, 1e3) << n;  // within the window: late
    }
  }
  EXPECT_NEAR(got, 0.0, 1e3);  // 20 s on: the new floor
}

TEST(DeliveryLateness, AClockSteppedBackStartsOver) {
  DeliveryLateness d;
  d.configure(kRate);
  for (std::int64_t n = 0; n < 100; ++n) d.observe((n + 1) * kPacket, onTimeEndNs(n, 0));
  EXPECT_EQ(d.observe(101 * kPacket, kStart - 1'000'000), 0.0);
  EXPECT_NEAR(d.observe(102 * kPacket, kStart - 1'000'000 + 10'000'000), 0.0, 1.0);
  d.reset();
  EXPECT_EQ(d.observe(kPacket, kStart + 50'000'000), 0.0);
}

TEST(DeliveryLateness, ObserveDoesNotAllocate) {
  DeliveryLateness d;
  d.configure(kRate);
  std::uint64_t allocations = 0;
  {
    test::CountAllocations counting;
    for (std::int64_t n = 0; n < 1000; ++n) d.observe((n + 1) * kPacket, onTimeEndNs(n, 0) + (n % 7) * 1'000'000);
    allocations = counting.count();
  }
  EXPECT_EQ(allocations, 0u);
}

}  // namespace
}  // namespace a2w
