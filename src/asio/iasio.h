// The IASIO COM interface (Windows only): the vtable a host calls.
//
// Hosts create the driver with CoCreateInstance(clsid, ..., clsid, &p): the
// interface id is the driver's own CLSID, so there is no IID_IASIO.
//
// Calling convention: the methods after IUnknown carry no keyword, so on x86
// MSVC and MinGW-w64 g++ both call them as thiscall (this in ECX, callee pops
// the arguments); IUnknown's methods stay __stdcall. x64 has one convention.
#pragma once

#ifndef _WIN32
#error "iasio.h is for Windows builds; the portable core uses asio_abi.h only"
#endif

#include <unknwn.h>

#include "asio/asio_abi.h"

namespace asio {

// Slot numbers (after QueryInterface 0, AddRef 1, Release 2).
struct IAsio : public IUnknown {
  virtual Bool init(void* sysHandle) = 0;                                       // 3
  virtual void getDriverName(char* name) = 0;                                   // 4
  virtual std::int32_t getDriverVersion() = 0;                                  // 5
  virtual void getErrorMessage(char* text) = 0;                                 // 6
  virtual Error start() = 0;                                                    // 7
  virtual Error stop() = 0;                                                     // 8
  virtual Error getChannels(std::int32_t* inputs, std::int32_t* outputs) = 0;   // 9
  virtual Error getLatencies(std::int32_t* input, std::int32_t* output) = 0;    // 10
  virtual Error getBufferSize(std::int32_t* minSize, std::int32_t* maxSize,
                              std::int32_t* preferredSize, std::int32_t* granularity) = 0;  // 11
  virtual Error canSampleRate(SampleRate rate) = 0;                             // 12
  virtual Error getSampleRate(SampleRate* rate) = 0;                            // 13
  virtual Error setSampleRate(SampleRate rate) = 0;                             // 14
  virtual Error getClockSources(ClockSource* clocks, std::int32_t* count) = 0;  // 15
  virtual Error setClockSource(std::int32_t index) = 0;                         // 16
  virtual Error getSamplePosition(Samples* position, TimeStamp* stamp) = 0;     // 17
  virtual Error getChannelInfo(ChannelInfo* info) = 0;                          // 18
  virtual Error createBuffers(BufferInfo* infos, std::int32_t count, std::int32_t bufferSize,
                              Callbacks* callbacks) = 0;                        // 19
  virtual Error disposeBuffers() = 0;                                           // 20
  virtual Error controlPanel() = 0;                                             // 21
  virtual Error future(std::int32_t selector, void* opt) = 0;                   // 22
  virtual Error outputReady() = 0;                                              // 23
};

}  // namespace asio
