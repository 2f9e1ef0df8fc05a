// The threads a phase tells sessions on, at the same time (issue 11, item 3). They are started at
// the first phase that needs them and kept until Stop: a DoFastShutdown after
// NotifyProcessShutdown starts none. Starting a thread costs 100-300 us on this project's
// machines; 63 of them, started as a tree by each phase, made the last of 64 sessions start about
// 10 ms late in the very call after which the client exits.
//
// Work i runs on thread i (0 on the caller's): the i-th session of a phase is told on the same
// thread as the i-th of the phase before, so a process's sessions keep their threads from notify
// to do unless one logs off between them.
//
// The coordinator stops them at every normal shutdown, so none outlives the last
// MAPIUninitialize (nor keeps a provider library's thread-locals alive after it).
//
// Not fork-safe: a child forked after a Run has no threads but believes it has; it must not Run.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mapishut {

class SessionThreads {
 public:
  SessionThreads() = default;
  // Stop().
  ~SessionThreads();
  SessionThreads(const SessionThreads&) = delete;
  SessionThreads& operator=(const SessionThreads&) = delete;

  // Runs work(i) for every i in [0, count), once each, and returns when all have returned: 0 on
  // the calling thread, each other on a thread of its own, started as a tree the first time (i
  // starts 2i+1 and 2i+2 before its own work). When no thread can be had for i, i and what it
  // would have started run on the thread that tried, after its own work. `work` must not throw:
  // the others may still be running it. One Run at a time. Throws only std::bad_alloc, before
  // any work started.
  void Run(size_t count, const std::function<void(size_t)>& work);
  // Ends and joins the threads; the next Run starts them again. No Run may be under way.
  void Stop();

 private:
  // Starts the children of i that have no thread yet, then runs work(i), then the children that
  // could not get a thread.
  void Tell(size_t i) noexcept;
  // Thread i: Tell(i) for the Run that started it, then for every later Run that reaches i.
  void Serve(size_t i, uint64_t run) noexcept;
  // A thread for i: the one it had (woken by Run) or a new one; false when none can be had.
  bool HasThread(size_t i) noexcept;

  std::mutex mutex_;
  std::condition_variable run_cv_;   // a Run began, or the threads are stopping
  std::condition_variable done_cv_;  // the current Run's last work returned
  // By work index (0, the caller's, unused). A slot is claimed under the lock (has_thread_) and
  // its thread started outside it, so the threads of a tree start in parallel.
  std::vector<std::thread> threads_;
  std::vector<bool> has_thread_;
  // The current Run: written only while no work runs, read by the threads it wakes.
  const std::function<void(size_t)>* work_ = nullptr;
  size_t count_ = 0;
  uint64_t run_ = 0;       // Runs so far
  size_t unfinished_ = 0;  // works of the current Run not yet returned
  bool stopping_ = false;
};

}  // namespace mapishut
