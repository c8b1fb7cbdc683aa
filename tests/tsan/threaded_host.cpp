#include "tsan/threaded_host.h"

#include <atomic>

namespace a2w::tsan {

namespace {
std::atomic<ThreadedHost*> gHost{nullptr};
}  // namespace

ThreadedHost::ThreadedHost(DriverCore& core) : core_(core) { gHost.store(this); }
ThreadedHost::~ThreadedHost() { gHost.store(nullptr); }

asio::Callbacks ThreadedHost::callbacks() const {
  return {&bufferSwitch, &sampleRateDidChange, &asioMessage, &bufferSwitchTimeInfo};
}

void ThreadedHost::onSwitch(std::int32_t index) {
  if (!running.load(std::memory_order_acquire)) lateSwitches.fetch_add(1);
  if (index != 0 && index != 1) badCalls.fetch_add(1);
  asio::Samples position{};
  asio::TimeStamp stamp{};
  if (core_.getSamplePosition(&position, &stamp) != asio::err::kOk) badCalls.fetch_add(1);
  if (core_.outputReady() != asio::err::kOk) badCalls.fetch_add(1);
  switches.fetch_add(1, std::memory_order_release);
}

void ThreadedHost::bufferSwitch(std::int32_t index, asio::Bool) {
  if (ThreadedHost* h = gHost.load()) h->onSwitch(index);
}

asio::Time* ThreadedHost::bufferSwitchTimeInfo(asio::Time*, std::int32_t index, asio::Bool) {
  if (ThreadedHost* h = gHost.load()) h->onSwitch(index);
  return nullptr;
}

void ThreadedHost::sampleRateDidChange(asio::SampleRate) {}

std::int32_t ThreadedHost::asioMessage(std::int32_t selector, std::int32_t value, void*, double*) {
  ThreadedHost* h = gHost.load();
  if (h == nullptr) return 0;
  switch (selector) {
    case asio::msg::kSelectorSupported:
      return value == asio::msg::kResetRequest || value == asio::msg::kSupportsTimeInfo ||
                     value == asio::msg::kLatenciesChanged || value == asio::msg::kEngineVersion
                 ? 1
                 : 0;
    case asio::msg::kSupportsTimeInfo: return 1;
    case asio::msg::kEngineVersion: return 2;
    case asio::msg::kResetRequest:
      h->resetRequests.fetch_add(1);
      h->resetPending.store(true, std::memory_order_release);
      return 1;
    default: return 1;
  }
}

}  // namespace a2w::tsan
