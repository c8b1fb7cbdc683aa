// The logger with every kind of thread at once: host threads writing text,
// an audio thread pushing real-time records, a thread adding and removing
// polls and flushing, while the writer thread drains, formats and rotates;
// then stop and start racing producers. ThreadSanitizer checks the
// ordering; the files must hold every record not counted as dropped, each
// producer's in its order.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"
#include "core/log.h"
#include "tsan/bounded_wait.h"

namespace a2w::log {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Each test's own folder (tests/support/temp_dir.h).
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("a2w-tsan-log-") {}
};

// Every "<who> <n>" message in the file and its rotated copies, oldest first.
struct Seen {
  std::vector<std::vector<int>> byProducer;
  int lines = 0;
};
Seen readAll(const fs::path& file, int producers, int keep) {
  Seen seen;
  seen.byProducer.resize(static_cast<std::size_t>(producers));
  std::vector<fs::path> files;
  for (int n = keep; n >= 1; --n) files.push_back(rotatedName(file, n));
  files.push_back(file);
  for (const fs::path& f : files) {
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      const std::size_t at = line.find(" producer ");
      if (at == std::string::npos) continue;
      int who = -1, n = -1;
      if (std::sscanf(line.c_str() + at, " producer %d line %d", &who, &n) == 2 && who >= 0 && who < producers) {
        seen.byProducer[static_cast<std::size_t>(who)].push_back(n);
        ++seen.lines;
      }
    }
  }
  return seen;
}

bool increasing(const std::vector<int>& v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] <= v[i - 1]) return false;
  }
  return true;
}

TEST(LoggerRace, EveryThreadLogsWhileTheWriterDrainsRotatesAndPolls) {
  TempDir dir;
  const fs::path file = dir.path() / "race.log";
  Logger logger(512);
  Logger::Options o;
  o.level = LogLevel::Debug;
  o.file = file;
  o.maxFileBytes = 48 * 1024;  // rotates a dozen times during the run
  o.keepFiles = 99;
  o.wakeInterval = 1ms;
  o.pollInterval = 1ms;
  o.header = "tsan logger race";
  ASSERT_TRUE(logger.start(o).ok());

  constexpr int kEach = 2500;
  std::vector<std::thread> threads;
  for (int p = 0; p < 2; ++p) {  // host threads: text through the locked wake path
    threads.emplace_back([&logger, p] {
      for (int i = 0; i < kEach; ++i) {
        logger.write(LogLevel::Info, Tag::Host, "producer " + std::to_string(p) + " line " + std::to_string(i));
      }
    });
  }
  threads.emplace_back([&logger] {  // the audio thread: real-time records only
    RealtimeScope realtime;
    for (int i = 0; i < kEach; ++i) {
      logger.realtime(LogLevel::Info, Tag::Audio, "producer {} line {}", 2, i);
      if (i % 32 == 0) std::this_thread::yield();
    }
  });
  std::atomic<int> polled{0};
  threads.emplace_back([&logger, &polled] {  // the driver's poll coming and going, and flushes
    for (int i = 0; i < 40; ++i) {
      const Logger::PollId id = logger.addPoll([&polled, i] {
        polled.fetch_add(1, std::memory_order_relaxed);
        return "poll " + std::to_string(i);
      });
      tsan::waitUntil([&] { return polled.load(std::memory_order_relaxed) > i; }, 5s);
      logger.removePoll(id);
      if (i % 8 == 0) logger.flush();
    }
  });
  for (auto& t : threads) t.join();
  logger.flush();
  logger.stop();

  const Seen seen = readAll(file, 3, 99);
  EXPECT_EQ(static_cast<std::uint64_t>(seen.lines) + logger.dropped(), 3u * kEach);
  for (int p = 0; p < 3; ++p) EXPECT_TRUE(increasing(seen.byProducer[static_cast<std::size_t>(p)])) << "producer " << p;
  EXPECT_GT(seen.lines, 0);
  EXPECT_TRUE(fs::exists(rotatedName(file, 1)));
  EXPECT_GE(polled.load(), 40);
}

// Hosts release and create drivers while other threads log: the process
// logger stops and starts under the producers' feet.
TEST(LoggerRace, StopAndStartWhileOtherThreadsLog) {
  TempDir dir;
  const fs::path file = dir.path() / "restart.log";
  Logger logger(256);
  Logger::Options o;
  o.level = LogLevel::Info;
  o.file = file;
  o.maxFileBytes = 64u * 1024 * 1024;
  o.wakeInterval = 1ms;
  ASSERT_TRUE(logger.start(o).ok());
  std::atomic<bool> done{false};
  std::atomic<int> written[2] = {0, 0};
  std::vector<std::thread> threads;
  for (int p = 0; p < 2; ++p) {
    threads.emplace_back([&, p] {
      RealtimeScope* realtime = p == 1 ? new RealtimeScope : nullptr;
      for (int i = 0; !done.load(std::memory_order_relaxed); ++i) {
        if (p == 0) {
          logger.write(LogLevel::Info, Tag::Host, "producer 0 line " + std::to_string(i));
        } else {
          logger.realtime(LogLevel::Info, Tag::Audio, "producer {} line {}", 1, i);
        }
        written[p].store(i + 1, std::memory_order_relaxed);
        std::this_thread::yield();
      }
      delete realtime;
    });
  }
  for (int cycle = 0; cycle < 20; ++cycle) {
    const int before = written[0].load() + written[1].load();
    ASSERT_TRUE(tsan::waitUntil([&] { return written[0].load() + written[1].load() > before + 50; }));
    logger.stop();
    ASSERT_TRUE(logger.start(o).ok());
  }
  done = true;
  for (auto& t : threads) t.join();
  logger.flush();
  logger.stop();
  const Seen seen = readAll(file, 2, 0);
  EXPECT_GT(seen.lines, 0);
  for (int p = 0; p < 2; ++p) EXPECT_TRUE(increasing(seen.byProducer[static_cast<std::size_t>(p)])) << "producer " << p;
}

}  // namespace
}  // namespace a2w::log
