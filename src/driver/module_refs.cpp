#include "driver/module_refs.h"

#include <atomic>

namespace a2w::module {
namespace {
std::atomic<HMODULE> g_handle{nullptr};
std::atomic<long> g_objects{0};
std::atomic<long> g_locks{0};
}  // namespace

void setHandle(HMODULE h) { g_handle.store(h); }
HMODULE handle() { return g_handle.load(); }

void objectCreated() { g_objects.fetch_add(1); }
void objectDestroyed() { g_objects.fetch_sub(1); }
long objectCount() { return g_objects.load(); }

void lock() { g_locks.fetch_add(1); }
// A client that unlocks more often than it locked must not drive the count
// negative and make the DLL look busy (or idle) forever.
void unlock() {
  long n = g_locks.load();
  while (n > 0 && !g_locks.compare_exchange_weak(n, n - 1)) {
  }
}
long lockCount() { return g_locks.load(); }

bool canUnload() { return g_objects.load() == 0 && g_locks.load() == 0; }

}  // namespace a2w::module
