// The text of host-call and glitch-counter log lines (src/core/host_call_log.h).
#include "core/host_call_log.h"

#include <gtest/gtest.h>
#include <limits>

namespace a2w::log {
namespace {

TEST(HostCallLog, ErrorNames) {
  EXPECT_STREQ(asioErrorName(asio::err::kOk), "ASE_OK");
  EXPECT_STREQ(asioErrorName(asio::err::kSuccess), "ASE_SUCCESS");
  EXPECT_STREQ(asioErrorName(asio::err::kInvalidMode), "ASE_InvalidMode");
  EXPECT_STREQ(asioErrorName(asio::err::kInvalidParameter), "ASE_InvalidParameter");
  EXPECT_STREQ(asioErrorName(asio::err::kNotPresent), "ASE_NotPresent");
  EXPECT_STREQ(asioErrorName(12345), "unknown error");
}

TEST(HostCallLog, Lines) {
  EXPECT_EQ(hostCallLine("start", "", "ASE_OK"), "start() -> ASE_OK");
  EXPECT_EQ(hostCallLine("getChannels", "", "ASE_OK", "inputs=0, outputs=2"),
            "getChannels() -> ASE_OK (inputs=0, outputs=2)");
  EXPECT_EQ(hostCallLine("createBuffers", "count=2, bufferSize=7", "ASE_InvalidMode", "",
                         "createBuffers: called before init"),
            "createBuffers(count=2, bufferSize=7) -> ASE_InvalidMode: createBuffers: called before init");
}

TEST(HostCallLog, BufferInfos) {
  asio::BufferInfo infos[5] = {};
  infos[0] = {asio::kFalse, 0, {}};
  infos[1] = {asio::kFalse, 1, {}};
  infos[2] = {asio::kTrue, 0, {}};
  infos[3] = {asio::kFalse, 3, {}};
  infos[4] = {asio::kFalse, 2, {}};
  EXPECT_EQ(bufferInfosText(infos, 5), "in 0, out 0-3 (5 buffers)");
  EXPECT_EQ(bufferInfosText(infos, 1), "out 0 (1 buffers)");
  infos[1].channelNum = 5;
  EXPECT_EQ(bufferInfosText(infos, 2), "out 0, 5 (2 buffers)");
  EXPECT_EQ(bufferInfosText(nullptr, 3), "no buffers");
}

TEST(HostCallLog, GlitchLineOnlyWhenSomethingHappened) {
  DriverStats s;
  s.periods = 1000;  // not a glitch
  EXPECT_EQ(glitchLine(s), "");
  DriverStats renderOnly;
  renderOnly.renderUnderruns = 1;
  EXPECT_NE(glitchLine(renderOnly), "");
  s.inputUnderruns = 2;
  s.deviceEvents = 1;
  s.renderEngineLatePasses = 1;
  EXPECT_EQ(glitchLine(s),
            "glitches: render underruns 0, render engine late passes 1, input underruns 2, input overruns 0, input discontinuities 0, overloads 0, mismatched "
            "periods 0; device events 1, reset requests 0");
}

TEST(HostCallLogTest, RunSummarySaysWhatTheInputFifoDid) {
  DriverStats s;
  s.periods = 615;
  s.bufferSwitches = 615;
  s.renderUnderruns = 2;
  EXPECT_EQ(runSummaryLine(s),
            "run: 615 periods, 615 buffer switches, 0 overloads, 2 render underruns, 0 render engine late "
            "passes");  // output only
  s.inputPackets = 610;
  s.inputFifoTargetFrames = 1514;
  s.inputFifoFrames = 1514;
  s.inputFifoMinFrames = 1034;
  s.inputFifoMaxFrames = 1994;
  s.inputFifoLevelFrames = 1490.54;
  s.inputDriftPpm = -3.26;
  s.inputUnderruns = 1;
  EXPECT_EQ(runSummaryLine(s),
            "run: 615 periods, 615 buffer switches, 0 overloads, 2 render underruns, 0 render engine late passes; "
            "input FIFO target 1514, fill 1514 (min 1034, max "
            "1994), level 1490.5, drift -3.3 ppm, underruns 1, overruns 0");
  // Tracking but not locked yet: the estimates' standard errors.
  s.inputCaptureClockStdErrPpm = 3.4;
  s.inputPeriodClockStdErrPpm = std::numeric_limits<double>::infinity();
  EXPECT_EQ(runSummaryLine(s),
            "run: 615 periods, 615 buffer switches, 0 overloads, 2 render underruns, 0 render engine late passes; "
            "input FIFO target 1514, fill 1514 (min 1034, max "
            "1994), level 1490.5, drift -3.3 ppm (clocks not locked: standard errors 3.4, inf ppm), underruns 1, overruns 0");
  // Once the clock tracking locked, its estimate next to what is applied.
  s.inputClockLocked = true;
  s.inputClockRatioPpm = -2.04;
  EXPECT_EQ(runSummaryLine(s),
            "run: 615 periods, 615 buffer switches, 0 overloads, 2 render underruns, 0 render engine late passes; "
            "input FIFO target 1514, fill 1514 (min 1034, max "
            "1994), level 1490.5, drift -3.3 ppm (clocks -2.0 ppm), underruns 1, overruns 0");
}

}  // namespace
}  // namespace a2w::log
