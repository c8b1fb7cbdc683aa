#include "core/host_callbacks.h"

namespace a2w {

namespace {
// The messages the driver may send, asked about once at createBuffers.
constexpr std::int32_t kProbedSelectors[] = {
    asio::msg::kResetRequest,     asio::msg::kResyncRequest, asio::msg::kLatenciesChanged,
    asio::msg::kSupportsTimeInfo, asio::msg::kOverload,      asio::msg::kBufferSizeChange,
    asio::msg::kEngineVersion,
};

bool fitsMask(std::int32_t selector) { return selector >= 0 && selector < 32; }
}  // namespace

void HostCallbacks::connect(const asio::Callbacks& callbacks) {
  callbacks_ = callbacks;
  supportedMask_ = 0;
  useTimeInfo_ = false;
  engineVersion_ = 0;
  if (callbacks_.asioMessage == nullptr) return;

  for (std::int32_t selector : kProbedSelectors) {
    if (callbacks_.asioMessage(asio::msg::kSelectorSupported, selector, nullptr, nullptr) == 1) {
      supportedMask_ |= 1u << selector;
    }
  }
  useTimeInfo_ = callbacks_.bufferSwitchTimeInfo != nullptr && sendIfSupported(asio::msg::kSupportsTimeInfo) == 1;
  engineVersion_ = sendIfSupported(asio::msg::kEngineVersion);
}

void HostCallbacks::disconnect() noexcept { *this = HostCallbacks{}; }

bool HostCallbacks::supports(std::int32_t selector) const noexcept {
  return fitsMask(selector) && (supportedMask_ & (1u << selector)) != 0;
}

std::int32_t HostCallbacks::sendIfSupported(std::int32_t selector, std::int32_t value) const {
  if (callbacks_.asioMessage == nullptr || !supports(selector)) return 0;
  return callbacks_.asioMessage(selector, value, nullptr, nullptr);
}

HostCallbacks::MessageFunction HostCallbacks::resetMessenger() const noexcept {
  return supports(asio::msg::kResetRequest) ? callbacks_.asioMessage : nullptr;
}

void HostCallbacks::bufferSwitch(asio::Time* time, std::int32_t index) const noexcept {
  if (useTimeInfo_) {
    callbacks_.bufferSwitchTimeInfo(time, index, asio::kTrue);
  } else if (callbacks_.bufferSwitch != nullptr) {
    callbacks_.bufferSwitch(index, asio::kTrue);
  }
}

}  // namespace a2w
