// Background work for providers, split the way fast shutdown needs it (SPEC.md, best practices):
// essential jobs save data to the primary store and always run; nonessential jobs (polling for
// mail, downloading address lists, compaction, indexing) stop being started the moment the
// process is told it is shutting down, and the ones running are asked to stop cooperatively.
//
//   mapishut::BackgroundWork work;
//   work.SchedulePeriodic("poll inbox", std::chrono::seconds(30), [&](std::stop_token stop) { Poll(stop); });
//   work.Schedule("flush", mapishut::JobKind::kEssential, [&](std::stop_token) { Flush(); });
//   ...
//   void OnNotifyProcessShutdown() override { work.StopNonessential(); }   // returns at once
//   HRESULT OnDoFastShutdown() override { work.WaitForNonessentialToStop(); return Save(); }
//   STDMETHODIMP Shutdown(ULONG*) override { work.Drain(); ... }
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace mapishut {

enum class JobKind { kEssential, kNonessential };

class BackgroundWork {
 public:
  using Job = std::function<void(std::stop_token)>;

  // One worker thread runs the jobs in order.
  BackgroundWork();
  // Stops everything: nonessential jobs are asked to stop, queued essential jobs still run.
  ~BackgroundWork();
  BackgroundWork(const BackgroundWork&) = delete;
  BackgroundWork& operator=(const BackgroundWork&) = delete;

  // Queues a one-off job. Returns false (and drops it) for a nonessential job after
  // StopNonessential, or for any job after the destructor began.
  bool Schedule(std::string name, JobKind kind, Job job);
  // Runs `job` as nonessential work every `interval`, first after one interval.
  bool SchedulePeriodic(std::string name, std::chrono::milliseconds interval, Job job);
  // Runs the periodic job called `name` now (tests, and a provider's own "sync now").
  bool TriggerPeriodicNow(const std::string& name);

  // From now on no nonessential job starts; the running one's stop_token is signalled. Returns
  // at once: notification must not make the client wait.
  void StopNonessential();
  // Blocks until no nonessential job is running (after StopNonessential, it will not restart).
  void WaitForNonessentialToStop();
  // Runs every queued job and waits for the queue to be empty (periodic jobs are not re-run).
  void Drain();

  bool nonessential_stopped() const;
  // Jobs started so far, by name (for tests and the shutdown record).
  std::map<std::string, int> StartedCounts() const;

 private:
  struct Queued {
    std::string name;
    JobKind kind;
    Job job;
  };
  struct Periodic {
    std::chrono::milliseconds interval;
    Job job;
    std::chrono::steady_clock::time_point next;
  };

  void Run(std::stop_token worker_stop);
  bool StartableLocked(JobKind kind) const;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Queued> queue_;
  std::map<std::string, Periodic> periodic_;
  std::map<std::string, int> started_;
  bool nonessential_stopped_ = false;
  bool closing_ = false;
  bool running_nonessential_ = false;
  bool busy_ = false;
  std::stop_source nonessential_stop_;
  std::jthread worker_;  // last: starts after everything above exists
};

}  // namespace mapishut
