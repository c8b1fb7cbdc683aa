// What the log says about host calls and glitch counters: the portable text
// helpers behind src/driver/driver_log (unit-tested natively).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "asio/asio_abi.h"
#include "core/driver_core.h"

namespace a2w::log {

// "ASE_OK", "ASE_SUCCESS", "ASE_InvalidMode", ... "unknown error": static
// text, so the audio thread may pass it as Arg::literal.
const char* asioErrorName(asio::Error code) noexcept;

// "getChannels() -> ASE_OK (inputs=0, outputs=2)" or, on failure,
// "start() -> ASE_InvalidMode: start: called before createBuffers".
// `args` are the inputs, `outputs` what the call returned through pointers.
std::string hostCallLine(std::string_view method, std::string_view args, std::string_view result,
                         std::string_view outputs = {}, std::string_view errorMessage = {});

// The channels a host asked for in createBuffers: "in 0-1, out 0-3 (6 buffers)".
std::string bufferInfosText(const asio::BufferInfo* infos, std::int32_t count);

// The glitch and event counters as one line, "" while all are zero:
// "glitches: render underruns 0, render engine late passes 1, input underruns 2, input overruns 0, input discontinuities 1,
// overloads 0, mismatched periods 0; device events 1, reset requests 1".
std::string glitchLine(const DriverStats& stats);

// What a run did, for the line logged at stop: "run: 615 periods, 615 buffer
// switches, 0 overloads, 0 render underruns, 1 render engine late passes; input FIFO target 1514, fill 1514 (min 1034, max
// 1514), level 1490.5, drift +0.0 ppm, underruns 0, overruns 0". The input
// part only when there was an input.
std::string runSummaryLine(const DriverStats& stats);

}  // namespace a2w::log
