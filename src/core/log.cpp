#include "core/log.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <system_error>

#include "core/fixed_text.h"

namespace a2w::log {
namespace {

// A plain int: on MinGW the first touch per thread allocates (emutls), which
// RealtimeScope's constructor does when the audio thread starts.
thread_local int t_realtimeDepth = 0;
std::atomic<std::uint64_t> g_violations{0};
std::atomic<HresultNamer> g_hresultNamer{nullptr};

std::int64_t nowUs() noexcept {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

void appendArg(std::string* out, const Arg& a) {
  char buffer[32];
  switch (a.kind) {
    case Arg::Kind::Signed: {
      const auto r = std::to_chars(buffer, buffer + sizeof buffer, a.i);
      out->append(buffer, r.ptr);
      return;
    }
    case Arg::Kind::Unsigned: {
      const auto r = std::to_chars(buffer, buffer + sizeof buffer, a.u);
      out->append(buffer, r.ptr);
      return;
    }
    case Arg::Kind::Double: {
      const int n = std::snprintf(buffer, sizeof buffer, "%.10g", a.d);
      if (n > 0) out->append(buffer, static_cast<std::size_t>(std::min(n, static_cast<int>(sizeof buffer) - 1)));
      return;
    }
    case Arg::Kind::Bool: out->append(a.u ? "true" : "false"); return;
    case Arg::Kind::Literal: out->append(a.s ? a.s : "(null)"); return;
    case Arg::Kind::Hresult: {
      const auto value = static_cast<std::uint32_t>(a.u);
      if (const HresultNamer namer = g_hresultNamer.load(std::memory_order_acquire)) {
        out->append(namer(value));
      } else {
        std::snprintf(buffer, sizeof buffer, "0x%08X", static_cast<unsigned>(value));
        out->append(buffer);
      }
      return;
    }
  }
}

std::FILE* openAppend(const std::filesystem::path& path) {
  std::FILE* f = nullptr;
#if defined(_MSC_VER)
  if (_wfopen_s(&f, path.c_str(), L"ab") != 0) f = nullptr;
#elif defined(_WIN32)
  f = _wfopen(path.c_str(), L"ab");
#else
  f = std::fopen(path.c_str(), "ab");
#endif
  return f;
}

#ifdef _WIN32
constexpr std::string_view kNewline = "\r\n";
#else
constexpr std::string_view kNewline = "\n";
#endif

}  // namespace

std::string_view tagName(Tag tag) noexcept {
  switch (tag) {
    case Tag::Host: return "host";
    case Tag::Audio: return "audio";
    case Tag::Device: return "device";
    case Tag::Driver: return "driver";
    case Tag::Config: return "config";
    case Tag::Log: return "log";
  }
  return "?";
}

std::string_view levelName(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Off: return "OFF";
    case LogLevel::Error: return "ERROR";
    case LogLevel::Warning: return "WARN";
    case LogLevel::Info: return "INFO";
    case LogLevel::Debug: return "DEBUG";
  }
  return "?";
}

RealtimeScope::RealtimeScope() noexcept { ++t_realtimeDepth; }
RealtimeScope::~RealtimeScope() { --t_realtimeDepth; }
bool onRealtimeThread() noexcept { return t_realtimeDepth > 0; }
std::uint64_t realtimeLockViolations() noexcept { return g_violations.load(std::memory_order_relaxed); }

void CheckedMutex::lock() {
  if (onRealtimeThread()) g_violations.fetch_add(1, std::memory_order_relaxed);
  mutex_.lock();
}

bool CheckedMutex::try_lock() {
  if (onRealtimeThread()) g_violations.fetch_add(1, std::memory_order_relaxed);
  return mutex_.try_lock();
}

void setHresultNamer(HresultNamer namer) noexcept { g_hresultNamer.store(namer, std::memory_order_release); }

std::string formatMessage(const Record& r) {
  if (!r.format) return std::string(r.text, std::min<std::size_t>(r.textBytes, kTextBytes));
  std::string out;
  std::size_t next = 0;
  for (const char* p = r.format; *p; ++p) {
    if (p[0] == '{' && p[1] == '}') {
      if (next < r.argCount && next < kMaxArgs) {
        appendArg(&out, r.args[next++]);
      } else {
        out += "{?}";
      }
      ++p;
    } else {
      out += *p;
    }
  }
  return out;
}

std::string formatLine(const Record& r) {
  const std::int64_t seconds = r.timeUs >= 0 ? r.timeUs / 1000000 : (r.timeUs - 999999) / 1000000;
  const auto micros = static_cast<int>(r.timeUs - seconds * 1000000);
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
#ifdef _WIN32
  localtime_s(&tm, &t);
#else
  localtime_r(&t, &tm);
#endif
  char head[64];
  const std::string_view level = levelName(r.level);
  const std::string_view tag = tagName(r.tag);
  std::snprintf(head, sizeof head, "%04d-%02d-%02d %02d:%02d:%02d.%06d %-5.*s %-6.*s ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros, static_cast<int>(level.size()),
                level.data(), static_cast<int>(tag.size()), tag.data());
  return head + formatMessage(r);
}

std::filesystem::path rotatedName(const std::filesystem::path& file, int n) {
  std::filesystem::path p = file;
  p += "." + std::to_string(n);
  return p;
}

// --- Logger

Logger::Logger(std::size_t capacityRecords) : capacity_(std::max<std::size_t>(capacityRecords, 2)) {}

Logger::~Logger() { stop(); }

Status Logger::start(const Options& options) {
  if (running()) return Status::failure(asio::err::kInvalidMode, "the log is already running");
  if (options.level == LogLevel::Off) return Status::success();
  try {
    if (!queue_) queue_ = std::make_unique<Queue>(capacity_);
    options_ = options;
    options_.keepFiles = std::clamp(options_.keepFiles, 0, 99);
    {
      std::lock_guard lock(wakeMutex_);
      wakeRequested_ = false;
      stopRequested_ = false;
      written_ = queue_->taken();
    }
    fileFailed_ = false;
    fileBytes_ = 0;
    reportedDropped_ = dropped();
    reportedViolations_ = realtimeLockViolations();
    lastPoll_ = std::chrono::steady_clock::now();
    running_.store(true, std::memory_order_release);
    writer_ = std::thread([this] { run(); });
  } catch (const std::exception& e) {
    running_.store(false, std::memory_order_release);
    return Status::failure(asio::err::kHardwareMalfunction, std::string("the log could not start: ") + e.what());
  }
  // Open the gate last: producers touch queue_ only once they see a level.
  level_.store(options_.level, std::memory_order_release);
  return Status::success();
}

void Logger::stop() {
  if (!writer_.joinable()) return;
  level_.store(LogLevel::Off, std::memory_order_release);
  {
    std::lock_guard lock(wakeMutex_);
    stopRequested_ = true;
  }
  wakeCv_.notify_all();
  writer_.join();
  running_.store(false, std::memory_order_release);
  writtenCv_.notify_all();
}

void Logger::write(LogLevel level, Tag tag, std::string_view text) noexcept {
  if (!enabled(level)) return;
  pushText(level, tag, text);
  wake();
}

void Logger::pushText(LogLevel level, Tag tag, std::string_view text) noexcept {
  const std::int64_t time = nowUs();
  bool any = false;
  while (!text.empty() || !any) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    any = true;
    const bool pushed = queue_->tryPush([&](Record& r) {
      r.timeUs = time;
      r.level = level;
      r.tag = tag;
      r.format = nullptr;
      r.argCount = 0;
      std::size_t n = line.size();
      if (n > kTextBytes) {
        constexpr std::string_view kCut = "...";
        const std::string_view kept = truncateUtf8(line, kTextBytes - kCut.size());
        std::memcpy(r.text, kept.data(), kept.size());
        std::memcpy(r.text + kept.size(), kCut.data(), kCut.size());
        n = kept.size() + kCut.size();
      } else if (n > 0) {
        std::memcpy(r.text, line.data(), n);
      }
      r.textBytes = static_cast<std::uint16_t>(n);
    });
    if (!pushed) dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Logger::pushRealtime(LogLevel level, Tag tag, const char* format, const Arg* args, std::size_t count) noexcept {
  if (!enabled(level) || !format) return;
  const std::int64_t time = nowUs();
  const std::size_t n = std::min(count, kMaxArgs);
  const bool pushed = queue_->tryPush([&](Record& r) {
    r.timeUs = time;
    r.level = level;
    r.tag = tag;
    r.format = format;
    r.argCount = static_cast<std::uint8_t>(n);
    r.textBytes = 0;
    for (std::size_t i = 0; i < n; ++i) r.args[i] = args[i];
  });
  if (!pushed) dropped_.fetch_add(1, std::memory_order_relaxed);
}

void Logger::wake() {
  try {
    {
      std::lock_guard lock(wakeMutex_);
      wakeRequested_ = true;
    }
    wakeCv_.notify_one();
  } catch (...) {
    // The periodic wake still picks the record up.
  }
}

void Logger::flush() {
  if (!running() || !queue_) return;
  const std::size_t target = queue_->claimed();
  wake();
  std::unique_lock lock(wakeMutex_);
  writtenCv_.wait(lock, [&] {
    return static_cast<std::ptrdiff_t>(written_ - target) >= 0 || stopRequested_ || !running();
  });
}

Logger::PollId Logger::addPoll(std::function<std::string()> poll) {
  std::lock_guard lock(pollMutex_);
  const PollId id = nextPollId_++;
  polls_.push_back({id, std::move(poll), {}});
  return id;
}

void Logger::removePoll(PollId id) {
  std::lock_guard lock(pollMutex_);
  polls_.erase(std::remove_if(polls_.begin(), polls_.end(), [&](const Poll& p) { return p.id == id; }), polls_.end());
}

void Logger::run() {
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock lock(wakeMutex_);
      wakeCv_.wait_for(lock, options_.wakeInterval, [&] { return wakeRequested_ || stopRequested_; });
      wakeRequested_ = false;
      stopping = stopRequested_;
    }
    drain();
    const auto now = std::chrono::steady_clock::now();
    if (stopping || now - lastPoll_ >= options_.pollInterval) {
      lastPoll_ = now;
      runPolls();
      drain();  // what the polls wrote
    }
    const std::uint64_t lost = dropped();
    if (lost != reportedDropped_) {
      Record r;
      r.timeUs = nowUs();
      r.level = LogLevel::Warning;
      r.tag = Tag::Log;
      static constexpr char kFormat[] = "{} log records were lost (the queue was full); {} in all";
      r.format = kFormat;
      r.args[0] = Arg(lost - reportedDropped_);
      r.args[1] = Arg(lost);
      r.argCount = 2;
      reportedDropped_ = lost;
      writeLine(formatLine(r));
    }
    const std::uint64_t violations = realtimeLockViolations();
    if (violations != reportedViolations_) {
      Record r;
      r.timeUs = nowUs();
      r.level = LogLevel::Error;
      r.tag = Tag::Log;
      static constexpr char kFormat[] = "a logger lock was taken on the audio thread ({} times in all): a bug";
      r.format = kFormat;
      r.args[0] = Arg(violations);
      r.argCount = 1;
      reportedViolations_ = violations;
      writeLine(formatLine(r));
    }
    if (file_) std::fflush(file_);
    {
      std::lock_guard lock(wakeMutex_);
      written_ = queue_->taken();
    }
    writtenCv_.notify_all();
    if (stopping) break;
  }
  closeFile();
}

void Logger::drain() {
  // Bounded per pass only by what producers add meanwhile; each record is
  // formatted outside any lock.
  while (queue_->tryPop([&](const Record& r) {
    try {
      writeLine(formatLine(r));
    } catch (...) {
      // An allocation failure loses this line, not the writer.
    }
  })) {
  }
}

void Logger::runPolls() {
  std::lock_guard lock(pollMutex_);
  for (Poll& p : polls_) {
    try {
      std::string line = p.poll();
      if (line.empty() || line == p.last) continue;
      p.last = line;
      // Straight in, whatever the level gate says: the last round runs
      // while stopping, after the gate closed.
      if (static_cast<std::uint8_t>(options_.level) >= static_cast<std::uint8_t>(LogLevel::Info))
        pushText(LogLevel::Info, Tag::Driver, line);
    } catch (...) {
      // A failing poll skips this round.
    }
  }
}

void Logger::writeLine(std::string line) {
  if (options_.file.empty() || fileFailed_) return;
  line += kNewline;
  if (file_ && fileBytes_ > 0 && fileBytes_ + line.size() > options_.maxFileBytes) rotate();
  if (!file_) {
    std::error_code ec;
    if (options_.file.has_parent_path()) std::filesystem::create_directories(options_.file.parent_path(), ec);
    file_ = openAppend(options_.file);
    if (!file_) {
      fileFailed_ = true;  // nowhere to write; the records are still drained
      return;
    }
    const auto size = std::filesystem::file_size(options_.file, ec);
    fileBytes_ = ec ? 0 : static_cast<std::uint64_t>(size);
    if (fileBytes_ > 0 && fileBytes_ + line.size() > options_.maxFileBytes) {
      rotate();
    } else {
      writeHeader();
    }
    if (!file_) return;
  }
  if (std::fwrite(line.data(), 1, line.size(), file_) == line.size()) fileBytes_ += line.size();
}

void Logger::rotate() {
  closeFile();
  std::error_code ec;
  const std::filesystem::path& file = options_.file;
  if (options_.keepFiles == 0) {
    std::filesystem::remove(file, ec);
  } else {
    std::filesystem::remove(rotatedName(file, options_.keepFiles), ec);
    for (int n = options_.keepFiles; n >= 2; --n) {
      ec.clear();
      if (std::filesystem::exists(rotatedName(file, n - 1), ec))
        std::filesystem::rename(rotatedName(file, n - 1), rotatedName(file, n), ec);
    }
    ec.clear();
    std::filesystem::rename(file, rotatedName(file, 1), ec);
  }
  file_ = openAppend(file);
  if (!file_) {
    fileFailed_ = true;
    return;
  }
  // If the rename failed (another program holds the file), keep appending
  // rather than trying again on every line.
  fileBytes_ = 0;
  writeHeader();
}

void Logger::writeHeader() {
  if (!file_ || options_.header.empty()) return;
  Record r;
  r.timeUs = nowUs();
  r.level = LogLevel::Info;
  r.tag = Tag::Log;
  const std::string_view kept = truncateUtf8(options_.header, kTextBytes);
  std::memcpy(r.text, kept.data(), kept.size());
  r.textBytes = static_cast<std::uint16_t>(kept.size());
  const std::string line = formatLine(r) + std::string(kNewline);
  if (std::fwrite(line.data(), 1, line.size(), file_) == line.size()) fileBytes_ += line.size();
}

void Logger::closeFile() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

// --- the process's logger

namespace {
Logger* const g_processLogger = new Logger(1024);
CheckedMutex g_sessionMutex;
int g_sessions = 0;
}  // namespace

Logger& processLogger() { return *g_processLogger; }

Session::Session(const Logger::Options& options) {
  std::lock_guard lock(g_sessionMutex);
  if (g_sessions == 0) {
    status_ = processLogger().start(options);
    if (!status_.ok() || !processLogger().running()) return;
  }
  ++g_sessions;
  counted_ = true;
}

Session::~Session() {
  if (!counted_) return;
  std::lock_guard lock(g_sessionMutex);
  if (--g_sessions == 0) processLogger().stop();
}

}  // namespace a2w::log
