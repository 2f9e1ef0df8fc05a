// What this machine charges for memory touched for the first time. On this project's virtual
// machines a minor page fault costs 10-15 us, as much as tens of thousands of provider calls, so
// a benchmark whose work needs fresh memory counts its faults and sets their bare cost, measured
// in the same run, beside its own time: the rest is the work itself.
#pragma once

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

// Minor page faults this process has taken so far.
inline long MinorFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// The bare cost of `pages` page faults here, in seconds: fresh anonymous pages touched once each.
// At least 1,024 pages are timed and the cost scaled down: a handful timed alone would be mostly
// the new mapping's own setup, and would cost a few faults more than the faults themselves.
inline double FaultSeconds(long pages) {
  if (pages <= 0) return 0;
  const long timed = std::max(pages, 1024L);
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t size = static_cast<size_t>(timed) * page;
  void* mapped = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) std::abort();
  // One fault per page, as the heap takes them: not one per 2 MB where huge pages are the default.
  (void)madvise(mapped, size, MADV_NOHUGEPAGE);
  auto* p = static_cast<volatile char*>(mapped);
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < size; i += page) p[i] = 1;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  munmap(mapped, size);
  return seconds * static_cast<double>(pages) / static_cast<double>(timed);
}
