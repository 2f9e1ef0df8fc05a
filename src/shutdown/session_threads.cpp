#include "session_threads.h"

namespace mapishut {

SessionThreads::~SessionThreads() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  run_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void SessionThreads::Run(size_t count, const std::function<void(size_t)>& work) {
  if (count == 0) return;
  {
    std::lock_guard lock(mutex_);
    work_ = &work;
    count_ = count;
    unfinished_ = count;
    ++run_;
    if (has_thread_.size() < count) has_thread_.resize(count, false);
  }
  run_cv_.notify_all();  // the threads of earlier Runs
  Tell(0);
  std::unique_lock lock(mutex_);
  done_cv_.wait(lock, [&] { return unfinished_ == 0; });
  work_ = nullptr;
}

void SessionThreads::Tell(size_t i) {
  size_t without_thread[2];  // no allocation: nothing here may throw on a thread of the pool
  size_t without = 0;
  for (size_t child : {2 * i + 1, 2 * i + 2}) {
    if (child < count_ && !HasThread(child)) without_thread[without++] = child;
  }
  (*work_)(i);
  {
    std::lock_guard lock(mutex_);
    if (--unfinished_ == 0) done_cv_.notify_all();
  }
  for (size_t k = 0; k < without; ++k) Tell(without_thread[k]);
}

bool SessionThreads::HasThread(size_t i) {
  std::lock_guard lock(mutex_);
  if (has_thread_[i]) return true;  // woken by Run
  try {
    threads_.emplace_back([this, i, run = run_] { Serve(i, run); });
  } catch (...) {  // std::system_error (no thread to be had) or std::bad_alloc
    return false;
  }
  has_thread_[i] = true;
  return true;
}

void SessionThreads::Serve(size_t i, uint64_t run) {
  while (true) {
    Tell(i);
    std::unique_lock lock(mutex_);
    // A later Run with fewer sessions does not reach i: it waits for the next.
    run_cv_.wait(lock, [&] { return stopping_ || (run_ > run && i < count_); });
    if (stopping_) return;
    run = run_;
  }
}

}  // namespace mapishut
