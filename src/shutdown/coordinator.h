// The fast-shutdown coordinator: the subsystem's side of IMAPIClientShutdown (SPEC.md, "The fast
// shutdown sequence" and "The edges of the contract"). It asks, notifies and tells every provider
// of every logged-on session in the documented order, combines their answers with the
// administrator's policy, enforces "no MAPI after DoFastShutdown", and keeps the record.
//
// It knows sessions only through a TargetSource, so the direction of calls stays
// client -> session -> coordinator -> providers.
//
// State. One machine, `phase_`:
//   kOpen     -- nothing decided yet (or asked again after a refusal): Query decides
//   kRefused  -- the last decision was no: Notify reaches nobody, Do answers MAPI_E_NO_SUPPORT
//   kAllowed  -- Query said S_OK for the sessions in covered_; newcomers are asked before anyone is told
//   kNotified -- providers were told; logons are refused from now on
//   kDoFailed -- Do ran and a provider could not save: the client must shut down normally
//   kEnded    -- Do succeeded: no call reaches a provider any more, for the life of the process
// Besides the phase, `running_` says which exclusive activity is under way (a phase's fan-out, a
// session's admission, a normal shutdown); every other caller waits for it (rule 2), in order of
// arrival.
//
// Locking. `mutex_` guards every member below it. It is never held while provider code runs:
// each activity marks itself running under the lock, unlocks, calls providers, and locks again to
// publish its result. The TargetSource is called unlocked (it takes the process's and sessions'
// own locks; lock order: coordinator, then process, then session, and never the other way).
#pragma once

#include <mapidefs.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <source_location>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "mapishut/com_ptr.h"
#include "mapishut/policy.h"
#include "mapishut/shutdown_record.h"
#include "provider_call.h"
#include "session_threads.h"

namespace mapishut {

// One provider object of one session, as the coordinator sees it.
struct ShutdownTarget {
  uint32_t session = 0;  // logon order of its session, from 1
  ProviderKind kind = ProviderKind::kStore;
  std::shared_ptr<const ProviderNames> names = NoProviderNames();  // never null
  // The IXPProvider / IABProvider / IMSProvider object. Not owned: valid while its session is
  // logged on, which holds for every activity because logoffs are exclusive with them.
  IUnknown* provider = nullptr;
  // Its logon object (IXPLogon / IABLogon / IMSLogon), same lifetime; asked why when a step
  // fails (GetLastError), so the client learns the provider's own reason. May be null.
  IUnknown* logon = nullptr;
};

// "Sample Store" (store provider [SampleStore Provider], /path/libsample_store.so)
std::string DescribeProvider(std::string_view display_name, ProviderKind kind, std::string_view section,
                             std::string_view library);
std::string DescribeProvider(const ProviderNames& names, ProviderKind kind);

class ShutdownCoordinator {
 public:
  // Returns every provider of every logged-on session (any order; the coordinator sorts).
  using TargetSource = std::function<std::vector<ShutdownTarget>()>;

  // When the targets can change. kAnyTime: the source is asked at every phase. kInsideActivities:
  // only inside AdmitSession and RunNormalShutdown (a process's sessions log on and off only
  // there), so a phase after neither reuses the last phase's targets and never asks the source
  // (which copies every target, and sorts them).
  enum class TargetChanges { kAnyTime, kInsideActivities };

  explicit ShutdownCoordinator(TargetSource targets, TargetChanges changes = TargetChanges::kAnyTime);
  ShutdownCoordinator(const ShutdownCoordinator&) = delete;
  ShutdownCoordinator& operator=(const ShutdownCoordinator&) = delete;

  // IMAPIClientShutdown, for all sessions of the process. Safe from any thread; notify and do
  // each fan out exactly once however many threads call. A provider calling them from inside
  // its own call is refused (MAPI_E_CALL_FAILED).
  HRESULT QueryFastShutdown();
  HRESULT NotifyProcessShutdown();
  HRESULT DoFastShutdown();

  // True once DoFastShutdown succeeded: from then on no MAPI call may reach a provider.
  bool ended() const;
  // False once providers were told the process is shutting down (MAPILogonEx then fails).
  bool accepts_logons() const;

  void SetPolicyReader(std::shared_ptr<const PolicyReader> reader);
  void SetClientDefault(std::optional<FastShutdownBehavior> behavior);
  void SetDeadline(std::optional<std::chrono::milliseconds> deadline);

  // Runs a whole logon (`logon`: loading its providers and making the session visible) as one
  // activity, so a logon is wholly before or wholly after each phase (rule 1), and returns what
  // it returned. MAPI_E_END_OF_SESSION without running it once providers were notified;
  // MAPI_E_CALL_FAILED from provider code inside this thread's own activity.
  HRESULT AdmitSession(const std::function<HRESULT()>& logon);
  // Runs a normal shutdown (`teardown`) while no other activity runs. MAPI_E_END_OF_SESSION
  // without running it once DoFastShutdown succeeded, also when that happened while waiting;
  // MAPI_E_CALL_FAILED from provider code inside this thread's own activity (such callers defer,
  // reentrancy.h).
  HRESULT RunNormalShutdown(const std::function<void()>& teardown);
  // A client call about to reach a provider (a gated object's method, a spooler round). S_OK:
  // go ahead, then LeaveClientCall. It waits while DoFastShutdown runs, and DoFastShutdown waits
  // for calls under way, so no call reaches a provider during or after its final save; after
  // the end MAPI_E_END_OF_SESSION, and MAPI_E_TIMEOUT for `provider` (may be null) while a call
  // to it abandoned at its deadline still runs (rule 4).
  HRESULT EnterClientCall(IUnknown* provider);
  void LeaveClientCall();

  // For the normal shutdown of one provider: its index in the record (added when the coordinator
  // never saw it), and the calls appended to it.
  size_t RecordIndexOf(const ShutdownTarget& target);
  void RecordNormalShutdownCall(size_t record_index, ProviderCallRecord call);
  // A line of the record's reports, published as one failure event (failure_channel.h).
  void Report(std::string text, std::string provider = {}, std::string step = {}, HRESULT hr = S_OK,
              std::source_location where = std::source_location::current());
  // True while a call to `provider` abandoned at its deadline is still running: it must get no
  // further call (no Logoff, Shutdown or Release) and its library must stay mapped.
  bool CallStillRunning(IUnknown* provider) const;
  // Drops every reference the coordinator holds to `provider` (released after unlocking); call
  // before the provider's last Release.
  void ForgetProvider(IUnknown* provider);

  // The record, with the late results of abandoned calls that have returned since.
  ShutdownRecord Record() const;
  // MAPI cycles, numbered by the process from 1: a cycle runs from the first MAPIInitialize to
  // the last MAPIUninitialize, and the record covers one, so that each exit's line holds its own
  // cycle and a process that cycles keeps nothing of the ones before. BeginCycle(n): cycle n
  // began (lock-free: the process calls it under its own lock, in the step that counted the
  // first MAPIInitialize). EndCycle(n): cycle n's normal shutdown has written its exit's line
  // (called inside that activity). The record starts again at the first activity after both, and
  // reads as empty from then. It is kept whole when providers were told the process is shutting
  // down (for good), or for that cycle when a call abandoned at its deadline still runs as it
  // begins (its late result has a place in the record).
  void BeginCycle(uint64_t cycle);
  void EndCycle(uint64_t cycle);
  // How many calls are waiting for a running activity to finish (lets tests line up a race).
  int waiting() const;

 private:
  // Marks this thread as running one of the coordinator's activities (the phase's own thread, or
  // a helper telling one session): provider code on it that calls back is refused, not queued.
  class ActivityThread {
   public:
    explicit ActivityThread(const ShutdownCoordinator* coordinator);
    ~ActivityThread();
    ActivityThread(const ActivityThread&) = delete;
    ActivityThread& operator=(const ActivityThread&) = delete;

   private:
    const ShutdownCoordinator* saved_;
  };
  // How one session's providers took a step: its first failure and who failed.
  struct GroupResult {
    HRESULT failure = S_OK;
    std::string culprit;
    std::string report;  // what the record says of the failure: the client's LastErrorMessage()
  };
  // Report() with mutex_ held.
  void AddReport(std::string text, std::string provider = {}, std::string step = {}, HRESULT hr = S_OK,
                 std::source_location where = std::source_location::current());
  enum class Phase { kOpen, kRefused, kAllowed, kNotified, kDoFailed, kEnded };
  enum class Activity { kNone, kQuery, kNotify, kDo, kAdmission, kNormalShutdown };

  // What the coordinator remembers about one provider across the steps.
  // Its names are in the record alone (shared with its session, moved there at first contact);
  // its description is made from them only when a report names it.
  struct Entry {
    uint32_t session = 0;
    ProviderKind kind = ProviderKind::kStore;
    IUnknown* provider = nullptr;  // as in ShutdownTarget
    IUnknown* logon = nullptr;
    const ShutdownCoordinator* coordinator = nullptr;  // names it from its record (NameOf)
    bool interface_asked = false;
    com_ptr<IMAPIProviderShutdown> shutdown;  // null: the provider lacks the interface
    std::shared_ptr<InFlightCall> in_flight;
    size_t record_index = 0;
  };
  // DescribeProvider of the entry's provider, from its record; call unlocked.
  std::string Describe(const Entry& e) const;
  // The entry's name for its calls' scopes, made (Describe) only when a report asks for it.
  static ProviderName NameOf(const Entry& e);
  // Where a call that overran its deadline sits in the record, to fill in its late result.
  struct Abandoned {
    std::shared_ptr<InFlightCall> call;
    size_t provider_index;
    size_t call_index;
  };
  // What an activity decided; published under the lock when it finishes.
  struct Outcome {
    HRESULT hr;
    Phase next;
  };
  using Step = HRESULT (IMAPIProviderShutdown::*)();

  HRESULT Refuse(const char* method, const std::string& provider);
  // Waits for the running activity to finish, in arrival order, and starts a new cycle's record if
  // it is due (every activity comes through here first); false (at once) when the running activity
  // is this thread's own.
  bool WaitIdle(std::unique_lock<std::mutex>& lock);
  void WaitForClientCalls();
  bool CallStillRunningLocked(IUnknown* provider) const;
  // Runs `activity` as the only one, unlocked; publishes its outcome. An exception fails the
  // call (MAPI_E_CALL_FAILED or MAPI_E_NOT_ENOUGH_MEMORY) and leaves the phase as it was.
  HRESULT Run(std::unique_lock<std::mutex>& lock, Activity activity, const std::function<Outcome()>& body);

  // Starts the new cycle's record if it is due (see BeginCycle); WaitIdle's, locked, with no
  // activity running, before the next one records anything.
  void StartCycleIfDue();
  // Whether a new cycle's record is due, and whether it may start (it is kept whole otherwise).
  bool NewCycleDue() const;
  bool RecordKeptWhole() const;
  Outcome Decide();  // QueryFastShutdown's activity
  // Asks the providers of sessions that arrived after the decision, in order; false (and the
  // record says why) when one of them does not allow fast shutdown.
  bool AdmitLateSessions(const std::vector<Entry*>& entries);
  // Asks each entry; true when the policy allows fast shutdown for all of them.
  bool Ask(const std::vector<Entry*>& entries, FastShutdownBehavior behavior);
  HRESULT FanOut(ShutdownStep step, Step method, const std::vector<Entry*>& entries);
  // Tells entries [begin, end) (one session) in turn.
  GroupResult TellGroup(ShutdownStep step, Step method, const std::vector<Entry*>& entries, size_t begin, size_t end,
                        std::optional<std::chrono::milliseconds> deadline);
  // One step of one provider (e.shutdown set), guarded, under `deadline`. The call starts at *at
  // and sets it to the call's end (GuardedCall: one clock read per call).
  ProviderCallRecord CallStep(ShutdownStep step, Step method, Entry& e, std::optional<std::chrono::milliseconds> deadline,
                              const AskWhy& why, CallStart* at);
  // Every provider now, sorted, with its entry: last_order_, which only Snapshot writes. Only
  // activities call it, each once, so the activity (and the threads it joins before it ends)
  // reads it unlocked until the activity ends.
  const std::vector<Entry*>& Snapshot();
  // Whether the provider answered QueryInterface(IID_IMAPIProviderShutdown): with the interface
  // (e.shutdown set), without it, or not at all (it overran the deadline and is asked again
  // next time; meanwhile it cannot be relied on).
  enum class InterfaceAnswer { kHas, kLacks, kUnanswered };
  // Under `deadline`, from *at. Without a deadline and with the interface, *at is left where it
  // was: the QueryInterface's time counts in the provider's call that follows. Otherwise *at is
  // set to its end (or to after its report).
  InterfaceAnswer AskForInterface(Entry& e, std::optional<std::chrono::milliseconds> deadline, CallStart* at);
  void AddCall(Entry& e, ProviderCallRecord&& call);
  // GuardedCall of the entry's provider, from *at, setting *at to the call's end (left as it was
  // for a Timing::kUntimed call, which took no time on the record). A call left
  // running at its deadline is tracked in a copy of the entry's tracker, set on the entry under
  // the lock: clients' threads read it (EnterClientCall) while the step runs. Call unlocked.
  template <typename Call>
  ProviderCallRecord GuardEntryCall(ShutdownStep step, Entry& e, Call&& call, std::optional<std::chrono::milliseconds> deadline,
                                    const AskWhy& why, CallStart* at, Timing timing = Timing::kTimed);
  size_t AddRecord(ShutdownTarget t);  // a new provider in the record; call locked
  std::string Misuse(const char* method) const;  // why a call out of sequence reaches nobody

  TargetSource targets_;
  const TargetChanges target_changes_;
  mutable std::mutex mutex_;
  std::condition_variable idle_cv_;
  Activity running_ = Activity::kNone;
  int client_calls_ = 0;            // EnterClientCall minus LeaveClientCall
  int waiting_ = 0;
  uint64_t next_ticket_ = 0;  // WaitIdle serves callers in arrival order
  uint64_t serving_ = 0;
  Phase phase_ = Phase::kOpen;

  std::shared_ptr<const PolicyReader> policy_reader_;
  std::optional<FastShutdownBehavior> client_default_;
  std::optional<std::chrono::milliseconds> deadline_;         // the client's (SetProviderCallDeadline)
  std::optional<std::chrono::milliseconds> policy_deadline_;  // ProviderCallTimeoutMs, read at QueryFastShutdown
  FastShutdownBehavior behavior_ = FastShutdownBehavior::kUnlessOptedOut;
  std::set<uint32_t> covered_;  // the sessions the last decision asked

  std::unordered_map<IUnknown*, Entry> entries_;  // nodes never move: the order points into them
  // The last Snapshot's order, reused while targets_may_have_changed_ is false (kInsideActivities).
  std::vector<Entry*> last_order_;
  bool targets_may_have_changed_ = true;  // an admission or normal shutdown ran since, or none completed
  std::chrono::steady_clock::time_point query_started_;  // the last QueryFastShutdown, for the exit's total time
  std::vector<Abandoned> abandoned_;
  ShutdownRecord record_;
  std::atomic<uint64_t> wanted_cycle_{1};  // the last cycle begun (BeginCycle, without the lock)
  uint64_t record_cycle_ = 1;              // the cycle record_ is of, or was decided for
  uint64_t ended_cycle_ = 0;               // the last cycle whose exit's line is written

  SessionThreads session_threads_;  // FanOut's, stopped by RunNormalShutdown; only activities use it
};

// ShutdownCoordinator::EnterClientCall for the guard's life: when hr() is S_OK the call may go
// ahead, and LeaveClientCall runs when the guard goes, on every path out.
class ClientCall {
 public:
  ClientCall(ShutdownCoordinator& coordinator, IUnknown* provider)
      : coordinator_(coordinator), hr_(coordinator.EnterClientCall(provider)) {}
  ~ClientCall() {
    if (SUCCEEDED(hr_)) coordinator_.LeaveClientCall();
  }
  ClientCall(const ClientCall&) = delete;
  ClientCall& operator=(const ClientCall&) = delete;
  HRESULT hr() const { return hr_; }

 private:
  ShutdownCoordinator& coordinator_;
  const HRESULT hr_;
};

}  // namespace mapishut
