#include "driver/class_factory.h"

#include <new>
#include <optional>
#include <utility>

#include "driver/asio_driver.h"
#include "driver/driver_clsid.h"
#include "driver/module_refs.h"

namespace a2w {

ClassFactory::ClassFactory() : ClassFactory(instances::defaultInstance()) {}
ClassFactory::ClassFactory(instances::Instance instance) : instance_(std::move(instance)) { module::objectCreated(); }
ClassFactory::~ClassFactory() { module::objectDestroyed(); }

HRESULT STDMETHODCALLTYPE ClassFactory::QueryInterface(REFIID riid, void** ppv) {
  if (!ppv) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IClassFactory)) {
    *ppv = static_cast<IClassFactory*>(this);
    AddRef();
    return S_OK;
  }
  *ppv = nullptr;
  return E_NOINTERFACE;
}

ULONG STDMETHODCALLTYPE ClassFactory::AddRef() { return refs_.fetch_add(1) + 1; }

ULONG STDMETHODCALLTYPE ClassFactory::Release() {
  const ULONG left = refs_.fetch_sub(1) - 1;
  if (left == 0) delete this;
  return left;
}

HRESULT STDMETHODCALLTYPE ClassFactory::CreateInstance(IUnknown* outer, REFIID riid, void** ppv) {
  if (!ppv) return E_POINTER;
  *ppv = nullptr;
  if (outer) return CLASS_E_NOAGGREGATION;
  return createAsioDriver(instance_, riid, ppv);
}

HRESULT STDMETHODCALLTYPE ClassFactory::LockServer(BOOL lock) {
  if (lock) {
    module::lock();
  } else {
    module::unlock();
  }
  return S_OK;
}

HRESULT getClassObject(REFCLSID clsid, REFIID riid, void** ppv) {
  if (!ppv) return E_POINTER;
  *ppv = nullptr;
  std::optional<instances::Instance> instance;
  try {
    instance = instances::findByClsid(clsid);
  } catch (...) {
    return E_OUTOFMEMORY;
  }
  if (!instance) return CLASS_E_CLASSNOTAVAILABLE;
  ClassFactory* factory = new (std::nothrow) ClassFactory(std::move(*instance));
  if (!factory) return E_OUTOFMEMORY;
  const HRESULT hr = factory->QueryInterface(riid, ppv);
  factory->Release();  // QI holds the reference the caller gets
  return hr;
}

}  // namespace a2w
