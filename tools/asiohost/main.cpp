// asiohost: a command-line ASIO host that loads any installed ASIO driver the
// way DAWs do, to probe it, play a test signal through it and check that it
// survives being loaded again and again. See commands.h for the commands.
//
// COM: the main thread enters a single-threaded apartment
// (COINIT_APARTMENTTHREADED), as most DAWs' UI threads do; drivers created
// there see the environment they meet in practice.
#include <windows.h>
#include <objbase.h>
#include <shellapi.h>

#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "core/version.h"
#include "host_error.h"
#include "win_text.h"

namespace a2w::host {
namespace {

constexpr const char kUsage[] =
    "usage: asiohost list\n"
    "       asiohost probe <driver> [--json FILE]\n"
    "       asiohost play <driver> [--seconds N] [--rate R] [--buffer FRAMES] [--channels N]\n"
    "                              [--signal sequence|sine] [--time-info yes|no] [--report FILE.json]\n"
    "       asiohost cycle <driver> [--times N] [--seconds N] [play options]\n"
    "       asiohost loopback <driver> [--seconds N] [--rate R] [--buffer FRAMES] [--output-channel N]\n"
    "                                  [--input-channel N] [--max-unseen SECONDS] [--wav FILE] [--report FILE.json]\n"
    "       asiohost record <driver> [--seconds N] [--rate R] [--buffer FRAMES] [--channels N] [--wav FILE]\n"
    "                                [--report FILE.json]\n"
    "       asiohost --version | --help\n"
    "<driver> is a name under HKLM\\SOFTWARE\\ASIO (exact, or ignoring case).\n"
    "Exit codes: 0 ok, 1 driver error, 2 usage error.\n";

// Keeps COM initialised for main's lifetime.
class ComApartment {
 public:
  ComApartment() {
    const HRESULT hr = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
    if (FAILED(hr)) driverError("CoInitializeEx failed: " + hresultText(hr));
  }
  ComApartment(const ComApartment&) = delete;
  ComApartment& operator=(const ComApartment&) = delete;
  ~ComApartment() { CoUninitialize(); }
};

std::vector<std::string> commandLine() {
  int argc = 0;
  wchar_t** argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  std::vector<std::string> args;
  if (!argv) return args;
  for (int i = 1; i < argc; ++i) args.push_back(toUtf8(argv[i]));
  LocalFree(argv);
  return args;
}

template <typename T>
T parseNumber(const std::string& option, const std::string& text, T min, T max) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    usageError(option + " expects a number, got \"" + text + "\"");
  }
  if (value < min || value > max) {
    usageError(option + " " + text + " is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")");
  }
  return value;
}

struct Parsed {
  std::string command, driver;
  ProbeOptions probe;
  PlayOptions play;
  LoopbackCommandOptions loopback;
  RecordCommandOptions record;
  int times = 10;
  bool secondsGiven = false;
};

Parsed parse(const std::vector<std::string>& args) {
  Parsed p;
  if (args.empty()) usageError("no command given (try asiohost --help)");
  p.command = args[0];
  if (p.command != "list" && p.command != "probe" && p.command != "play" && p.command != "cycle" &&
      p.command != "loopback" && p.command != "record") {
    usageError("unknown command \"" + p.command + "\" (try asiohost --help)");
  }
  std::size_t i = 1;
  if (p.command != "list") {
    if (args.size() < 2 || args[1].starts_with("--")) usageError(p.command + ": missing driver name");
    p.driver = args[1];
    i = 2;
  }
  for (; i < args.size(); ++i) {
    const std::string& opt = args[i];
    auto next = [&]() -> const std::string& {
      if (i + 1 >= args.size()) usageError(opt + " needs a value");
      return args[++i];
    };
    const bool playLike = p.command == "play" || p.command == "cycle";
    const bool loopback = p.command == "loopback", record = p.command == "record";
    if (loopback || record) {
      // Options the two share go to both; each command reads its own.
      if (opt == "--seconds") {
        p.loopback.seconds = p.record.seconds = parseNumber<double>(opt, next(), 0.01, 86400.0);
      } else if (opt == "--rate") {
        p.loopback.rate = p.record.rate = parseNumber<double>(opt, next(), 1000.0, 1536000.0);
      } else if (opt == "--buffer") {
        p.loopback.bufferFrames = p.record.bufferFrames = parseNumber<std::int32_t>(opt, next(), 1, 1 << 20);
      } else if (opt == "--report") {
        p.loopback.reportPath = p.record.reportPath = next();
      } else if (loopback && opt == "--output-channel") {
        p.loopback.outputChannel = parseNumber<std::int32_t>(opt, next(), 0, 4095);
      } else if (loopback && opt == "--input-channel") {
        p.loopback.inputChannel = parseNumber<std::int32_t>(opt, next(), 0, 4095);
      } else if (loopback && opt == "--max-unseen") {
        p.loopback.maxUnseenSeconds = parseNumber<double>(opt, next(), 0.0, 10.0);
      } else if (record && opt == "--channels") {
        p.record.channels = parseNumber<std::int32_t>(opt, next(), 1, 4096);
      } else if (opt == "--wav") {
        p.record.wavPath = p.loopback.wavPath = next();
      } else {
        usageError(p.command + ": unknown option \"" + opt + "\" (try asiohost --help)");
      }
      continue;
    }
    if (p.command == "probe" && opt == "--json") {
      p.probe.jsonPath = next();
    } else if (playLike && opt == "--seconds") {
      p.play.seconds = parseNumber<double>(opt, next(), 0.01, 86400.0);
      p.secondsGiven = true;
    } else if (playLike && opt == "--rate") {
      p.play.rate = parseNumber<double>(opt, next(), 1000.0, 1536000.0);
    } else if (playLike && opt == "--buffer") {
      p.play.bufferFrames = parseNumber<std::int32_t>(opt, next(), 1, 1 << 20);
    } else if (playLike && opt == "--channels") {
      p.play.channels = parseNumber<std::int32_t>(opt, next(), 1, 4096);
    } else if (playLike && opt == "--signal") {
      const std::string& v = next();
      if (v == "sequence") p.play.signal = Signal::Sequence;
      else if (v == "sine") p.play.signal = Signal::Sine;
      else usageError("--signal expects sequence or sine, got \"" + v + "\"");
    } else if (playLike && opt == "--time-info") {
      const std::string& v = next();
      if (v == "yes") p.play.timeInfo = true;
      else if (v == "no") p.play.timeInfo = false;
      else usageError("--time-info expects yes or no, got \"" + v + "\"");
    } else if (playLike && opt == "--report") {
      p.play.reportPath = next();
    } else if (p.command == "cycle" && opt == "--times") {
      p.times = parseNumber<int>(opt, next(), 1, 100000);
    } else {
      usageError(p.command + ": unknown option \"" + opt + "\" (try asiohost --help)");
    }
  }
  if (p.command == "cycle" && !p.secondsGiven) p.play.seconds = 1;  // cycle's rounds are short by default
  return p;
}

int run(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "--version") {
    std::printf("asiohost %s\n", A2W_VERSION_STRING);
    return kExitOk;
  }
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  const Parsed p = parse(args);
  ComApartment com;
  if (p.command == "list") return commandList();
  if (p.command == "probe") return commandProbe(p.driver, p.probe);
  if (p.command == "play") return commandPlay(p.driver, p.play);
  if (p.command == "loopback") return commandLoopback(p.driver, p.loopback);
  if (p.command == "record") return commandRecord(p.driver, p.record);
  return commandCycle(p.driver, p.times, p.play);
}

}  // namespace
}  // namespace a2w::host

int main() {
  using namespace a2w::host;
  SetConsoleOutputCP(CP_UTF8);  // names are printed as UTF-8
  try {
    const int code = run(commandLine());
    std::fflush(stdout);
    return code;
  } catch (const HostError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "asiohost: %s\n", e.what());
    return e.code();
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "asiohost: internal error: %s\n", e.what());
    return kExitDriverError;
  }
}
