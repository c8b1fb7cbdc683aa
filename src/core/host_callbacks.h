// The host's callbacks as the core uses them: a copy of the function pointers
// taken at createBuffers (the host's struct may not outlive the call), and
// what the host answered when asked which messages it understands.
#pragma once

#include <cstdint>

#include "asio/asio_abi.h"

namespace a2w {

class HostCallbacks {
 public:
  using MessageFunction = std::int32_t (*)(std::int32_t, std::int32_t, void*, double*);

  // Copies the pointers, then asks kSelectorSupported for each message the
  // driver may send, kSupportsTimeInfo and kEngineVersion (each only when
  // the host said it supports it: the ABI's rule for every message).
  void connect(const asio::Callbacks& callbacks);
  void disconnect() noexcept;

  bool supports(std::int32_t selector) const noexcept;
  bool usesTimeInfo() const noexcept { return useTimeInfo_; }
  std::int32_t engineVersion() const noexcept { return engineVersion_; }

  // Sends `selector` when the host supports it; returns the host's answer,
  // or 0 when it was not sent.
  std::int32_t sendIfSupported(std::int32_t selector, std::int32_t value = 0) const;

  // The host's asioMessage if it supports kResetRequest, else nullptr: what
  // deviceEvent needs from another thread (see DriverCore::Impl).
  MessageFunction resetMessenger() const noexcept;

  // Audio thread: bufferSwitchTimeInfo when the host asked for time info,
  // else bufferSwitch. directProcess is always true: we call from the
  // driver's own thread and the host may process right here.
  void bufferSwitch(asio::Time* time, std::int32_t index) const noexcept;

 private:
  asio::Callbacks callbacks_{};
  std::uint32_t supportedMask_ = 0;  // bit n: the host supports message selector n (all are < 32)
  bool useTimeInfo_ = false;
  std::int32_t engineVersion_ = 0;
};

}  // namespace a2w
