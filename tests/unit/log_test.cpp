// The logger (src/core/log.h): the lock-free queue, the audio thread's push
// path (no lock, no allocation: checked with RealtimeScope / CheckedMutex
// and the test binary's counting operator new), line content and order, a
// full queue, rotation, level filtering, polls and the process session.
#include "support/temp_dir.h"
#include "core/log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/allocation_counter.h"

namespace a2w::log {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Each test's own folder (tests/support/temp_dir.h).
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("a2w-log-test-") {}
};

std::vector<std::string> readLines(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// The message part of a line: after "date time LEVEL tag ".
std::string messageOf(const std::string& line) {
  static const std::regex head(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} [A-Z]+ *[a-z]+ +)");
  std::smatch m;
  if (!std::regex_search(line, m, head)) return "<no header: " + line + ">";
  return m.suffix();
}

std::vector<std::string> messages(const fs::path& file) {
  std::vector<std::string> out;
  for (const std::string& l : readLines(file)) out.push_back(messageOf(l));
  return out;
}

Logger::Options optionsFor(const fs::path& file, LogLevel level = LogLevel::Debug) {
  Logger::Options o;
  o.level = level;
  o.file = file;
  o.wakeInterval = 2ms;
  return o;
}

// --- the queue

TEST(LogQueue, KeepsOrderAndRefusesWhenFull) {
  MpscQueue<int> q(4);
  EXPECT_EQ(q.capacity(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(q.tryPush([&](int& v) { v = i; }));
  EXPECT_FALSE(q.tryPush([](int& v) { v = 99; }));
  int got = -1;
  EXPECT_TRUE(q.tryPop([&](const int& v) { got = v; }));
  EXPECT_EQ(got, 0);
  EXPECT_TRUE(q.tryPush([](int& v) { v = 4; }));
  for (int want = 1; want <= 4; ++want) {
    ASSERT_TRUE(q.tryPop([&](const int& v) { got = v; }));
    EXPECT_EQ(got, want);
  }
  EXPECT_FALSE(q.tryPop([&](const int&) {}));
}

TEST(LogQueue, ManyLapsAndManyProducersLoseNothingAndKeepEachProducersOrder) {
  struct Item {
    int producer;
    int index;
  };
  MpscQueue<Item> q(64);
  constexpr int kProducers = 4;
  constexpr int kEach = 20000;
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&q, p] {
      for (int i = 0; i < kEach; ++i) {
        while (!q.tryPush([&](Item& v) { v = {p, i}; })) std::this_thread::yield();
      }
    });
  }
  std::vector<int> next(kProducers, 0);
  int total = 0;
  while (total < kProducers * kEach) {
    const bool got = q.tryPop([&](const Item& v) {
      ASSERT_GE(v.producer, 0);
      ASSERT_LT(v.producer, kProducers);
      EXPECT_EQ(v.index, next[static_cast<std::size_t>(v.producer)]);
      next[static_cast<std::size_t>(v.producer)] = v.index + 1;
    });
    if (got) {
      ++total;
    } else {
      std::this_thread::yield();
    }
  }
  for (auto& t : producers) t.join();
  EXPECT_FALSE(q.tryPop([](const Item&) {}));
  for (int n : next) EXPECT_EQ(n, kEach);
}

// --- the audio thread's path

static_assert(std::is_trivially_copyable_v<Record>, "records are copied as bytes");
static_assert(!std::is_constructible_v<Arg, const char*>, "text must be marked static with Arg::literal");
static_assert(!std::is_constructible_v<Arg, std::string>, "no std::string on the real-time path");

TEST(LogRealtime, TheHooksSeeLocksAndAllocations) {
  // The checks below prove something only if the hooks fire: a lock taken
  // inside a RealtimeScope is counted, and so is an allocation.
  const std::uint64_t before = realtimeLockViolations();
  CheckedMutex m;
  {
    RealtimeScope audio;
    EXPECT_TRUE(onRealtimeThread());
    std::lock_guard lock(m);
  }
  EXPECT_FALSE(onRealtimeThread());
  EXPECT_EQ(realtimeLockViolations(), before + 1);
  {
    std::lock_guard lock(m);  // not real-time: not counted
  }
  EXPECT_EQ(realtimeLockViolations(), before + 1);

  test::CountAllocations counting;
  auto* volatile p = new std::vector<int>(100);
  delete p;
  EXPECT_GE(counting.count(), 2u);
}

TEST(LogRealtime, NonRealtimeWriteOnTheAudioThreadIsCaught) {
  TempDir dir;
  Logger logger;
  ASSERT_TRUE(logger.start(optionsFor(dir.path() / "a.log")).ok());
  const std::uint64_t before = realtimeLockViolations();
  {
    RealtimeScope audio;
    logger.write(LogLevel::Info, Tag::Audio, "wrong path");  // wakes the writer: a lock
  }
  EXPECT_GT(realtimeLockViolations(), before);
  logger.flush();
  logger.stop();
  bool reported = false;
  for (const std::string& l : readLines(dir.path() / "a.log"))
    reported = reported || l.find("lock was taken on the audio thread") != std::string::npos;
  EXPECT_TRUE(reported);
}

TEST(LogRealtime, AudioThreadPushesTakeNoLockAndAllocateNothingWhileTheWriterDrains) {
  TempDir dir;
  Logger logger(256);
  Logger::Options options = optionsFor(dir.path() / "rt.log");
  // Counting lines below reads one file: no rotation here, whatever the
  // timing (20000 records are about 2 MB, past the default cap).
  options.maxFileBytes = 64u * 1024 * 1024;
  ASSERT_TRUE(logger.start(options).ok());
  constexpr int kRecords = 20000;
  const std::uint64_t violationsBefore = realtimeLockViolations();
  std::uint64_t allocations = 99;
  std::atomic<int> pushed{0};

  std::thread audio([&] {
    RealtimeScope realtime;  // any logger lock from here on is counted
    test::CountAllocations counting;
    for (int i = 0; i < kRecords; ++i) {
      logger.realtime(LogLevel::Info, Tag::Audio, "period {} frames {} ok {} ratio {} {}", i, 256u, true, 1.5,
                      Arg::hresult(0x8889000Au));
      pushed.fetch_add(1, std::memory_order_relaxed);
      if (i % 64 == 0) std::this_thread::sleep_for(100us);  // like periods: let the writer keep up
    }
    allocations = counting.count();
  });
  // Meanwhile other threads log through the locked wake path.
  std::thread host([&] {
    for (int i = 0; i < 200; ++i) logger.write(LogLevel::Info, Tag::Host, "host line " + std::to_string(i));
  });
  audio.join();
  host.join();
  logger.flush();
  logger.stop();

  EXPECT_EQ(allocations, 0u);
  EXPECT_EQ(realtimeLockViolations(), violationsBefore);
  EXPECT_EQ(pushed.load(), kRecords);

  // Everything not dropped is in the file, audio records in their order.
  int lastPeriod = -1;
  int audioLines = 0;
  int hostLines = 0;
  for (const std::string& m : messages(dir.path() / "rt.log")) {
    int period = 0;
    if (std::sscanf(m.c_str(), "period %d frames 256 ok true ratio 1.5 0x8889000A", &period) == 1) {
      EXPECT_GT(period, lastPeriod);
      lastPeriod = period;
      ++audioLines;
    } else if (m.rfind("host line ", 0) == 0) {
      ++hostLines;
    }
  }
  EXPECT_EQ(static_cast<std::uint64_t>(audioLines + hostLines) + logger.dropped(), kRecords + 200u);
  EXPECT_GT(audioLines, 0);
}

TEST(LogRealtime, AFullQueueDropsAndCountsWithoutBlocking) {
  TempDir dir;
  Logger logger(8);
  Logger::Options o = optionsFor(dir.path() / "full.log");
  o.wakeInterval = std::chrono::hours(1);  // the writer sleeps: only flush wakes it
  ASSERT_TRUE(logger.start(o).ok());
  const auto t0 = std::chrono::steady_clock::now();
  {
    RealtimeScope realtime;
    for (int i = 0; i < 20; ++i) logger.realtime(LogLevel::Info, Tag::Audio, "r{}", i);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  EXPECT_EQ(logger.dropped(), 12u);
  logger.flush();
  logger.stop();
  const std::vector<std::string> m = messages(dir.path() / "full.log");
  ASSERT_EQ(m.size(), 9u);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(m[static_cast<std::size_t>(i)], "r" + std::to_string(i));
  EXPECT_EQ(m[8], "12 log records were lost (the queue was full); 12 in all");
}

// --- content, order, filtering

TEST(LogLines, HeaderLevelTagAndOrder) {
  TempDir dir;
  Logger logger;
  ASSERT_TRUE(logger.start(optionsFor(dir.path() / "o.log")).ok());
  logger.write(LogLevel::Info, Tag::Host, "init(sysHandle=0x0) -> true");
  logger.realtime(LogLevel::Warning, Tag::Audio, "underruns {}", 3);
  logger.write(LogLevel::Error, Tag::Device, "first\nsecond\r\n");
  logger.write(LogLevel::Debug, Tag::Config, "");
  logger.flush();
  logger.stop();
  const std::vector<std::string> lines = readLines(dir.path() / "o.log");
  ASSERT_EQ(lines.size(), 5u);
  const std::regex full(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} (ERROR|WARN |INFO |DEBUG) [a-z]+ +.*$)");
  for (const std::string& l : lines) EXPECT_TRUE(std::regex_match(l, full)) << l;
  EXPECT_NE(lines[0].find(" INFO  host   init(sysHandle=0x0) -> true"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(" WARN  audio  underruns 3"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find(" ERROR device first"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find(" ERROR device second"), std::string::npos) << lines[3];
  EXPECT_EQ(messageOf(lines[4]), "");
}

TEST(LogLines, LevelFiltering) {
  TempDir dir;
  Logger logger;
  EXPECT_FALSE(logger.enabled(LogLevel::Error));  // not started: off
  logger.write(LogLevel::Error, Tag::Host, "before start");  // a no-op, no crash
  logger.realtime(LogLevel::Error, Tag::Audio, "before start");
  ASSERT_TRUE(logger.start(optionsFor(dir.path() / "l.log", LogLevel::Warning)).ok());
  EXPECT_TRUE(logger.enabled(LogLevel::Error));
  EXPECT_TRUE(logger.enabled(LogLevel::Warning));
  EXPECT_FALSE(logger.enabled(LogLevel::Info));
  EXPECT_FALSE(logger.enabled(LogLevel::Off));
  logger.write(LogLevel::Debug, Tag::Host, "debug");
  logger.write(LogLevel::Info, Tag::Host, "info");
  logger.write(LogLevel::Warning, Tag::Host, "warning");
  logger.realtime(LogLevel::Info, Tag::Audio, "rt info");
  logger.realtime(LogLevel::Error, Tag::Audio, "rt error");
  logger.write(LogLevel::Error, Tag::Host, "error");
  logger.flush();
  logger.stop();
  EXPECT_FALSE(logger.enabled(LogLevel::Error));  // stopped: off again
  EXPECT_EQ(messages(dir.path() / "l.log"), (std::vector<std::string>{"warning", "rt error", "error"}));
}

TEST(LogLines, OffStartsNothing) {
  TempDir dir;
  Logger logger;
  ASSERT_TRUE(logger.start(optionsFor(dir.path() / "off.log", LogLevel::Off)).ok());
  EXPECT_FALSE(logger.running());
  logger.write(LogLevel::Error, Tag::Host, "x");
  logger.stop();
  EXPECT_FALSE(fs::exists(dir.path() / "off.log"));
}

TEST(LogLines, FileIsCreatedOnlyByTheFirstLineInMissingFolders) {
  TempDir dir;
  const fs::path file = dir.path() / "a" / "b" / "lazy.log";
  Logger logger;
  ASSERT_TRUE(logger.start(optionsFor(file)).ok());
  logger.flush();
  EXPECT_FALSE(fs::exists(file));
  logger.write(LogLevel::Info, Tag::Driver, "now");
  logger.flush();
  EXPECT_TRUE(fs::exists(file));
  logger.stop();
}

TEST(LogLines, LongLinesAreCutOnACharacterBoundary) {
  TempDir dir;
  Logger logger;
  ASSERT_TRUE(logger.start(optionsFor(dir.path() / "long.log")).ok());
  std::string text;
  while (text.size() < 2 * kTextBytes) text += "\xC3\xA9";  // "é", two bytes each
  text = "x" + text;  // odd offset: a naive cut would split a character
  logger.write(LogLevel::Info, Tag::Host, text);
  logger.flush();
  logger.stop();
  const std::vector<std::string> m = messages(dir.path() / "long.log");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_LE(m[0].size(), kTextBytes);
  EXPECT_EQ(m[0].substr(m[0].size() - 3), "...");
  const std::string body = m[0].substr(1, m[0].size() - 4);
  EXPECT_EQ(body.size() % 2, 0u);
  EXPECT_EQ(body.substr(body.size() - 2), "\xC3\xA9");
}

TEST(LogFormat, Placeholders) {
  Record r;
  static constexpr char kFormat[] = "a={} b={} c={} d={} e={} f={} g={}";
  r.format = kFormat;
  r.args[0] = Arg(-5);
  r.args[1] = Arg(std::uint64_t{18446744073709551615u});
  r.args[2] = Arg(0.25);
  r.args[3] = Arg(false);
  r.args[4] = Arg::literal("ASE_OK");
  r.args[5] = Arg::hresult(0x80070005u);
  r.argCount = 6;
  setHresultNamer(nullptr);
  EXPECT_EQ(formatMessage(r), "a=-5 b=18446744073709551615 c=0.25 d=false e=ASE_OK f=0x80070005 g={?}");
  setHresultNamer([](std::uint32_t hr) { return std::string(hr == 0x80070005u ? "E_ACCESSDENIED" : "?"); });
  EXPECT_NE(formatMessage(r).find("f=E_ACCESSDENIED"), std::string::npos);
  setHresultNamer(nullptr);
  r.format = "{ } {x} {";
  r.argCount = 0;
  EXPECT_EQ(formatMessage(r), "{ } {x} {");
}

// --- rotation

TEST(LogRotation, KeepsTheNewestFilesUnderTheCap) {
  TempDir dir;
  const fs::path file = dir.path() / "rot.log";
  Logger logger;
  Logger::Options o = optionsFor(file);
  o.maxFileBytes = 1000;
  o.keepFiles = 3;
  ASSERT_TRUE(logger.start(o).ok());
  for (int i = 0; i < 200; ++i) {
    logger.write(LogLevel::Info, Tag::Driver, "line " + std::to_string(i) + " " + std::string(40, '.'));
  }
  logger.flush();
  logger.stop();
  ASSERT_TRUE(fs::exists(file));
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(fs::exists(rotatedName(file, n))) << n;
  EXPECT_FALSE(fs::exists(rotatedName(file, 4)));
  // Oldest to newest: .3, .2, .1, the file; numbers keep rising, end with 199.
  int last = -1;
  for (const fs::path& f : {rotatedName(file, 3), rotatedName(file, 2), rotatedName(file, 1), file}) {
    EXPECT_LE(fs::file_size(f), 1000u) << f;
    const std::vector<std::string> m = messages(f);
    ASSERT_FALSE(m.empty()) << f;
    for (const std::string& line : m) {
      int n = -1;
      ASSERT_EQ(std::sscanf(line.c_str(), "line %d", &n), 1) << line;
      if (last >= 0) {
        EXPECT_EQ(n, last + 1) << line;
      }
      last = n;
    }
  }
  EXPECT_EQ(last, 199);
}

TEST(LogRotation, AnExistingBigFileIsRotatedWhenReopened) {
  TempDir dir;
  const fs::path file = dir.path() / "big.log";
  { std::ofstream(file) << std::string(2000, 'x') << "\n"; }
  Logger logger;
  Logger::Options o = optionsFor(file);
  o.maxFileBytes = 1000;
  ASSERT_TRUE(logger.start(o).ok());
  logger.write(LogLevel::Info, Tag::Driver, "fresh");
  logger.flush();
  logger.stop();
  EXPECT_EQ(messages(file), (std::vector<std::string>{"fresh"}));
  EXPECT_GT(fs::file_size(rotatedName(file, 1)), 2000u);
}

TEST(LogRotation, EveryFileStartsWithTheHeader) {
  TempDir dir;
  const fs::path file = dir.path() / "h.log";
  Logger logger;
  Logger::Options o = optionsFor(file, LogLevel::Warning);
  o.maxFileBytes = 400;
  o.header = "driver X in host.exe";
  ASSERT_TRUE(logger.start(o).ok());
  logger.flush();
  EXPECT_FALSE(fs::exists(file));  // the header alone creates no file
  for (int i = 0; i < 6; ++i) logger.write(LogLevel::Warning, Tag::Driver, "warning " + std::to_string(i) + std::string(60, '.'));
  logger.flush();
  logger.stop();
  for (const fs::path& f : {file, rotatedName(file, 1)}) {
    const std::vector<std::string> lines = readLines(f);
    ASSERT_FALSE(lines.empty()) << f;
    EXPECT_NE(lines[0].find(" INFO  log    driver X in host.exe"), std::string::npos) << lines[0];
    EXPECT_LE(fs::file_size(f), 400u);
  }
}

// --- polls and the process session

TEST(LogPolls, LoggedOnlyWhenTheLineChanges) {
  TempDir dir;
  Logger logger;
  Logger::Options o = optionsFor(dir.path() / "p.log");
  o.pollInterval = 1ms;
  std::atomic<int> value{0};
  std::atomic<int> calls{0};
  ASSERT_TRUE(logger.start(o).ok());
  const Logger::PollId id = logger.addPoll([&] {
    calls.fetch_add(1);
    const int v = value.load();
    return v == 0 ? std::string() : "glitches: underruns " + std::to_string(v);
  });
  auto waitCalls = [&](int n) {
    const int target = calls.load() + n;
    while (calls.load() < target) std::this_thread::sleep_for(1ms);
  };
  waitCalls(3);
  value = 1;
  waitCalls(3);
  value = 2;
  waitCalls(3);
  logger.removePoll(id);
  const int after = calls.load();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(calls.load(), after);
  logger.flush();
  logger.stop();
  EXPECT_EQ(messages(dir.path() / "p.log"),
            (std::vector<std::string>{"glitches: underruns 1", "glitches: underruns 2"}));
}

TEST(LogSession, TheProcessLoggerRunsWhileASessionLives) {
  TempDir dir;
  ASSERT_FALSE(processLogger().running());
  {
    Session first(optionsFor(dir.path() / "s.log", LogLevel::Info));
    ASSERT_TRUE(first.status().ok());
    EXPECT_TRUE(processLogger().running());
    {
      Session second(optionsFor(dir.path() / "other.log", LogLevel::Debug));  // shares the first's log
      info(Tag::Driver, "from the shorthand");
      debug(Tag::Driver, "not at info");
      realtime(LogLevel::Warning, Tag::Audio, "rt {}", 7);
    }
    EXPECT_TRUE(processLogger().running());
    processLogger().flush();
  }
  EXPECT_FALSE(processLogger().running());
  info(Tag::Driver, "after: dropped by the level gate");
  EXPECT_EQ(messages(dir.path() / "s.log"), (std::vector<std::string>{"from the shorthand", "rt 7"}));
  EXPECT_FALSE(fs::exists(dir.path() / "other.log"));
}

}  // namespace
}  // namespace a2w::log
