// COM lifetime helpers.
//
// ComInit: CoInitializeEx(MTA) for the current thread for the guard's scope.
// An ASIO host may call the driver on an STA thread (a GUI thread that already
// did OleInitialize): then CoInitializeEx answers RPC_E_CHANGED_MODE. That is
// fine for us (the Core Audio objects are free-threaded), so the guard treats
// it as success and simply does not uninitialise what it did not initialise.
//
// MtaUsage: CoIncrementMTAUsage keeps the process's MTA alive while the
// backend holds Core Audio objects, whichever threads the host calls from, so
// the objects created in open() stay valid until close() even if the thread
// that opened them has gone away or uninitialised COM.
#pragma once

#include <objbase.h>

namespace a2w::wasapi {

class ComInit {
 public:
  ComInit();
  ~ComInit();
  ComInit(const ComInit&) = delete;
  ComInit& operator=(const ComInit&) = delete;

  // False only when COM cannot be used on this thread at all.
  bool ok() const { return SUCCEEDED(result_) || result_ == RPC_E_CHANGED_MODE; }
  HRESULT result() const { return result_; }

 private:
  HRESULT result_;
};

class MtaUsage {
 public:
  MtaUsage() = default;
  ~MtaUsage() { release(); }
  MtaUsage(const MtaUsage&) = delete;
  MtaUsage& operator=(const MtaUsage&) = delete;

  HRESULT acquire();  // no-op when already held
  void release();     // idempotent

 private:
  CO_MTA_USAGE_COOKIE cookie_ = nullptr;
};

}  // namespace a2w::wasapi
