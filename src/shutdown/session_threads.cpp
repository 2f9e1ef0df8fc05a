#include "session_threads.h"

namespace mapishut {

SessionThreads::~SessionThreads() { Stop(); }

void SessionThreads::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  run_cv_.notify_all();
  // No Run is under way, so nobody else touches the slots: joined without the lock.
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  std::lock_guard lock(mutex_);
  threads_.clear();
  has_thread_.clear();
  count_ = 0;
  stopping_ = false;
}

void SessionThreads::Run(size_t count, const std::function<void(size_t)>& work) {
  if (count == 0) return;
  {
    std::lock_guard lock(mutex_);
    // Room first: a resize that throws leaves the last Run's state as it was.
    if (threads_.size() < count) {
      threads_.resize(count);
      has_thread_.resize(count, false);
    }
    work_ = &work;
    count_ = count;
    unfinished_ = count;
    ++run_;
  }
  run_cv_.notify_all();  // the threads of earlier Runs
  Tell(0);
  std::unique_lock lock(mutex_);
  done_cv_.wait(lock, [&] { return unfinished_ == 0; });
  work_ = nullptr;
}

void SessionThreads::Tell(size_t i) noexcept {
  size_t without_thread[2];
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

bool SessionThreads::HasThread(size_t i) noexcept {
  uint64_t run;
  {
    std::lock_guard lock(mutex_);
    if (has_thread_[i]) return true;  // woken by Run
    has_thread_[i] = true;            // claimed: nobody else starts it
    run = run_;
  }
  try {
    std::thread started([this, i, run] { Serve(i, run); });
    std::lock_guard lock(mutex_);
    threads_[i] = std::move(started);  // the slot exists (Run made room): no allocation
    return true;
  } catch (...) {  // std::system_error: no thread to be had
    std::lock_guard lock(mutex_);
    has_thread_[i] = false;
    return false;
  }
}

void SessionThreads::Serve(size_t i, uint64_t run) noexcept {
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
