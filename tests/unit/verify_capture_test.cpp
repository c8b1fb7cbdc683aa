// The capture verifier (tools/verify) on synthetic captures: a clean copy
// passes; each kind of damage a driver can do to the stream is detected.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/test_signal.h"
#include "verify/capture_analysis.h"
#include "verify/json.h"

namespace {

using a2w::verify::Format;
using a2w::verify::Options;
using a2w::verify::Result;

constexpr std::uint32_t kChannels = 2;
constexpr std::uint64_t kBuffer = 480;
constexpr std::uint64_t kBuffers = 40;
constexpr std::uint64_t kFrames = kBuffer * kBuffers;

// A capture as the host's buffers arrive: `order` lists buffer indices, each
// played as kBuffer frames of the sequence, between silent lead-in and tail.
std::vector<double> capture(const std::vector<std::uint64_t>& order, Format f = Format::Float32,
                            std::uint64_t leadIn = 1234, std::uint64_t tail = 777,
                            std::uint32_t channels = kChannels) {
  std::vector<double> s(leadIn * channels, 0.0);
  for (auto b : order)
    for (std::uint64_t n = b * kBuffer; n < (b + 1) * kBuffer; ++n)
      for (std::uint32_t c = 0; c < channels; ++c) s.push_back(a2w::verify::expectedValue(n, c, f));
  s.insert(s.end(), tail * channels, 0.0);
  return s;
}

std::vector<std::uint64_t> inOrder() {
  std::vector<std::uint64_t> v;
  for (std::uint64_t b = 0; b < kBuffers; ++b) v.push_back(b);
  return v;
}

Result check(const std::vector<double>& s, Format f = Format::Float32, std::uint32_t channels = kChannels) {
  Options o;
  o.format = f;
  o.channels = channels;
  o.framesPlayed = kFrames;
  return a2w::verify::analyze(s, o);
}

TEST(VerifyCapture, CleanStreamIsVerifiedCompletely) {
  const Result r = check(capture(inOrder()));
  EXPECT_TRUE(r.locked);
  EXPECT_EQ(r.leadInFrames, 1234u);
  EXPECT_EQ(r.trailingSilenceFrames, 777u);
  EXPECT_EQ(r.discontinuities, 0u);
  EXPECT_EQ(r.framesVerified, kFrames);
  EXPECT_EQ(r.firstFrame, 0u);
  EXPECT_EQ(r.lastFrame, kFrames - 1);
  EXPECT_EQ(r.missingAtStart, 0u);
  EXPECT_EQ(r.missingAtEnd, 0u);
  EXPECT_EQ(r.maxAbsError, 0.0);
  EXPECT_TRUE(r.ok(kFrames)) << testing::PrintToString(r.failures(kFrames));
}

TEST(VerifyCapture, NoLeadInAndNoTailIsStillClean) {
  const Result r = check(capture(inOrder(), Format::Float32, 0, 0));
  EXPECT_EQ(r.leadInFrames, 0u);
  EXPECT_TRUE(r.ok(kFrames));
}

TEST(VerifyCapture, DroppedBufferIsOneDiscontinuity) {
  auto order = inOrder();
  order.erase(order.begin() + 7);
  const Result r = check(capture(order));
  EXPECT_EQ(r.discontinuities, 1u);
  EXPECT_EQ(r.framesVerified, kFrames - kBuffer);
  ASSERT_FALSE(r.events.empty());
  EXPECT_EQ(r.events[0].expectedFrame, 7 * kBuffer);
  EXPECT_EQ(r.events[0].foundFrame, 8 * kBuffer);
  EXPECT_FALSE(r.ok(kFrames));
}

TEST(VerifyCapture, RepeatedBufferIsDetected) {
  auto order = inOrder();
  order.insert(order.begin() + 10, 9);
  const Result r = check(capture(order));
  EXPECT_EQ(r.discontinuities, 1u);
  EXPECT_EQ(r.framesRepeated, kBuffer);
  EXPECT_EQ(r.framesVerified, kFrames);  // every frame is there, one buffer twice
  EXPECT_FALSE(r.ok(kFrames));
}

TEST(VerifyCapture, SwappedBuffersAreDetected) {
  auto order = inOrder();
  std::swap(order[12], order[13]);
  const Result r = check(capture(order));
  EXPECT_GE(r.discontinuities, 2u);
  EXPECT_EQ(r.framesVerified, kFrames);
  EXPECT_FALSE(r.ok(kFrames));
}

TEST(VerifyCapture, SingleCorruptedSampleCountsAnErrorNotABreak) {
  auto s = capture(inOrder());
  const std::uint64_t frame = 5000;
  s[(1234 + frame) * kChannels + 1] += 1.0 / 131072.0;  // one LSB of the signal's grid
  const Result r = check(s);
  EXPECT_EQ(r.errorFrames, 1u);
  EXPECT_EQ(r.discontinuities, 0u);
  EXPECT_EQ(r.framesVerified, kFrames - 1);
  EXPECT_NEAR(r.maxAbsError, 1.0 / 131072.0, 1e-12);
  EXPECT_FALSE(r.ok(kFrames));
}

TEST(VerifyCapture, TruncatedTailIsMissingAtEnd) {
  auto order = inOrder();
  order.resize(kBuffers - 3);
  const Result r = check(capture(order));
  EXPECT_EQ(r.discontinuities, 0u);
  EXPECT_EQ(r.missingAtEnd, 3 * kBuffer);
  EXPECT_EQ(r.framesVerified, kFrames - 3 * kBuffer);
  EXPECT_FALSE(r.ok(kFrames));
}

TEST(VerifyCapture, TailQueuedAtStopIsAllowedOnlyUpToTheAllowance) {
  auto order = inOrder();
  order.resize(kBuffers - 3);
  const Result r = check(capture(order));
  EXPECT_TRUE(r.ok(kFrames, 3 * kBuffer)) << testing::PrintToString(r.failures(kFrames, 3 * kBuffer));
  EXPECT_FALSE(r.ok(kFrames, 3 * kBuffer - 1));
  // The allowance covers only the end: a drop inside still fails.
  order.erase(order.begin() + 5);
  EXPECT_FALSE(check(capture(order)).ok(kFrames, 4 * kBuffer));
}

TEST(VerifyCapture, MissingStartIsReported) {
  auto order = inOrder();
  order.erase(order.begin(), order.begin() + 2);
  const Result r = check(capture(order));
  EXPECT_EQ(r.firstFrame, 2 * kBuffer);
  EXPECT_EQ(r.missingAtStart, 2 * kBuffer);
  EXPECT_EQ(r.discontinuities, 0u);
  EXPECT_FALSE(r.ok(kFrames));
}

TEST(VerifyCapture, SilentGapInsideTheSignalIsOneDiscontinuity) {
  auto s = capture(inOrder());
  // An underrun: one buffer's worth of silence replaces buffer 20.
  for (std::uint64_t n = 20 * kBuffer; n < 21 * kBuffer; ++n)
    for (std::uint32_t c = 0; c < kChannels; ++c) s[(1234 + n) * kChannels + c] = 0.0;
  const Result r = check(s);
  EXPECT_EQ(r.discontinuities, 1u);
  EXPECT_EQ(r.silentGapFrames, kBuffer);
  EXPECT_EQ(r.framesVerified, kFrames - kBuffer);
  EXPECT_FALSE(r.ok(kFrames));
}

TEST(VerifyCapture, NoSignalIsNotLocked) {
  const std::vector<double> s(10000 * kChannels, 0.0);
  const Result r = check(s);
  EXPECT_FALSE(r.locked);
  EXPECT_FALSE(r.ok(kFrames));
}

TEST(VerifyCapture, MoreFramesThanReportedAreFlagged) {
  Options o;
  o.framesPlayed = kFrames - kBuffer;
  const Result r = a2w::verify::analyze(capture(inOrder()), o);
  EXPECT_EQ(r.framesBeyondPlayed, kBuffer);
  EXPECT_FALSE(r.ok(o.framesPlayed));
}

// Every raw format round-trips through encode/decode and verifies bit-exact.
class VerifyCaptureFormats : public testing::TestWithParam<Format> {};

TEST_P(VerifyCaptureFormats, CleanRawCaptureVerifies) {
  const Format f = GetParam();
  const auto values = capture(inOrder(), f);
  const auto raw = a2w::verify::encode(values, f);
  ASSERT_EQ(raw.size(), values.size() * static_cast<std::size_t>(a2w::verify::bytesPerSample(f)));
  Options o;
  o.format = f;
  o.framesPlayed = kFrames;
  const Result r = a2w::verify::analyzeRaw(raw, o);
  EXPECT_TRUE(r.ok(kFrames)) << testing::PrintToString(r.failures(kFrames));
  if (f == Format::Int16) {
    EXPECT_LE(r.maxAbsError, 1.0 / 65536.0);  // half an int16 LSB
  } else {
    EXPECT_EQ(r.maxAbsError, 0.0);
  }
  EXPECT_EQ(a2w::verify::detectFormat(raw, o), f);
}

TEST_P(VerifyCaptureFormats, DroppedBufferInRawCaptureIsDetected) {
  const Format f = GetParam();
  auto order = inOrder();
  order.erase(order.begin() + 30);
  const auto raw = a2w::verify::encode(capture(order, f), f);
  Options o;
  o.format = f;
  o.framesPlayed = kFrames;
  const Result r = a2w::verify::analyzeRaw(raw, o);
  EXPECT_EQ(r.discontinuities, 1u);
  EXPECT_FALSE(r.ok(kFrames));
}

INSTANTIATE_TEST_SUITE_P(AllFormats, VerifyCaptureFormats,
                         testing::Values(Format::Float32, Format::Int16, Format::Int24, Format::Int32),
                         [](const auto& info) { return std::string(a2w::verify::toString(info.param)); });

TEST(VerifyCapture, RawSignalValuesAreTheSequence) {
  // The float32 capture of frame n is signal::sample(n, c) bit for bit.
  const auto raw = a2w::verify::encode(capture({0}, Format::Float32, 0, 0), Format::Float32);
  const auto back = a2w::verify::decode(raw, Format::Float32);
  for (std::uint64_t n = 0; n < kBuffer; ++n)
    for (std::uint32_t c = 0; c < kChannels; ++c)
      ASSERT_EQ(back[n * kChannels + c], static_cast<double>(a2w::signal::sample(n, c)));
}

TEST(VerifyCapture, MonoAndEightChannelCapturesVerify) {
  for (std::uint32_t ch : {1u, 8u}) {
    auto order = inOrder();
    order.erase(order.begin() + 3);
    const auto s = capture(order, Format::Float32, 100, 100, ch);
    const Result r = check(s, Format::Float32, ch);
    EXPECT_EQ(r.discontinuities, 1u) << ch << " channels";
    EXPECT_EQ(r.framesVerified, kFrames - kBuffer) << ch << " channels";
  }
}

TEST(VerifyCapture, DrainedNeedsSignalThenSilence) {
  const Format f = Format::Float32;
  EXPECT_FALSE(a2w::verify::drained(a2w::verify::encode(std::vector<double>(2000, 0.0), f), f, 2, 100));
  EXPECT_FALSE(a2w::verify::drained(a2w::verify::encode(capture(inOrder(), f, 10, 50), f), f, 2, 100));
  EXPECT_TRUE(a2w::verify::drained(a2w::verify::encode(capture(inOrder(), f, 10, 150), f), f, 2, 100));
}

TEST(VerifyJson, ParsesAndWritesAHostReport) {
  const std::string text = R"({"driver": "ASIO2WASAPI Universal", "sample_rate": 48000, "x": [1, 2.5, -3e-3],
    "callback_interval_us": {"mean": 10000.5, "min": 9000}, "ok": true, "none": null, "s": "a\"b\u00e9"})";
  std::string err;
  const auto v = a2w::json::parse(text, &err);
  ASSERT_TRUE(v) << err;
  ASSERT_NE(v->find("driver"), nullptr);
  EXPECT_EQ(v->find("driver")->asString(), "ASIO2WASAPI Universal");
  EXPECT_EQ(v->find("sample_rate")->asNumber(), 48000.0);
  EXPECT_EQ(v->find("callback_interval_us")->find("mean")->asNumber(), 10000.5);
  EXPECT_EQ(v->find("s")->asString(), "a\"b\xc3\xa9");
  const auto again = a2w::json::parse(a2w::json::write(*v), &err);
  ASSERT_TRUE(again) << err;
  EXPECT_EQ(a2w::json::write(*again), a2w::json::write(*v));
  EXPECT_FALSE(a2w::json::parse("{\"a\": }"));
  EXPECT_FALSE(a2w::json::parse("[1, 2"));
}

}  // namespace
