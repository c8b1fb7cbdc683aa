#include "core/host_call_log.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace a2w::log {
namespace {

// "0-3, 5, 7-8": ascending channel numbers as runs.
std::string runs(std::vector<std::int32_t> channels) {
  std::sort(channels.begin(), channels.end());
  std::string out;
  for (std::size_t i = 0; i < channels.size();) {
    std::size_t j = i;
    while (j + 1 < channels.size() && channels[j + 1] == channels[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(channels[i]);
    if (j > i) out += "-" + std::to_string(channels[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

const char* asioErrorName(asio::Error code) noexcept { return asio::errorName(code); }

std::string hostCallLine(std::string_view method, std::string_view args, std::string_view result,
                         std::string_view outputs, std::string_view errorMessage) {
  std::string line;
  line.reserve(method.size() + args.size() + result.size() + outputs.size() + errorMessage.size() + 16);
  line.append(method).append("(").append(args).append(") -> ").append(result);
  if (!outputs.empty()) line.append(" (").append(outputs).append(")");
  if (!errorMessage.empty()) line.append(": ").append(errorMessage);
  return line;
}

std::string bufferInfosText(const asio::BufferInfo* infos, std::int32_t count) {
  if (!infos || count <= 0) return "no buffers";
  std::vector<std::int32_t> in;
  std::vector<std::int32_t> out;
  for (std::int32_t i = 0; i < count; ++i) (infos[i].isInput ? in : out).push_back(infos[i].channelNum);
  std::string text;
  if (!in.empty()) text += "in " + runs(in);
  if (!out.empty()) text += (text.empty() ? "out " : ", out ") + runs(out);
  return text + " (" + std::to_string(count) + " buffers)";
}

std::string glitchLine(const DriverStats& s) {
  if (s.renderUnderruns == 0 && s.renderEngineLatePasses == 0 && s.inputUnderruns == 0 && s.inputOverruns == 0 && s.inputDiscontinuities == 0 && s.overloads == 0 &&
      s.mismatchedPeriods == 0 && s.deviceEvents == 0 && s.resetRequestsSent == 0) {
    return {};
  }
  return "glitches: render underruns " + std::to_string(s.renderUnderruns) + ", render engine late passes " +
         std::to_string(s.renderEngineLatePasses) + ", input underruns " + std::to_string(s.inputUnderruns) + ", input overruns " +
         std::to_string(s.inputOverruns) + ", input discontinuities " + std::to_string(s.inputDiscontinuities) +
         ", overloads " + std::to_string(s.overloads) + ", mismatched periods " +
         std::to_string(s.mismatchedPeriods) + "; device events " + std::to_string(s.deviceEvents) +
         ", reset requests " + std::to_string(s.resetRequestsSent);
}

std::string runSummaryLine(const DriverStats& s) {
  std::string text = "run: " + std::to_string(s.periods) + " periods, " + std::to_string(s.bufferSwitches) +
                     " buffer switches, " + std::to_string(s.overloads) + " overloads, " +
                     std::to_string(s.renderUnderruns) + " render underruns, " +
                     std::to_string(s.renderEngineLatePasses) + " render engine late passes";
  if (s.inputPackets == 0 && s.inputFifoTargetFrames == 0) return text;
  char level[64];
  std::snprintf(level, sizeof level, "level %.1f, drift %+.1f ppm", s.inputFifoLevelFrames, s.inputDriftPpm);
  char clocks[80] = "";
  if (s.inputClockLocked) {
    std::snprintf(clocks, sizeof clocks, " (clocks %+.1f ppm)", s.inputClockRatioPpm);
  } else if (s.inputCaptureClockStdErrPpm > 0 || s.inputPeriodClockStdErrPpm > 0) {
    // Tracking, not locked yet: how far each estimate is from its lock.
    std::snprintf(clocks, sizeof clocks, " (clocks not locked: standard errors %.2g, %.2g ppm)",
                  s.inputCaptureClockStdErrPpm, s.inputPeriodClockStdErrPpm);
  }
  return text + "; input FIFO target " + std::to_string(s.inputFifoTargetFrames) + ", fill " +
         std::to_string(s.inputFifoFrames) + " (min " + std::to_string(s.inputFifoMinFrames) + ", max " +
         std::to_string(s.inputFifoMaxFrames) + "), " + level + clocks + ", underruns " + std::to_string(s.inputUnderruns) +
         ", overruns " + std::to_string(s.inputOverruns);
}

}  // namespace a2w::log
