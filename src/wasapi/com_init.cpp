#include "wasapi/com_init.h"

namespace a2w::wasapi {

ComInit::ComInit() : result_(CoInitializeEx(nullptr, COINIT_MULTITHREADED)) {}

ComInit::~ComInit() {
  // S_OK and S_FALSE both took a reference on this thread's COM; the
  // RPC_E_CHANGED_MODE case took none.
  if (SUCCEEDED(result_)) CoUninitialize();
}

namespace {

// CoIncrementMTAUsage exists from Windows 8 on, and the i686 MinGW import
// library lacks it: look it up at run time. Without it (Windows 7) the
// per-call ComInit guards are all we have, which is what drivers did before.
using IncrementFn = HRESULT(WINAPI*)(CO_MTA_USAGE_COOKIE*);
using DecrementFn = HRESULT(WINAPI*)(CO_MTA_USAGE_COOKIE);

template <typename Fn>
Fn ole32Function(const char* name) {
  HMODULE ole32 = GetModuleHandleW(L"ole32.dll");  // loaded: we link against it
  if (!ole32) return nullptr;
  return reinterpret_cast<Fn>(reinterpret_cast<void*>(GetProcAddress(ole32, name)));
}

}  // namespace

HRESULT MtaUsage::acquire() {
  if (cookie_) return S_OK;
  static const IncrementFn increment = ole32Function<IncrementFn>("CoIncrementMTAUsage");
  if (!increment) return S_FALSE;  // not available: nothing held, not an error
  return increment(&cookie_);
}

void MtaUsage::release() {
  if (cookie_) {
    static const DecrementFn decrement = ole32Function<DecrementFn>("CoDecrementMTAUsage");
    if (decrement) decrement(cookie_);
    cookie_ = nullptr;
  }
}

}  // namespace a2w::wasapi
