#include "process.h"

#include <mapicode.h>

#include <algorithm>

#include "../shutdown/exit_log.h"
#include "../shutdown/provider_call.h"
#include "../shutdown/reentrancy.h"
#include "mapishut/registry_policy.h"
#include "session.h"

namespace mapishut {
namespace {
}  // namespace

Process& Process::Get() {
  static Process* const instance = new Process();  // never destroyed, see the header
  return *instance;
}

std::shared_ptr<const PolicyReader> DefaultPolicyReader() { return NewDefaultPolicyReader(); }

// Sessions join the list only inside AdmitSession and leave it (or log off) only inside
// RunNormalShutdown: the coordinator asks for the targets again only after one of those.
Process::Process() : coordinator_([this] { return Targets(); }, ShutdownCoordinator::TargetChanges::kInsideActivities) {
  coordinator_.SetPolicyReader(DefaultPolicyReader());
}

HRESULT Process::Initialize() {
  if (ended()) return MAPI_E_END_OF_SESSION;
  std::lock_guard lock(mutex_);
  // A new cycle, recorded alone (ShutdownCoordinator::BeginCycle, which takes no lock): counted
  // here, in the same step as the count, so no logon of the new cycle comes before it.
  if (init_count_++ == 0) coordinator_.BeginCycle(++cycle_);
  return S_OK;
}

bool Process::initialized() const {
  std::lock_guard lock(mutex_);
  return init_count_ > 0;
}

void Process::Uninitialize() {
  if (ended()) return;  // after a fast shutdown MAPIUninitialize tears nothing down
  if (InsideDeferralScope()) {
    // From a provider's Shutdown or destructor: its library must not close under it (rule 5).
    Defer([this] { Uninitialize(); });
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (init_count_ == 0) return;
    if (init_count_ > 1) {
      --init_count_;  // not the last: nothing ends
      return;
    }
  }
  // Perhaps the last MAPIUninitialize: sessions the client did not log off get their normal
  // shutdown, and only then are the provider libraries closed. As one activity of the
  // coordinator, so it waits for a running phase and does nothing after a successful
  // DoFastShutdown (rule 2); while it runs, every session in the list is alive (a session leaves
  // it only in TearDown), and no logon runs. The count reaches zero only in there: a
  // MAPIInitialize from another thread while this one waited keeps the cycle going, and no logon
  // can join the list between the count's end and the teardown that takes the whole list.
  const auto start = std::chrono::steady_clock::now();
  // Not run (MAPI_E_END_OF_SESSION) after a fast shutdown, which recorded the exit itself: the
  // count then stays above zero, which nothing reads after the end (every entry point asks
  // ended() first).
  (void)coordinator_.RunNormalShutdown([this, start] {
    uint64_t ending;
    {
      std::lock_guard lock(mutex_);
      if (init_count_ == 0 || --init_count_ > 0) return;  // another MAPIInitialize came, or another last ran
      ending = cycle_;
    }
    // Whatever happens below, the cycle is over when this activity ends: the next one's record
    // starts at its first activity after it.
    struct EndCycle {
      ShutdownCoordinator& coordinator;
      uint64_t cycle;
      ~EndCycle() { coordinator.EndCycle(cycle); }
    } end_cycle{coordinator_, ending};
    std::vector<Session*> sessions;
    {
      std::lock_guard lock(mutex_);
      sessions = sessions_;
    }
    for (Session* s : sessions) s->TearDown();
    CloseLibraries();
    // The durable record of this exit (exit_log.h); a log that cannot be written costs nothing
    // else. Inside the activity, before the cycle ends: the next cycle's record never starts
    // before this line is written.
    (void)AppendExitRecord(coordinator_.Record(), "normal", std::chrono::steady_clock::now() - start);
  });
}

void Process::CloseLibraries() {
  std::vector<std::unique_ptr<DynamicLibrary>> libraries;
  {
    std::lock_guard lock(mutex_);
    libraries.swap(libraries_);
  }
  if (AbandonedCallsRunning() > 0) {
    // A provider call abandoned at its deadline still runs inside one of these libraries;
    // closing them would pull the code from under it. Keep them mapped for the process's life.
    static std::vector<std::unique_ptr<DynamicLibrary>>* kept = new std::vector<std::unique_ptr<DynamicLibrary>>();
    std::move(libraries.begin(), libraries.end(), std::back_inserter(*kept));
    return;
  }
  // Close in reverse load order, as the dynamic loader would.
  while (!libraries.empty()) libraries.pop_back();
}

uint32_t Process::NextSessionNumber() {
  std::lock_guard lock(mutex_);
  return next_session_++;
}

void Process::AddSession(Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.push_back(session);
}

void Process::RemoveSession(Session* session) {
  std::lock_guard lock(mutex_);
  std::erase(sessions_, session);
}

void Process::KeepLibrary(std::unique_ptr<DynamicLibrary> library) {
  std::lock_guard lock(mutex_);
  libraries_.push_back(std::move(library));
}

std::vector<ShutdownTarget> Process::Targets() {
  // Called by the coordinator inside its activities, when no session can leave the list.
  std::lock_guard lock(mutex_);
  std::vector<ShutdownTarget> targets;
  for (Session* s : sessions_) {
    auto more = s->Targets();  // the session's own lock; no provider code
    std::move(more.begin(), more.end(), std::back_inserter(targets));
  }
  return targets;
}


}  // namespace mapishut
