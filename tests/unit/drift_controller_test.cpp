// The drift controller's feed-forward (drift_controller.h): the clocks'
// estimate takes over from the integral without a jump, and the level loop
// goes on trimming only what the estimate leaves.
#include <gtest/gtest.h>

#include <cmath>

#include "core/drift_controller.h"

namespace a2w {
namespace {

// A FIFO whose fill moves as df/dt = fc * (d - u) (the header's model), fed
// to the controller once per dt.
struct Loop {
  double fc = 1000, dt = 0.05, target = 50, drift = 0, fill = 50;
  DriftController c;
  Loop() { c.configure(dt, fc, target); }
  double step() {
    const double u = c.update(fill) - 1.0;
    fill += fc * (drift - u) * dt;
    return u;
  }
};

TEST(DriftControllerTest, TheFeedForwardTakesOverFromTheIntegralWithoutAJump) {
  Loop loop;
  loop.drift = 200e-6;
  for (int i = 0; i < 4000; ++i) loop.step();  // 200 s: the level loop learnt the drift
  ASSERT_NEAR(loop.c.ratioPpm(), 200.0, 1.0);
  ASSERT_NEAR(loop.c.integralPpm(), 200.0, 1.0);
  const double before = loop.c.ratioPpm();
  loop.c.setFeedForward(199e-6);  // the clocks' estimate, 1 ppm off
  EXPECT_NEAR(loop.c.feedForwardPpm(), 199.0, 1e-9);
  EXPECT_NEAR(loop.c.integralPpm(), before - 199.0, 1e-6);  // what is left for the level loop
  double worst = 0;
  for (int i = 0; i < 20; ++i) worst = std::max(worst, std::abs(loop.step() * 1e6 - before));
  EXPECT_LT(worst, 0.5);  // no jump at the handover
  for (int i = 0; i < 12000; ++i) loop.step();   // 10 handover time constants
  EXPECT_NEAR(loop.c.ratioPpm(), 200.0, 0.1);    // the loop still holds the truth
  // by trimming the estimate's error at the trim gains: the integral keeps
  // Ki*tau / (Kp + Ki*tau) of it (0.6 here), the proportional part the rest
  // (a level offset of 1 ppm / (Kp + Ki*tau) = 0.004 frames).
  EXPECT_NEAR(loop.c.integralPpm(), 0.6, 0.05);
  EXPECT_NEAR(loop.fill - loop.target, 0.004, 0.002);
}

// An estimate 50 ppm off: as the integral hands over, the output moves
// toward the estimate, the fill strays and the level loop holds it. The
// loop ends on the truth with a steady level offset of d / (Kp + Ki*tau) =
// 0.2 frames at 1 kHz at the trim gains (drift_controller.h).
TEST(DriftControllerTest, AWrongEstimateIsTrimmedByTheLevelLoop) {
  Loop loop;
  loop.drift = 200e-6;
  for (int i = 0; i < 4000; ++i) loop.step();
  loop.c.setFeedForward(250e-6);
  double stray = 0;
  for (int i = 0; i < 12000; ++i) {
    loop.step();
    stray = std::max(stray, std::abs(loop.fill - loop.target));
  }
  EXPECT_GT(stray, 0.1);  // the level loop did see the error
  EXPECT_LT(stray, 0.3);
  EXPECT_NEAR(loop.c.ratioPpm(), 200.0, 0.1);
  EXPECT_NEAR(loop.c.integralPpm(), -50.0 * 0.6, 1.0);
  EXPECT_NEAR(loop.fill - loop.target, -0.2, 0.01);
}

// The handover while the level loop is still learning (10 s into a 200 ppm
// step, the fill off its target): the output goes on exactly as without it
// at first; the integral takes over what the proportional part gives up as
// the gains drop (without that, the output would slew 5 ppm per update
// toward a value hundreds of ppm off).
TEST(DriftControllerTest, AHandoverMidTransientDoesNotMoveTheOutput) {
  Loop with, without;
  with.drift = without.drift = 200e-6;
  for (int i = 0; i < 200; ++i) {
    with.step();
    without.step();
  }
  ASSERT_GT(std::abs(with.fill - with.target), 0.1);  // still a transient
  with.c.setFeedForward(200e-6);
  double worst = 0;
  for (int i = 0; i < 5; ++i) worst = std::max(worst, std::abs(with.step() - without.step()) * 1e6);
  EXPECT_LT(worst, 0.5);
  for (int i = 0; i < 12000; ++i) with.step();
  EXPECT_NEAR(with.c.ratioPpm(), 200.0, 0.1);
  EXPECT_NEAR(with.fill, with.target, 0.01);
}

// After the handover a refined estimate goes straight to the output
// (slewed), the level loop untouched by it.
TEST(DriftControllerTest, LaterEstimatesGoStraightThrough) {
  Loop loop;
  loop.drift = 200e-6;
  for (int i = 0; i < 4000; ++i) loop.step();
  loop.c.setFeedForward(200e-6);
  for (int i = 0; i < 12000; ++i) loop.step();
  ASSERT_NEAR(loop.c.ratioPpm(), 200.0, 0.1);
  const double integral = loop.c.integralPpm();
  loop.c.setFeedForward(203e-6);
  EXPECT_DOUBLE_EQ(loop.c.integralPpm(), integral);
  for (int i = 0; i < 3; ++i) loop.step();  // 3 ppm at 5 ppm per update: there at once
  EXPECT_NEAR(loop.c.ratioPpm(), 203.0, 0.1);
}

TEST(DriftControllerTest, TheFeedForwardIsClampedAndResetForgetsIt) {
  DriftController c;
  c.configure(0.05, 48000, 100);
  c.setFeedForward(0.5);  // 500 000 ppm: a broken estimate
  EXPECT_EQ(c.feedForwardPpm(), DriftController::kMaxPpm);
  c.setFeedForward(std::nan(""));  // ignored
  EXPECT_EQ(c.feedForwardPpm(), DriftController::kMaxPpm);
  // The handover kept the output at 0; as the integral leaks (60 s) the
  // output follows the clamped estimate: 1000 (1 - e^-10) after 600 s.
  for (int i = 0; i < 12000; ++i) c.update(100);
  EXPECT_NEAR(c.ratioPpm(), DriftController::kMaxPpm, 0.1);
  // Reset: a controller that behaves as a fresh one (gains, integral,
  // feed-forward, output), step for step.
  c.reset();
  DriftController fresh;
  fresh.configure(0.05, 48000, 100);
  EXPECT_EQ(c.feedForwardPpm(), 0.0);
  for (int i = 0; i < 400; ++i) {
    const double fill = 100 + 20 * std::sin(i * 0.05);
    ASSERT_DOUBLE_EQ(c.update(fill), fresh.update(fill)) << i;
    ASSERT_DOUBLE_EQ(c.integralPpm(), fresh.integralPpm()) << i;
  }
}

}  // namespace
}  // namespace a2w
