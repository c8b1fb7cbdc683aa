// IClassFactory for the driver's CLSID. Each DllGetClassObject call gets a
// new factory; factories count as live objects for DllCanUnloadNow, so a
// client holding one keeps the DLL loaded.
#pragma once

#include <windows.h>
#include <unknwn.h>

#include <atomic>

#include "driver/instances.h"

namespace a2w {

class ClassFactory final : public IClassFactory {
 public:
  ClassFactory();  // reference count 1, owned by the caller; the default instance
  explicit ClassFactory(instances::Instance instance);  // creates drivers of this instance
  ClassFactory(const ClassFactory&) = delete;
  ClassFactory& operator=(const ClassFactory&) = delete;

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override;
  ULONG STDMETHODCALLTYPE AddRef() override;
  ULONG STDMETHODCALLTYPE Release() override;

  // No aggregation (CLASS_E_NOAGGREGATION): the driver has no inner IUnknown.
  HRESULT STDMETHODCALLTYPE CreateInstance(IUnknown* outer, REFIID riid, void** ppv) override;
  HRESULT STDMETHODCALLTYPE LockServer(BOOL lock) override;

 private:
  ~ClassFactory();

  std::atomic<ULONG> refs_{1};
  instances::Instance instance_;
};

// DllGetClassObject's work: a factory for our CLSID, or for a named
// instance's (looked up in the registry list, instances.h), queried for
// `riid`; CLASS_E_CLASSNOTAVAILABLE for any other CLSID.
HRESULT getClassObject(REFCLSID clsid, REFIID riid, void** ppv);

}  // namespace a2w
