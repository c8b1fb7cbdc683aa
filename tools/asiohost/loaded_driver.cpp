#include "loaded_driver.h"

#include <objbase.h>

#include <cstring>

#include "host_error.h"
#include "win_text.h"

namespace a2w::host {

std::string errorName(asio::Error code) { return asio::errorName(code); }

namespace {
constexpr wchar_t kWindowClass[] = L"asiohost hidden window";

LRESULT CALLBACK hiddenWindowProc(HWND window, UINT message, WPARAM w, LPARAM l) {
  return DefWindowProcW(window, message, w, l);
}
}  // namespace

HiddenWindow::HiddenWindow() {
  WNDCLASSW wc{};
  wc.lpfnWndProc = hiddenWindowProc;
  wc.hInstance = GetModuleHandleW(nullptr);
  wc.lpszClassName = kWindowClass;
  RegisterClassW(&wc);  // fails harmlessly when already registered by an earlier instance
  window_ = CreateWindowExW(0, kWindowClass, L"asiohost", WS_OVERLAPPEDWINDOW, CW_USEDEFAULT, CW_USEDEFAULT, 100, 100,
                            nullptr, nullptr, wc.hInstance, nullptr);
}

HiddenWindow::~HiddenWindow() {
  if (window_) DestroyWindow(window_);
}

LoadedDriver::LoadedDriver(const DriverEntry& entry) : entry_(entry) {
  if (!entry.clsidValid) {
    driverError("driver \"" + entry.name + "\" has no valid CLSID in its registry key (\"" + entry.clsidText + "\")");
  }
  // The interface id is the driver's own CLSID: ASIO has no IID of its own.
  void* object = nullptr;
  const HRESULT hr = CoCreateInstance(entry.clsid, nullptr, CLSCTX_INPROC_SERVER, entry.clsid, &object);
  if (FAILED(hr) || !object) {
    driverError("cannot create driver \"" + entry.name + "\" " + entry.clsidText + " (DLL \"" + entry.dllPath +
                "\"): CoCreateInstance " + (FAILED(hr) ? hresultText(hr) : std::string("returned no object")));
  }
  driver_ = static_cast<asio::IAsio*>(object);
  if (driver_->init(window_.get()) != asio::kTrue) {
    const std::string message = errorMessage();
    driver_->Release();  // the destructor does not run when the constructor throws
    driver_ = nullptr;
    driverError("init failed: " + (message.empty() ? std::string("(no message)") : message));
  }
}

LoadedDriver::~LoadedDriver() {
  if (driver_) driver_->Release();
}

std::string LoadedDriver::errorMessage() const {
  // Twice the ABI size, zeroed, in case a driver writes past its 124 bytes.
  char text[2 * asio::kErrorMessageBytes] = {};
  driver_->getErrorMessage(text);
  text[asio::kErrorMessageBytes - 1] = '\0';
  return text;
}

std::string LoadedDriver::driverName() const {
  char name[2 * asio::kDriverNameBytes] = {};
  driver_->getDriverName(name);
  name[asio::kDriverNameBytes - 1] = '\0';
  return name;
}

std::string LoadedDriver::failure(const std::string& call, asio::Error code) const {
  std::string line = call + " failed: " + errorName(code) + " (" + std::to_string(code) + ")";
  const std::string message = errorMessage();
  if (!message.empty()) line += ": " + message;
  return line;
}

void LoadedDriver::check(const std::string& call, asio::Error code) const {
  if (code != asio::err::kOk) driverError(failure(call, code));
}

}  // namespace a2w::host
