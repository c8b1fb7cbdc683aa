// One ASIO driver instance, created the way hosts create it and released when
// the object goes out of scope (IAsio is an IUnknown: one Release per
// successful CoCreateInstance). Also the readable names of ASIO error codes
// and the "call failed: ASE_X (code): driver text" lines built from them.
//
// 32-bit builds: the IAsio methods after IUnknown have no calling-convention
// keyword, so MinGW-w64 g++ on i686 calls them as thiscall (this in ECX,
// callee pops), exactly as MSVC-built drivers expect; see src/asio/iasio.h.
#pragma once

#include <windows.h>

#include <string>

#include "asio/iasio.h"
#include "driver_registry.h"

namespace a2w::host {

// "ASE_OK", "ASE_SUCCESS", "ASE_InvalidMode", ... or "unknown error".
std::string errorName(asio::Error code);

// A hidden top-level window to hand to init() as the system handle: drivers
// use it as their dialogs' parent or post messages to it, as they would to a
// DAW's main window. nullptr when no window can be made (e.g. Wine without a
// display); init() then receives nullptr.
class HiddenWindow {
 public:
  HiddenWindow();
  HiddenWindow(const HiddenWindow&) = delete;
  HiddenWindow& operator=(const HiddenWindow&) = delete;
  ~HiddenWindow();
  HWND get() const { return window_; }

 private:
  HWND window_ = nullptr;
};

class LoadedDriver {
 public:
  // CoCreateInstance(clsid, ..., clsid) and init(). Throws HostError (exit 1)
  // on failure, with the driver's getErrorMessage text when init fails.
  explicit LoadedDriver(const DriverEntry& entry);
  LoadedDriver(const LoadedDriver&) = delete;
  LoadedDriver& operator=(const LoadedDriver&) = delete;
  ~LoadedDriver();

  asio::IAsio* operator->() const { return driver_; }
  asio::IAsio* get() const { return driver_; }
  const DriverEntry& entry() const { return entry_; }

  // The driver's getErrorMessage, cut to the ABI's 123 characters.
  std::string errorMessage() const;
  std::string driverName() const;

  // "<call> failed: ASE_InvalidMode (-997): <getErrorMessage text>".
  std::string failure(const std::string& call, asio::Error code) const;
  // Throws HostError(exit 1) with failure(call, code) unless code is ASE_OK.
  void check(const std::string& call, asio::Error code) const;

 private:
  DriverEntry entry_;
  HiddenWindow window_;
  asio::IAsio* driver_ = nullptr;
};

}  // namespace a2w::host
