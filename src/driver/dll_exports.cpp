// The DLL's entry points: DllMain and the four COM exports, named without
// decoration by asio2wasapi.def. Everything else lives in a2w_driver_objects,
// which the tests link directly.
#include <windows.h>
#include <objbase.h>
#include <olectl.h>

#include "driver/class_factory.h"
#include "driver/instances.h"
#include "driver/module_refs.h"
#include "driver/registration.h"

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID /*reserved*/) {
  if (reason == DLL_PROCESS_ATTACH) {
    // Kept for DllRegisterServer: the path written to InprocServer32 is the
    // path this copy of the DLL was loaded from.
    a2w::module::setHandle(instance);
    DisableThreadLibraryCalls(instance);  // no per-thread work; skip the calls
  }
  return TRUE;
}

STDAPI DllGetClassObject(REFCLSID rclsid, REFIID riid, LPVOID* ppv) {
  return a2w::getClassObject(rclsid, riid, ppv);
}

STDAPI DllCanUnloadNow() { return a2w::module::canUnload() ? S_OK : S_FALSE; }

// No exception may leave an export: regsvr32 and installers expect an HRESULT.
STDAPI DllRegisterServer() {
  try {
    const a2w::DriverRegistration reg = a2w::thisDriverRegistration(a2w::module::handle());
    if (reg.dllPath.empty()) return SELFREG_E_CLASS;
    const HRESULT hr = a2w::registerDriver(reg);
    // Named instances (a2w-instances add) follow this DLL to where it is now.
    if (SUCCEEDED(hr)) a2w::instances::registerNamedInstances(reg.dllPath);
    return hr;
  } catch (...) {
    return E_UNEXPECTED;
  }
}

STDAPI DllUnregisterServer() {
  try {
    // Every named instance's keys and the list, then the default instance's.
    const HRESULT named = a2w::instances::unregisterNamedInstances();
    const HRESULT hr = a2w::unregisterDriver(a2w::thisDriverRegistration(a2w::module::handle()));
    return FAILED(hr) ? hr : named;
  } catch (...) {
    return E_UNEXPECTED;
  }
}
