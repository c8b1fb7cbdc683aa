// Module-wide state of the DLL: its HMODULE (for the path we register) and
// the counts DllCanUnloadNow needs (live COM objects and LockServer locks).
#pragma once

#include <windows.h>

namespace a2w::module {

void setHandle(HMODULE handle);  // from DllMain
HMODULE handle();                // null until DllMain ran (e.g. in a test exe)

// Every COM object this DLL hands out (driver objects, class factories)
// counts itself from construction to destruction.
void objectCreated();
void objectDestroyed();
long objectCount();

void lock();    // IClassFactory::LockServer(TRUE)
void unlock();  // IClassFactory::LockServer(FALSE)
long lockCount();

// No objects and no locks: COM may unload the DLL.
bool canUnload();

}  // namespace a2w::module
