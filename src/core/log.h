// The driver's log: off unless the user asks ([log] level in the config
// file, or A2W_LOG / A2W_LOG_FILE), and built so that logging can never
// cause a glitch.
//
// Every line travels as a fixed-size Record through a lock-free MPSC queue
// (log_queue.h) to one writer thread, which formats it, appends it to the
// file (opened on the first line), rotates the file at a size cap and keeps
// `keepFiles` old ones (name.1 newest ... name.N oldest).
//
// Two ways in:
//   write(level, tag, text)        any thread but the audio thread: the text
//                                  is copied into the record (a line longer
//                                  than kTextBytes is cut), then the writer
//                                  is woken through a condition variable.
//   realtime(level, tag, fmt, ...) the audio thread: `fmt` must be a string
//                                  literal (only the pointer is stored) with
//                                  "{}" placeholders, the arguments numbers,
//                                  bools, HRESULTs or literals (Arg). The
//                                  writer thread does the formatting. No
//                                  allocation, no lock, no system call, no
//                                  signal: the writer finds the record at its
//                                  next periodic wake (Options::wakeInterval).
//                                  A full queue drops the record and counts
//                                  it; the writer reports the count.
// Why the audio thread does not signal the writer: SetEvent / notify_one
// are system calls that may take kernel locks, and the audio path should do
// none; a few milliseconds of latency in the log costs nothing.
//
// Proof hooks (used by tests/unit/log_test.cpp, and counted in production):
// every lock the logger takes goes through CheckedMutex, which counts
// acquisitions made on a thread inside a RealtimeScope
// (realtimeLockViolations()); the backend's audio thread opens one for its
// whole life.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/driver_settings.h"
#include "core/log_queue.h"
#include "core/status.h"

namespace a2w::log {

// Who logged: shown as a short column in each line.
enum class Tag : std::uint8_t { Host, Audio, Device, Driver, Config, Log };

std::string_view tagName(Tag tag) noexcept;      // "host", "audio", ...
std::string_view levelName(LogLevel level) noexcept;  // "ERROR", "WARN", "INFO", "DEBUG"

// --- the real-time marking

// Marks the current thread as a real-time (audio) thread for its scope.
// Nestable. On MinGW the first touch of a thread_local may allocate
// (emutls), so open the scope when the thread starts, not in a period.
class RealtimeScope {
 public:
  RealtimeScope() noexcept;
  ~RealtimeScope();
  RealtimeScope(const RealtimeScope&) = delete;
  RealtimeScope& operator=(const RealtimeScope&) = delete;
};
bool onRealtimeThread() noexcept;

// Logger locks acquired on a thread inside a RealtimeScope, process-wide
// since start (0 in a correct program).
std::uint64_t realtimeLockViolations() noexcept;

// The only mutex the logger uses: std::mutex plus the violation count.
class CheckedMutex {
 public:
  void lock();
  void unlock() noexcept { mutex_.unlock(); }
  bool try_lock();

 private:
  std::mutex mutex_;
};

// --- records

// One argument of a real-time record: a value, never a pointer to data
// that may change (a Literal must be a string literal or other static text).
struct Arg {
  enum class Kind : std::uint8_t { Signed, Unsigned, Double, Bool, Literal, Hresult };
  Kind kind = Kind::Signed;
  union {
    std::int64_t i;
    std::uint64_t u;
    double d;
    const char* s;
  };

  constexpr Arg() noexcept : i(0) {}
  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  constexpr Arg(T v) noexcept {  // NOLINT: implicit on purpose
    if constexpr (std::is_signed_v<T>) {
      kind = Kind::Signed;
      i = static_cast<std::int64_t>(v);
    } else {
      kind = Kind::Unsigned;
      u = static_cast<std::uint64_t>(v);
    }
  }
  constexpr Arg(bool v) noexcept : kind(Kind::Bool), u(v ? 1 : 0) {}              // NOLINT
  constexpr Arg(double v) noexcept : kind(Kind::Double), d(v) {}                   // NOLINT
  constexpr Arg(float v) noexcept : kind(Kind::Double), d(static_cast<double>(v)) {}  // NOLINT
  // A pointer would otherwise become a bool; text must say it is static.
  template <typename T>
  Arg(T*) = delete;

  // Static text (a string literal): only the pointer is copied.
  static constexpr Arg literal(const char* text) noexcept {
    Arg a;
    a.kind = Kind::Literal;
    a.s = text;
    return a;
  }
  // An HRESULT (or any 32-bit status): written by the HRESULT namer when one
  // is installed (setHresultNamer), else as 0x%08X.
  static constexpr Arg hresult(std::uint32_t value) noexcept {
    Arg a;
    a.kind = Kind::Hresult;
    a.u = value;
    return a;
  }
};

inline constexpr std::size_t kMaxArgs = 6;
inline constexpr std::size_t kTextBytes = 384;

// What travels through the queue: fixed size, trivially copyable.
struct Record {
  std::int64_t timeUs = 0;  // system clock, microseconds since 1970
  LogLevel level = LogLevel::Info;
  Tag tag = Tag::Driver;
  std::uint8_t argCount = 0;
  std::uint16_t textBytes = 0;  // text records: bytes used in `text`
  const char* format = nullptr;  // real-time records: static "{}" format; null for text records
  Arg args[kMaxArgs];
  char text[kTextBytes];
};
static_assert(std::is_trivially_copyable_v<Record>);

// Formats a record's message (without time, level and tag): the text, or
// the format with its placeholders replaced. "{}" takes the next argument;
// missing arguments are written as "{?}". Not real-time.
std::string formatMessage(const Record& record);
// The whole line, without the newline: "2025-01-31 13:45:06.123456 INFO  host   text".
std::string formatLine(const Record& record);

// How the writer names HRESULT arguments (the WASAPI layer installs
// hresultName); null: hex only. Any thread; the function must be static.
using HresultNamer = std::string (*)(std::uint32_t hr);
void setHresultNamer(HresultNamer namer) noexcept;

// --- the logger

class Logger {
 public:
  struct Options {
    LogLevel level = LogLevel::Info;
    std::filesystem::path file;                   // empty: nothing is written (the records are still drained)
    std::uint64_t maxFileBytes = 1024 * 1024;     // rotate before a line would pass this
    int keepFiles = 3;                            // name.1 ... name.N are kept
    std::chrono::milliseconds wakeInterval{50};   // the writer's periodic wake (real-time records)
    std::chrono::milliseconds pollInterval{1000};  // how often the polls run
    // Written (level INFO, tag log) at the top of every file the writer
    // opens or starts by rotating, whatever the level: what produced the
    // log. The file is created by the first line, so a quiet log stays absent.
    std::string header;
  };

  explicit Logger(std::size_t capacityRecords = 1024);
  ~Logger();  // stops
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // Not real-time. Starts the writer thread (the queue is allocated on the
  // first start and kept); a second start without stop is an error.
  Status start(const Options& options);
  // Drains what was pushed, writes it, closes the file, joins the writer.
  // Lines pushed after this are kept for the next start. Idempotent.
  void stop();
  bool running() const noexcept { return running_.load(std::memory_order_acquire); }

  LogLevel level() const noexcept { return level_.load(std::memory_order_acquire); }
  bool enabled(LogLevel level) const noexcept {
    return level != LogLevel::Off && static_cast<std::uint8_t>(level) <= static_cast<std::uint8_t>(this->level());
  }

  // Any thread but the audio thread. One record per line of `text` (a line
  // longer than kTextBytes is cut, marked "..."). Takes the wake lock for a
  // moment but never waits for the writer's I/O.
  void write(LogLevel level, Tag tag, std::string_view text) noexcept;

  // Any thread, the audio thread included (see the file comment).
  template <typename... A>
  void realtime(LogLevel level, Tag tag, const char* format, A... args) noexcept {
    static_assert(sizeof...(A) <= kMaxArgs, "too many log arguments");
    if (!enabled(level)) return;
    const Arg list[sizeof...(A) + 1] = {Arg(args)...};
    pushRealtime(level, tag, format, list, sizeof...(A));
  }
  void pushRealtime(LogLevel level, Tag tag, const char* format, const Arg* args, std::size_t count) noexcept;

  // Records lost to a full queue since construction.
  std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

  // Not real-time. Returns once every record pushed before the call is in
  // the file (or the writer is not running).
  void flush();

  // Polls run on the writer thread every pollInterval; a non-empty line that
  // differs from that poll's previous line is logged (Info, tag Driver).
  // removePoll waits for a poll that is running. The functions may call write().
  using PollId = std::uint64_t;
  PollId addPoll(std::function<std::string()> poll);
  void removePoll(PollId id);

 private:
  using Queue = MpscQueue<Record>;

  void pushText(LogLevel level, Tag tag, std::string_view text) noexcept;
  void wake();
  void run();
  void drain();
  void runPolls();
  void writeLine(std::string line);
  void rotate();
  void closeFile();
  void writeHeader();

  const std::size_t capacity_;
  std::unique_ptr<Queue> queue_;  // allocated by the first start, kept until destruction
  std::atomic<LogLevel> level_{LogLevel::Off};
  std::atomic<bool> running_{false};
  std::atomic<std::uint64_t> dropped_{0};

  Options options_;
  std::thread writer_;

  CheckedMutex wakeMutex_;
  std::condition_variable_any wakeCv_;
  bool wakeRequested_ = false;
  bool stopRequested_ = false;
  std::size_t written_ = 0;  // records taken and written (under wakeMutex_ for flush)
  std::condition_variable_any writtenCv_;

  CheckedMutex pollMutex_;
  struct Poll {
    PollId id;
    std::function<std::string()> poll;
    std::string last;
  };
  std::vector<Poll> polls_;
  PollId nextPollId_ = 1;
  std::chrono::steady_clock::time_point lastPoll_{};

  // The writer thread's own state.
  std::FILE* file_ = nullptr;
  std::uint64_t fileBytes_ = 0;
  std::uint64_t reportedDropped_ = 0;
  std::uint64_t reportedViolations_ = 0;
  bool fileFailed_ = false;
};

// --- the process's logger (what the driver code logs to)

// Never destroyed (records may still be pushed while the DLL unloads).
Logger& processLogger();

// Holds the process logger open: the first live session starts it with its
// options; later sessions share it as it is (one log per process: the first
// driver instance that enables logging chooses the file and level). The
// last one to end stops it. Not real-time.
class Session {
 public:
  explicit Session(const Logger::Options& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  const Status& status() const { return status_; }

 private:
  Status status_;
  bool counted_ = false;
};

// Shorthands on the process logger.
inline bool enabled(LogLevel level) noexcept { return processLogger().enabled(level); }
inline void write(LogLevel level, Tag tag, std::string_view text) noexcept {
  Logger& logger = processLogger();
  if (logger.enabled(level)) logger.write(level, tag, text);
}
inline void error(Tag tag, std::string_view text) noexcept { write(LogLevel::Error, tag, text); }
inline void warning(Tag tag, std::string_view text) noexcept { write(LogLevel::Warning, tag, text); }
inline void info(Tag tag, std::string_view text) noexcept { write(LogLevel::Info, tag, text); }
inline void debug(Tag tag, std::string_view text) noexcept { write(LogLevel::Debug, tag, text); }
template <typename... A>
void realtime(LogLevel level, Tag tag, const char* format, A... args) noexcept {
  processLogger().realtime(level, tag, format, args...);
}

// The file name rotation gives the n-th old file: "x.log" -> "x.log.1".
std::filesystem::path rotatedName(const std::filesystem::path& file, int n);

}  // namespace a2w::log
