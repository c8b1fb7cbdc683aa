// Memory that COM hands out with CoTaskMemAlloc (endpoint ids, mix formats,
// IsFormatSupported's closest match) and the caller must CoTaskMemFree.
#pragma once

#include <objbase.h>

#include <memory>

namespace a2w::wasapi {

struct CoTaskMemDeleter {
  void operator()(void* p) const { CoTaskMemFree(p); }
};

template <typename T>
using CoTaskMemPtr = std::unique_ptr<T, CoTaskMemDeleter>;

}  // namespace a2w::wasapi
