#include "mapishut/background_work.h"

namespace mapishut {

BackgroundWork::BackgroundWork() : worker_([this](std::stop_token s) { Run(s); }) {}

BackgroundWork::~BackgroundWork() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    nonessential_stopped_ = true;
    nonessential_stop_.request_stop();
  }
  cv_.notify_all();
  worker_.request_stop();
  // std::jthread joins here, after the worker ran the essential jobs still queued.
}

bool BackgroundWork::StartableLocked(JobKind kind) const {
  return !closing_ && !(kind == JobKind::kNonessential && nonessential_stopped_);
}

bool BackgroundWork::Schedule(std::string name, JobKind kind, Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!StartableLocked(kind)) return false;
    queue_.push_back(Queued{std::move(name), kind, std::move(job)});
  }
  cv_.notify_all();
  return true;
}

bool BackgroundWork::SchedulePeriodic(std::string name, std::chrono::milliseconds interval, Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!StartableLocked(JobKind::kNonessential)) return false;
    periodic_[std::move(name)] = Periodic{interval, std::move(job), std::chrono::steady_clock::now() + interval};
  }
  cv_.notify_all();
  return true;
}

bool BackgroundWork::TriggerPeriodicNow(const std::string& name) {
  {
    std::lock_guard lock(mutex_);
    auto it = periodic_.find(name);
    if (it == periodic_.end() || !StartableLocked(JobKind::kNonessential)) return false;
    queue_.push_back(Queued{name, JobKind::kNonessential, it->second.job});
  }
  cv_.notify_all();
  return true;
}

void BackgroundWork::StopNonessential() {
  {
    std::lock_guard lock(mutex_);
    nonessential_stopped_ = true;
    nonessential_stop_.request_stop();
    std::erase_if(queue_, [](const Queued& q) { return q.kind == JobKind::kNonessential; });
  }
  cv_.notify_all();
}

void BackgroundWork::WaitForNonessentialToStop() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return !running_nonessential_; });
}

void BackgroundWork::Drain() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

bool BackgroundWork::nonessential_stopped() const {
  std::lock_guard lock(mutex_);
  return nonessential_stopped_;
}

std::map<std::string, int> BackgroundWork::StartedCounts() const {
  std::lock_guard lock(mutex_);
  return started_;
}

void BackgroundWork::Run(std::stop_token worker_stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    // Periodic jobs that are due join the queue, unless nonessential work has stopped.
    const auto now = std::chrono::steady_clock::now();
    auto wake = now + std::chrono::hours(1);
    if (!nonessential_stopped_) {
      for (auto& [name, p] : periodic_) {
        if (p.next <= now) {
          queue_.push_back(Queued{name, JobKind::kNonessential, p.job});
          p.next = now + p.interval;
        }
        wake = std::min(wake, p.next);
      }
    }
    if (queue_.empty()) {
      if (worker_stop.stop_requested() || closing_) return;
      cv_.wait_until(lock, wake);
      continue;
    }
    Queued q = std::move(queue_.front());
    queue_.pop_front();
    if (!StartableLocked(q.kind) && q.kind == JobKind::kNonessential) continue;
    busy_ = true;
    running_nonessential_ = q.kind == JobKind::kNonessential;
    ++started_[q.name];
    const std::stop_token token = q.kind == JobKind::kNonessential ? nonessential_stop_.get_token() : std::stop_token{};
    lock.unlock();
    try {
      q.job(token);
    } catch (...) {
      // A job's failure is the job's to report; the worker keeps serving the others.
    }
    lock.lock();
    busy_ = false;
    running_nonessential_ = false;
    cv_.notify_all();
  }
}

}  // namespace mapishut
