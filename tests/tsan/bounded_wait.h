// Waiting for another thread's progress in the race tests: poll an
// observable condition (an atomic counter) with a bound, never sleep a
// guessed time. The bound only catches a thread that stopped.
#pragma once

#include <chrono>
#include <thread>

namespace a2w::tsan {

template <typename Condition>
bool waitUntil(Condition condition, std::chrono::milliseconds bound = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace a2w::tsan
