// Owns one Win32 HANDLE (event, waitable timer, thread) and closes it once.
#pragma once

#include <windows.h>

#include <utility>

namespace a2w::wasapi {

class UniqueHandle {
 public:
  UniqueHandle() = default;
  // Takes ownership. Both null and INVALID_HANDLE_VALUE mean "nothing":
  // CreateEvent returns null on failure, CreateFile the other one.
  explicit UniqueHandle(HANDLE h) : handle_(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
  ~UniqueHandle() { reset(); }
  UniqueHandle(UniqueHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  UniqueHandle& operator=(UniqueHandle&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  UniqueHandle(const UniqueHandle&) = delete;
  UniqueHandle& operator=(const UniqueHandle&) = delete;

  HANDLE get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }
  void reset(HANDLE h = nullptr) {
    if (handle_) CloseHandle(handle_);
    handle_ = (h == INVALID_HANDLE_VALUE) ? nullptr : h;
  }

 private:
  HANDLE handle_ = nullptr;
};

}  // namespace a2w::wasapi
