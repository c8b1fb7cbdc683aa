// Counts heap allocations made through operator new on the current thread
// while a CountAllocations scope is open: the unit test binary replaces the
// global operator new / delete (allocation_counter.cpp) with versions that
// forward to malloc / free and bump a thread-local counter when counting.
// Everything else in the binary allocates as before (ASan still intercepts
// malloc and free), only new/delete mismatch reports are lost.
#pragma once

#include <cstdint>

namespace a2w::test {

class CountAllocations {
 public:
  CountAllocations() noexcept;
  ~CountAllocations();
  CountAllocations(const CountAllocations&) = delete;
  CountAllocations& operator=(const CountAllocations&) = delete;
  // operator new calls on this thread since the scope opened.
  std::uint64_t count() const noexcept;

 private:
  std::uint64_t start_;
};

}  // namespace a2w::test
