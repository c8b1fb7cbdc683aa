#include "verify/capture_analysis.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <utility>

#include "common/test_signal.h"

namespace a2w::verify {

std::string_view toString(Format f) {
  switch (f) {
    case Format::Float32: return "float32";
    case Format::Int16: return "int16";
    case Format::Int24: return "int24";
    case Format::Int32: return "int32";
  }
  return "?";
}

std::optional<Format> parseFormat(std::string_view s) {
  if (s == "float32" || s == "float32le") return Format::Float32;
  if (s == "int16" || s == "s16le") return Format::Int16;
  if (s == "int24" || s == "s24le") return Format::Int24;
  if (s == "int32" || s == "s32le") return Format::Int32;
  return std::nullopt;
}

int bytesPerSample(Format f) {
  switch (f) {
    case Format::Int16: return 2;
    case Format::Int24: return 3;
    case Format::Float32:
    case Format::Int32: return 4;
  }
  return 0;
}

namespace {

// Round to nearest, ties away from zero (std::round), clipped to `bits`.
std::int64_t roundClip(double scaled, int bits) {
  const double hi = std::ldexp(1.0, bits - 1) - 1.0;
  const double lo = -std::ldexp(1.0, bits - 1);
  if (std::isnan(scaled)) return 0;
  if (scaled >= hi) return static_cast<std::int64_t>(hi);
  if (scaled <= lo) return static_cast<std::int64_t>(lo);
  return static_cast<std::int64_t>(std::round(scaled));
}

int intBits(Format f) {
  switch (f) {
    case Format::Int16: return 16;
    case Format::Int24: return 24;
    case Format::Int32: return 32;
    case Format::Float32: return 0;
  }
  return 0;
}

}  // namespace

double expectedValue(std::uint64_t frame, std::uint32_t channel, Format f) {
  const double v = static_cast<double>(signal::sample(frame, channel));
  if (f != Format::Int16) return v;  // exact: a multiple of 2^-17 fits 24 and 32 bits and float32
  return std::ldexp(static_cast<double>(roundClip(std::ldexp(v, 15), 16)), -15);
}

std::vector<double> decode(std::span<const std::byte> raw, Format f) {
  const auto bps = static_cast<std::size_t>(bytesPerSample(f));
  const std::size_t count = raw.size() / bps;
  std::vector<double> out(count);
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  for (std::size_t i = 0; i < count; ++i, p += bps) {
    std::uint32_t u = 0;
    for (std::size_t b = 0; b < bps; ++b) u |= static_cast<std::uint32_t>(p[b]) << (8 * b);
    switch (f) {
      case Format::Float32:
        out[i] = static_cast<double>(std::bit_cast<float>(u));
        break;
      case Format::Int16:
        out[i] = std::ldexp(static_cast<double>(static_cast<std::int16_t>(u)), -15);
        break;
      case Format::Int24: {
        // Sign-extend the 24-bit value by moving it to the top of 32 bits.
        const auto s = static_cast<std::int32_t>(u << 8) / 256;
        out[i] = std::ldexp(static_cast<double>(s), -23);
        break;
      }
      case Format::Int32:
        out[i] = std::ldexp(static_cast<double>(static_cast<std::int32_t>(u)), -31);
        break;
    }
  }
  return out;
}

std::vector<std::byte> encode(std::span<const double> values, Format f) {
  const auto bps = static_cast<std::size_t>(bytesPerSample(f));
  std::vector<std::byte> out(values.size() * bps);
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  for (double v : values) {
    std::uint32_t u = 0;
    if (f == Format::Float32) {
      u = std::bit_cast<std::uint32_t>(static_cast<float>(v));
    } else {
      const int bits = intBits(f);
      u = static_cast<std::uint32_t>(static_cast<std::int32_t>(roundClip(std::ldexp(v, bits - 1), bits)));
    }
    for (std::size_t b = 0; b < bps; ++b) *p++ = static_cast<unsigned char>(u >> (8 * b));
  }
  return out;
}

bool Result::ok(std::uint64_t framesPlayed, std::uint64_t stopAllowance) const {
  return failures(framesPlayed, stopAllowance).empty();
}

std::vector<std::string> Result::failures(std::uint64_t framesPlayed, std::uint64_t stopAllowance) const {
  std::vector<std::string> f;
  if (framesPlayed == 0) f.emplace_back("no frames played");
  if (!locked) {
    f.emplace_back("the sequence was not found in the capture");
    return f;
  }
  if (discontinuities != 0) f.push_back(std::to_string(discontinuities) + " discontinuities");
  if (errorFrames != 0) f.push_back(std::to_string(errorFrames) + " frames with wrong values");
  if (unmatchedFrames != 0) f.push_back(std::to_string(unmatchedFrames) + " frames before the signal that are not silence");
  if (framesRepeated != 0) f.push_back(std::to_string(framesRepeated) + " frames repeated");
  if (framesBeyondPlayed != 0) f.push_back(std::to_string(framesBeyondPlayed) + " frames beyond the frames played");
  if (missingAtStart != 0) f.push_back(std::to_string(missingAtStart) + " frames missing at the start");
  const std::uint64_t unheard = missingAtEnd <= stopAllowance ? missingAtEnd : 0;
  if (missingAtEnd > stopAllowance) {
    f.push_back(std::to_string(missingAtEnd) + " frames missing at the end (more than the " +
                std::to_string(stopAllowance) + " that may be queued at stop)");
  }
  if (framesVerified + unheard != framesPlayed) {
    f.push_back(std::to_string(framesVerified) + " of " + std::to_string(framesPlayed - unheard) +
                " frames verified");
  }
  return f;
}

namespace {

// Frames per lookup key: enough that a key carries some 40 bits of the
// sequence (a channel's code has 16 bits, 14 after int16 rounding).
std::uint32_t windowFrames(std::uint32_t channels) {
  const std::uint32_t bitsPerFrame = 14 * std::max<std::uint32_t>(channels, 1);
  return std::max<std::uint32_t>(1, (40 + bitsPerFrame - 1) / bitsPerFrame);
}

std::uint64_t mixIn(std::uint64_t h, double v) {
  h ^= std::bit_cast<std::uint64_t>(v == 0.0 ? 0.0 : v);  // -0 and +0 hash alike
  h *= 0x100000001B3ull;
  h ^= h >> 29;
  return h;
}

class Analyzer {
 public:
  Analyzer(std::span<const double> samples, const Options& o)
      : s_(samples), o_(o), ch_(std::max<std::uint32_t>(o.channels, 1)),
        n_(samples.size() / ch_), w_(windowFrames(ch_)) {}

  Result run() {
    Result r;
    r.framesCaptured = n_;
    std::uint64_t i = 0;
    while (i < n_ && silent(i)) ++i;
    r.leadInFrames = i;
    std::uint64_t end = n_;
    while (end > i && silent(end - 1)) --end;
    r.trailingSilenceFrames = n_ - end;
    if (i == end || o_.framesPlayed == 0) return r;

    buildTable();
    seen_.assign(o_.framesPlayed, false);
    std::uint64_t next = 0;
    bool afterGap = false;  // a jump right after a silent gap is part of that break
    while (i < end) {
      if (r.locked && matches(i, next)) {
        record(r, i, next);
        ++i;
        ++next;
        afterGap = false;
        continue;
      }
      if (silent(i)) {
        std::uint64_t j = i;
        while (j < end && silent(j)) ++j;
        r.silentGapFrames += j - i;
        ++r.discontinuities;
        event(r, Event::Kind::SilentGap, i, next, j - i);
        afterGap = true;
        i = j;
        continue;
      }
      if (auto found = find(i, next)) {
        if (!r.locked) {
          r.locked = true;
          r.firstFrame = *found;
        } else if (!afterGap) {
          ++r.discontinuities;
          event(r, Event::Kind::Jump, i, next, *found);
        }
        afterGap = false;
        next = *found;
        continue;  // frame i now matches `next`
      }
      if (r.locked) {
        // Found nowhere: a corrupted frame where `next` should be.
        ++r.errorFrames;
        event(r, Event::Kind::Corrupt, i, next, next);
        for (std::uint32_t c = 0; c < ch_; ++c) {
          r.maxAbsError = std::max(r.maxAbsError, std::abs(at(i, c) - static_cast<double>(signal::sample(next, c))));
        }
        r.lastFrame = next;
        ++next;
      } else {
        ++r.unmatchedFrames;
      }
      ++i;
      afterGap = false;
    }
    if (r.locked && haveSeen_) {
      r.missingAtStart = minSeen_;
      r.missingAtEnd = o_.framesPlayed - 1 - maxSeen_;
    } else if (r.locked) {
      r.missingAtStart = o_.framesPlayed;
    }
    return r;
  }

 private:
  double at(std::uint64_t frame, std::uint32_t c) const { return s_[frame * ch_ + c]; }

  bool silent(std::uint64_t frame) const {
    for (std::uint32_t c = 0; c < ch_; ++c)
      if (at(frame, c) != 0.0) return false;
    return true;
  }

  bool matches(std::uint64_t frame, std::uint64_t seq) const {
    for (std::uint32_t c = 0; c < ch_; ++c)
      if (at(frame, c) != expectedValue(seq, c, o_.format)) return false;
    return true;
  }

  std::uint64_t observedKey(std::uint64_t frame) const {
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (std::uint32_t k = 0; k < w_; ++k)
      for (std::uint32_t c = 0; c < ch_; ++c) h = mixIn(h, at(frame + k, c));
    return h;
  }

  // Keys for every window of the sequence the capture could hold: the frames
  // played plus a margin, so that frames beyond what the host reported are
  // recognised (and reported) rather than taken for corruption.
  void buildTable() {
    const std::uint64_t frames = o_.framesPlayed + std::max<std::uint64_t>(o_.framesPlayed / 4, 65536);
    table_.clear();
    table_.reserve(frames);
    for (std::uint64_t n = 0; n < frames; ++n) {
      std::uint64_t h = 0xCBF29CE484222325ull;
      for (std::uint32_t k = 0; k < w_; ++k)
        for (std::uint32_t c = 0; c < ch_; ++c) h = mixIn(h, expectedValue(n + k, c, o_.format));
      table_.emplace_back(h, n);
    }
    std::sort(table_.begin(), table_.end());
  }

  // The sequence frame that capture frame `frame` (and the window after it)
  // is, if any; of several, the first at or after `next`, else the last before.
  std::optional<std::uint64_t> find(std::uint64_t frame, std::uint64_t next) const {
    if (frame + w_ > n_) return std::nullopt;
    const auto key = observedKey(frame);
    auto [lo, hi] = std::equal_range(table_.begin(), table_.end(), std::pair<std::uint64_t, std::uint64_t>{key, 0},
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::optional<std::uint64_t> best;
    for (auto it = lo; it != hi; ++it) {
      const std::uint64_t seq = it->second;
      bool all = true;
      for (std::uint32_t k = 0; k < w_ && all; ++k) all = matches(frame + k, seq + k);
      if (!all) continue;
      if (!best) {
        best = seq;
      } else if (seq >= next && (*best < next || seq < *best)) {
        best = seq;
      } else if (seq < next && *best < next && seq > *best) {
        best = seq;
      }
    }
    return best;
  }

  void record(Result& r, std::uint64_t frame, std::uint64_t seq) {
    for (std::uint32_t c = 0; c < ch_; ++c) {
      r.maxAbsError = std::max(r.maxAbsError, std::abs(at(frame, c) - static_cast<double>(signal::sample(seq, c))));
    }
    r.lastFrame = seq;
    if (seq >= o_.framesPlayed) {
      ++r.framesBeyondPlayed;
      return;
    }
    if (seen_[seq]) {
      ++r.framesRepeated;
      return;
    }
    seen_[seq] = true;
    ++r.framesVerified;
    if (!haveSeen_ || seq < minSeen_) minSeen_ = seq;
    if (!haveSeen_ || seq > maxSeen_) maxSeen_ = seq;
    haveSeen_ = true;
  }

  static void event(Result& r, Event::Kind kind, std::uint64_t at, std::uint64_t expected, std::uint64_t found) {
    if (r.events.size() < kMaxEvents) r.events.push_back(Event{kind, at, expected, found});
  }

  std::span<const double> s_;
  Options o_;
  std::uint32_t ch_;
  std::uint64_t n_;
  std::uint32_t w_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> table_;
  std::vector<bool> seen_;
  bool haveSeen_ = false;
  std::uint64_t minSeen_ = 0;
  std::uint64_t maxSeen_ = 0;
};

}  // namespace

Result analyze(std::span<const double> samples, const Options& options) {
  return Analyzer(samples, options).run();
}

Result analyzeRaw(std::span<const std::byte> raw, const Options& options) {
  const auto values = decode(raw, options.format);
  return analyze(values, options);
}

Format detectFormat(std::span<const std::byte> raw, const Options& options) {
  Format best = Format::Float32;
  std::uint64_t bestVerified = 0;
  for (Format f : {Format::Float32, Format::Int32, Format::Int24, Format::Int16}) {
    Options o = options;
    o.format = f;
    const auto r = analyzeRaw(raw, o);
    if (r.framesVerified > bestVerified) {
      bestVerified = r.framesVerified;
      best = f;
    }
  }
  return best;
}

bool drained(std::span<const std::byte> raw, Format f, std::uint32_t channels, std::uint64_t tailFrames) {
  const auto ch = static_cast<std::size_t>(std::max<std::uint32_t>(channels, 1));
  const auto values = decode(raw, f);
  const std::size_t frames = values.size() / ch;
  std::size_t silentTail = 0;
  for (std::size_t n = frames; n > 0; --n) {
    bool silent = true;
    for (std::size_t c = 0; c < ch && silent; ++c) silent = values[(n - 1) * ch + c] == 0.0;
    if (!silent) return silentTail >= tailFrames;
    ++silentTail;
  }
  return false;  // no signal yet
}

}  // namespace a2w::verify
