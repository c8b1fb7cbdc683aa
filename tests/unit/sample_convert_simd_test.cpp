// The vectorised conversion kernels (core/sample_convert_kernels.h) against
// the scalar reference, byte for byte, at every level this build and CPU
// have (SSE2, AVX2): every hot pair in both directions, channel counts 1..33
// and beyond the narrow kernels' scratch block, frame counts with and
// without a scalar tail, misaligned device and host buffers, silent (null)
// slots, and edge values mixed into random data: full scale, clipping,
// rounding ties, NaN of every kind, infinities and denormals; and the same
// under every MXCSR rounding mode and with flush-to-zero / denormals-are-zero.
//
// A level this CPU cannot run is skipped (and reported as skipped, never as
// passed); one it can run must really have run its kernels: the tests call
// the kernel alone too and check how many frames it converted.
#include <gtest/gtest.h>

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#if defined(__SSE2__) || defined(_M_X64)
#include <xmmintrin.h>  // _mm_getcsr / _mm_setcsr: flush-to-zero and denormals-are-zero
#define A2W_TEST_HAS_MXCSR 1
#endif

#include "core/sample_convert.h"
#include "core/sample_convert_simd.h"

namespace a2w {
namespace {

using asio::SampleType;
using Bytes = std::vector<unsigned char>;

constexpr SampleType kHostTypes[] = {SampleType::Float32LSB, SampleType::Int32LSB};
constexpr DeviceSampleFormat kFormats[] = {DeviceSampleFormat::Int16, DeviceSampleFormat::Int24Packed,
                                           DeviceSampleFormat::Int24In32, DeviceSampleFormat::Int32,
                                           DeviceSampleFormat::Float32};
constexpr int kScratchWords = 2048;  // sample_convert_engine.h: narrow kernels refuse more channels than fit
constexpr unsigned char kGuard = 0xA5;
constexpr int kGuardBytes = 40;

std::string hostName(SampleType t) { return t == SampleType::Float32LSB ? "Float32LSB" : "Int32LSB"; }

std::uint32_t bitsOf(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

struct Random {
  std::uint64_t state;
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint32_t word() { return static_cast<std::uint32_t>(next() >> 32); }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

// Float edges, as bit patterns.
const std::vector<std::uint32_t>& floatEdges() {
  static const std::vector<std::uint32_t> edges = [] {
    std::vector<std::uint32_t> e;
    auto both = [&e](double x) {
      e.push_back(bitsOf(static_cast<float>(x)));
      e.push_back(bitsOf(static_cast<float>(-x)));
    };
    const float lim = std::numeric_limits<float>::max();
    const float denormMin = std::numeric_limits<float>::denorm_min();
    const float normMin = std::numeric_limits<float>::min();
    for (double x : {0.0, 1.0, 0.5, 0.25, 1.5, 2.0, 1e10, 1e30, static_cast<double>(lim), 1.0 - std::ldexp(1.0, -24),
                     1.0 + std::ldexp(1.0, -23), 0.999, static_cast<double>(denormMin), 3.0 * denormMin,
                     static_cast<double>(normMin - denormMin), static_cast<double>(normMin), 1e-30}) {
      both(x);
    }
    const float inf = std::numeric_limits<float>::infinity();
    e.push_back(bitsOf(inf));
    e.push_back(bitsOf(-inf));
    for (std::uint32_t nan : {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0xff800001u, 0x7fffffffu, 0xffffffffu, 0x7fa5a5a5u}) {
      e.push_back(nan);
    }
    // Ties and near-ties at every integer width the kernels round to, and
    // the largest float below half an LSB.
    for (int bits : {16, 24, 32}) {
      const double lsb = std::ldexp(1.0, 1 - bits);
      const double top = std::ldexp(1.0, bits - 1);
      for (double k : {0.0, 1.0, 2.0, 3.0, 1000.0, 4097.0, top - 2.0, top - 1.0}) {
        for (double d : {0.5, 0.25, 0.75, 0.0}) both((k + d) * lsb);
      }
      both(std::nextafter(static_cast<float>(0.5 * lsb), 0.0f));
      both(std::nextafter(static_cast<float>(1.5 * lsb), 0.0f));
      both(std::nextafter(static_cast<float>(1.5 * lsb), 1.0f));
      both(1.0 - lsb / 2);  // rounds up into the clip
    }
    return e;
  }();
  return edges;
}

// Integer edges: full scale, and the ties and clips of narrowing by 8 and 16 bits.
const std::vector<std::uint32_t>& intEdges() {
  static const std::vector<std::uint32_t> edges = [] {
    std::vector<std::uint32_t> e;
    auto add = [&e](std::int64_t v) { e.push_back(static_cast<std::uint32_t>(static_cast<std::int32_t>(v))); };
    const std::int64_t max = 0x7fffffff, min = -max - 1;
    for (std::int64_t v : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, max, min, max - 1, min + 1}) add(v);
    for (int shift : {8, 16}) {
      const std::int64_t step = std::int64_t{1} << shift, half = step / 2;
      for (std::int64_t k : {std::int64_t{0}, std::int64_t{1}, std::int64_t{5}, std::int64_t{-1}, std::int64_t{-6},
                             (max >> shift), (min >> shift), (max >> shift) - 1}) {
        for (std::int64_t r : {half - 1, half, half + 1, std::int64_t{0}, step - 1}) add(k * step + r);
      }
      for (std::int64_t d : {half - 1, half, half + 1}) add(max - d);
    }
    return e;
  }();
  return edges;
}

// `count` 32-bit words: a quarter edges, the rest random (floats: values
// around full scale or arbitrary bit patterns).
std::vector<std::uint32_t> words(bool floats, int count, Random& rng) {
  const std::vector<std::uint32_t>& edges = floats ? floatEdges() : intEdges();
  std::vector<std::uint32_t> w(static_cast<std::size_t>(count));
  for (auto& x : w) {
    const int pick = rng.below(8);
    if (pick < 2) {
      x = edges[static_cast<std::size_t>(rng.below(static_cast<int>(edges.size())))];
    } else if (floats && pick < 6) {
      const double u = static_cast<double>(rng.next() >> 11) * std::ldexp(1.0, -53);
      x = bitsOf(static_cast<float>((u * 2.0 - 1.0) * 1.25));
    } else {
      x = rng.word();
    }
  }
  return w;
}

// Device bytes of `format`: the 32-bit formats as words above, the narrow
// ones random bytes with their own full-scale values mixed in.
Bytes deviceBytes(DeviceSampleFormat format, int samples, Random& rng) {
  const int bytes = bytesPerSample(format);
  Bytes out(static_cast<std::size_t>(samples) * static_cast<std::size_t>(bytes));
  if (bytes == 4) {
    const std::vector<std::uint32_t> w = words(format == DeviceSampleFormat::Float32, samples, rng);
    std::memcpy(out.data(), w.data(), out.size());
    return out;
  }
  for (auto& b : out) b = static_cast<unsigned char>(rng.word());
  const std::uint32_t edges16[] = {0x0000, 0x0001, 0xffff, 0x7fff, 0x8000, 0x7ffe, 0x8001};
  const std::uint32_t edges24[] = {0x000000, 0x000001, 0xffffff, 0x7fffff, 0x800000, 0x7ffffe, 0x800001};
  for (int i = 0; i < samples; ++i) {
    if (rng.below(4) != 0) continue;
    const std::uint32_t v = bytes == 2 ? edges16[rng.below(7)] : edges24[rng.below(7)];
    for (int k = 0; k < bytes; ++k) out[static_cast<std::size_t>(i * bytes + k)] = static_cast<unsigned char>(v >> (8 * k));
  }
  return out;
}

// Which frames a kernel must convert by itself: whole vectors, unless a
// narrow format's scratch block cannot hold one vector of every channel.
int expectedKernelFrames(SimdLevel level, DeviceSampleFormat format, int channels, int frames) {
  const int lanes = simdLanes(level);
  const bool narrow = bytesPerSample(format) < 4;
  if (narrow && (kScratchWords / channels) / lanes == 0) return 0;
  return frames - frames % lanes;
}

struct Case {
  int channels;
  int frames;
  int deviceOffset;  // bytes: the device buffer's misalignment
  int hostOffset;    // words: host buffers off their allocation's alignment
  int nullSlot;      // -1: none
};

std::string describe(SimdLevel level, const Case& c) {
  std::ostringstream s;
  s << toString(level) << ", " << c.channels << " ch x " << c.frames << " frames, device +" << c.deviceOffset
    << " bytes, host +" << c.hostOffset << " words, null slot " << c.nullSlot;
  return s.str();
}

// First difference between two byte buffers, as text ("" when equal).
std::string firstDifference(const Bytes& want, const Bytes& got) {
  if (want.size() != got.size()) return "sizes differ";
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i] != got[i]) {
      std::ostringstream s;
      s << "byte " << i << ": scalar 0x" << std::hex << int{want[i]} << ", kernel 0x" << int{got[i]};
      return s.str();
    }
  }
  return "";
}

// One playback case: scalar, full SIMD path and kernel alone must agree.
void checkPlayback(SimdLevel level, SampleType hostType, DeviceSampleFormat format, const Case& c, Random& rng) {
  const int bytes = bytesPerSample(format);
  std::vector<std::vector<std::uint32_t>> planes;
  std::vector<const void*> sources;
  for (int slot = 0; slot < c.channels; ++slot) {
    planes.push_back(words(hostType == SampleType::Float32LSB, c.frames + c.hostOffset, rng));
    sources.push_back(slot == c.nullSlot ? nullptr : planes.back().data() + c.hostOffset);
  }
  const std::size_t used = static_cast<std::size_t>(c.channels) * static_cast<std::size_t>(c.frames) *
                           static_cast<std::size_t>(bytes);
  const Bytes fresh(static_cast<std::size_t>(c.deviceOffset) + used + kGuardBytes, kGuard);
  Bytes want = fresh, got = fresh, alone = fresh;
  const auto at = [&c](Bytes& b) { return b.data() + c.deviceOffset; };

  hostToDeviceAt(SimdLevel::Scalar, hostType, sources.data(), format, at(want), c.channels, c.frames, nullptr);
  hostToDeviceAt(level, hostType, sources.data(), format, at(got), c.channels, c.frames, nullptr);
  const int done = simdPlaybackOnly(level, hostType, sources.data(), format, at(alone), c.channels, c.frames);

  const std::string where = "Playback " + hostName(hostType) + " -> " + std::string(toString(format)) + ", " +
                            describe(level, c);
  EXPECT_EQ(firstDifference(want, got), "") << where;
  ASSERT_EQ(done, expectedKernelFrames(level, format, c.channels, c.frames)) << where;
  // The kernel's frames are the scalar ones; after them it wrote nothing.
  Bytes expectAlone = fresh;
  const std::size_t doneBytes = static_cast<std::size_t>(done) * static_cast<std::size_t>(c.channels) *
                                static_cast<std::size_t>(bytes);
  std::memcpy(expectAlone.data() + c.deviceOffset, want.data() + c.deviceOffset, doneBytes);
  EXPECT_EQ(firstDifference(expectAlone, alone), "") << where << " (kernel alone, " << done << " frames)";
  // Nothing before or after the device frames was touched.
  for (int i = 0; i < c.deviceOffset; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i)], kGuard) << where;
  for (std::size_t i = c.deviceOffset + used; i < got.size(); ++i) EXPECT_EQ(got[i], kGuard) << where;
}

// One capture case.
void checkCapture(SimdLevel level, DeviceSampleFormat format, SampleType hostType, const Case& c, Random& rng) {
  const Bytes device = deviceBytes(format, c.channels * c.frames, rng);
  Bytes storage(static_cast<std::size_t>(c.deviceOffset) + device.size());
  std::memcpy(storage.data() + c.deviceOffset, device.data(), device.size());
  const unsigned char* in = storage.data() + c.deviceOffset;

  // Planes of frames + guard words each, back to back in one buffer per run.
  const std::size_t planeBytes = static_cast<std::size_t>(c.hostOffset + c.frames) * 4 + kGuardBytes;
  const Bytes fresh(planeBytes * static_cast<std::size_t>(c.channels), kGuard);
  Bytes want = fresh, got = fresh, alone = fresh;
  auto destinations = [&](Bytes& b) {
    std::vector<void*> d;
    for (int slot = 0; slot < c.channels; ++slot) {
      d.push_back(slot == c.nullSlot ? nullptr : b.data() + planeBytes * static_cast<std::size_t>(slot) + 4 * c.hostOffset);
    }
    return d;
  };
  deviceToHostAt(SimdLevel::Scalar, format, in, c.channels, hostType, destinations(want).data(), c.frames);
  deviceToHostAt(level, format, in, c.channels, hostType, destinations(got).data(), c.frames);
  const int done = simdCaptureOnly(level, format, in, c.channels, hostType, destinations(alone).data(), c.frames);

  const std::string where = "Capture " + std::string(toString(format)) + " -> " + hostName(hostType) + ", " +
                            describe(level, c);
  EXPECT_EQ(firstDifference(want, got), "") << where;
  ASSERT_EQ(done, expectedKernelFrames(level, format, c.channels, c.frames)) << where;
  Bytes expectAlone = fresh;
  for (int slot = 0; slot < c.channels; ++slot) {
    const std::size_t start = planeBytes * static_cast<std::size_t>(slot) + 4 * static_cast<std::size_t>(c.hostOffset);
    std::memcpy(expectAlone.data() + start, want.data() + start, static_cast<std::size_t>(done) * 4);
  }
  EXPECT_EQ(firstDifference(expectAlone, alone), "") << where << " (kernel alone, " << done << " frames)";
}

// The cases every pair goes through.
std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (int channels = 1; channels <= 33; ++channels) {
    for (int frames : {1, 7, 8, 13, 16, 37, 67}) {
      const int null = channels >= 3 && frames % 2 == 1 ? 1 : -1;
      cases.push_back({channels, frames, (channels + frames) % 4, channels % 2, null});
    }
  }
  // Long buffers (several scratch blocks for the narrow formats), and more
  // channels than a narrow kernel's scratch block takes.
  for (int channels : {2, 8, 32}) cases.push_back({channels, 1027, 1, 0, -1});
  cases.push_back({300, 9, 3, 1, 7});
  return cases;
}

class SampleConvertSimdTest : public testing::TestWithParam<SimdLevel> {
 protected:
  void SetUp() override {
    if (!simdLevelAvailable(GetParam())) {
      GTEST_SKIP() << toString(GetParam()) << " kernels are not built into this binary or this CPU lacks "
                   << toString(GetParam());
    }
    std::cout << "[ SIMD     ] checking the " << toString(GetParam()) << " kernels (hostToDevice uses "
              << toString(activeSimdLevel()) << ")\n";
    RecordProperty("simd_level", std::string(toString(GetParam())));
  }
};

TEST_P(SampleConvertSimdTest, EveryHotPairHasAKernel) {
  for (SampleType host : kHostTypes) {
    for (DeviceSampleFormat format : kFormats) {
      EXPECT_TRUE(simdPlaybackKernel(GetParam(), host, format)) << hostName(host) << " -> " << toString(format);
      EXPECT_TRUE(simdCaptureKernel(GetParam(), format, host)) << toString(format) << " -> " << hostName(host);
    }
  }
  // Other host types stay scalar.
  EXPECT_FALSE(simdPlaybackKernel(GetParam(), SampleType::Int16LSB, DeviceSampleFormat::Float32));
  EXPECT_FALSE(simdCaptureKernel(GetParam(), DeviceSampleFormat::Float32, SampleType::Float64LSB));
}

TEST_P(SampleConvertSimdTest, PlaybackMatchesScalar) {
  Random rng{0x5eed0001u + static_cast<unsigned>(GetParam())};
  for (SampleType host : kHostTypes) {
    for (DeviceSampleFormat format : kFormats) {
      for (const Case& c : allCases()) {
        checkPlayback(GetParam(), host, format, c, rng);
        if (HasFatalFailure()) return;
      }
    }
  }
}

TEST_P(SampleConvertSimdTest, CaptureMatchesScalar) {
  Random rng{0x5eed0002u + static_cast<unsigned>(GetParam())};
  for (DeviceSampleFormat format : kFormats) {
    for (SampleType host : kHostTypes) {
      for (const Case& c : allCases()) {
        checkCapture(GetParam(), format, host, c, rng);
        if (HasFatalFailure()) return;
      }
    }
  }
}

// Every edge value in every lane position: the edge list, rotated, as one
// channel and as 3 interleaved channels.
TEST_P(SampleConvertSimdTest, EveryEdgeValueInEveryLane) {
  for (SampleType host : kHostTypes) {
    const std::vector<std::uint32_t>& edges = host == SampleType::Float32LSB ? floatEdges() : intEdges();
    const int n = static_cast<int>(edges.size());
    for (int channels : {1, 3}) {
      std::vector<std::vector<std::uint32_t>> planes;
      std::vector<const void*> sources;
      for (int slot = 0; slot < channels; ++slot) {
        std::vector<std::uint32_t> p;
        for (int rotation = 0; rotation < 8; ++rotation) {
          for (int i = 0; i < n; ++i) p.push_back(edges[static_cast<std::size_t>((i + rotation + slot) % n)]);
        }
        planes.push_back(std::move(p));
        sources.push_back(planes.back().data());
      }
      const int frames = 8 * n;
      for (DeviceSampleFormat format : kFormats) {
        const std::size_t size = static_cast<std::size_t>(frames * channels * bytesPerSample(format));
        Bytes want(size, kGuard), got(size, kGuard);
        hostToDeviceAt(SimdLevel::Scalar, host, sources.data(), format, want.data(), channels, frames, nullptr);
        ASSERT_EQ(simdPlaybackOnly(GetParam(), host, sources.data(), format, got.data(), channels, frames),
                  frames - frames % simdLanes(GetParam()));
        hostToDeviceAt(GetParam(), host, sources.data(), format, got.data(), channels, frames, nullptr);
        EXPECT_EQ(firstDifference(want, got), "") << hostName(host) << " -> " << toString(format) << ", " << channels
                                                  << " ch";
      }
      // The same words as device samples of the 32-bit formats, captured.
      for (DeviceSampleFormat format : {DeviceSampleFormat::Float32, DeviceSampleFormat::Int32,
                                        DeviceSampleFormat::Int24In32}) {
        if ((format == DeviceSampleFormat::Float32) != (host == SampleType::Float32LSB)) continue;
        std::vector<std::uint32_t> device;
        for (int f = 0; f < frames; ++f) {
          for (int slot = 0; slot < channels; ++slot) device.push_back(planes[static_cast<std::size_t>(slot)][static_cast<std::size_t>(f)]);
        }
        for (SampleType to : kHostTypes) {
          Bytes want(static_cast<std::size_t>(frames * channels) * 4, kGuard), got = want;
          std::vector<void*> wantPlanes, gotPlanes;
          for (int slot = 0; slot < channels; ++slot) {
            wantPlanes.push_back(want.data() + static_cast<std::size_t>(slot * frames) * 4);
            gotPlanes.push_back(got.data() + static_cast<std::size_t>(slot * frames) * 4);
          }
          deviceToHostAt(SimdLevel::Scalar, format, device.data(), channels, to, wantPlanes.data(), frames);
          deviceToHostAt(GetParam(), format, device.data(), channels, to, gotPlanes.data(), frames);
          EXPECT_EQ(firstDifference(want, got), "") << toString(format) << " -> " << hostName(to);
        }
      }
    }
  }
}

// Restores the floating-point environment on scope exit.
class FloatEnvironment {
 public:
  FloatEnvironment() : rounding_(std::fegetround()) {
#if defined(A2W_TEST_HAS_MXCSR)
    mxcsr_ = _mm_getcsr();
#endif
  }
  ~FloatEnvironment() {
    std::fesetround(rounding_);
#if defined(A2W_TEST_HAS_MXCSR)
    _mm_setcsr(mxcsr_);
#endif
  }
  FloatEnvironment(const FloatEnvironment&) = delete;
  FloatEnvironment& operator=(const FloatEnvironment&) = delete;

 private:
  int rounding_;
#if defined(A2W_TEST_HAS_MXCSR)
  unsigned mxcsr_ = 0;
#endif
};

// Hosts run their audio threads with other rounding modes or with
// flush-to-zero and denormals-are-zero: the kernels still match the scalar
// code (the rounding to integers does not depend on the mode at all).
TEST_P(SampleConvertSimdTest, MatchesScalarUnderEveryRoundingModeAndFlushToZero) {
  struct Mode {
    const char* name;
    int rounding;
    bool flushDenormals;
  };
  std::vector<Mode> modes = {{"to nearest", FE_TONEAREST, false},
                             {"upward", FE_UPWARD, false},
                             {"downward", FE_DOWNWARD, false},
                             {"toward zero", FE_TOWARDZERO, false}};
#if defined(A2W_TEST_HAS_MXCSR)
  modes.push_back({"FTZ+DAZ", FE_TONEAREST, true});
  modes.push_back({"FTZ+DAZ upward", FE_UPWARD, true});
#endif
  Random rng{99};
  for (const Mode& mode : modes) {
    FloatEnvironment restore;
    ASSERT_EQ(std::fesetround(mode.rounding), 0) << mode.name;
#if defined(A2W_TEST_HAS_MXCSR)
    if (mode.flushDenormals) _mm_setcsr(_mm_getcsr() | 0x8040u);  // FTZ (bit 15) and DAZ (bit 6)
#endif
    SCOPED_TRACE(mode.name);
    for (const Case& c : {Case{1, 37, 1, 0, -1}, Case{2, 67, 2, 1, -1}, Case{3, 37, 3, 0, 1}, Case{8, 67, 0, 1, -1}}) {
      for (SampleType host : kHostTypes) {
        for (DeviceSampleFormat format : kFormats) {
          checkPlayback(GetParam(), host, format, c, rng);
          checkCapture(GetParam(), format, host, c, rng);
        }
      }
    }
  }
}

// Dither is scalar only: with a dither object the narrowing pairs give
// exactly the scalar (dithered) bytes; the others still use the kernels.
TEST_P(SampleConvertSimdTest, DitheredConversionsStayScalar) {
  Random rng{5};
  const std::vector<std::uint32_t> plane = words(true, 64, rng);
  const void* sources[] = {plane.data(), plane.data()};
  for (DeviceSampleFormat format : kFormats) {
    Bytes want(static_cast<std::size_t>(2 * 64 * bytesPerSample(format)), kGuard), got = want;
    TpdfDither a(1234), b(1234);
    hostToDeviceAt(SimdLevel::Scalar, SampleType::Float32LSB, sources, format, want.data(), 2, 64, &a);
    hostToDeviceAt(GetParam(), SampleType::Float32LSB, sources, format, got.data(), 2, 64, &b);
    EXPECT_EQ(firstDifference(want, got), "") << toString(format);
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, SampleConvertSimdTest, testing::Values(SimdLevel::Sse2, SimdLevel::Avx2),
                         [](const testing::TestParamInfo<SimdLevel>& info) {
                           return std::string(toString(info.param));
                         });

// The public functions use the best level this machine has.
TEST(SampleConvertSimdDispatch, ActiveLevelIsTheBestAvailable) {
  SimdLevel best = SimdLevel::Scalar;
  for (SimdLevel level : {SimdLevel::Sse2, SimdLevel::Avx2}) {
    if (simdLevelAvailable(level)) best = level;
  }
  EXPECT_EQ(activeSimdLevel(), best);
  std::cout << "[ SIMD     ] hostToDevice and deviceToHost use " << toString(activeSimdLevel()) << "\n";
  EXPECT_TRUE(simdLevelAvailable(SimdLevel::Scalar));
}

}  // namespace
}  // namespace a2w
