#include "coordinator.h"

#include <mapicode.h>
#include <mapiguid.h>

#include <algorithm>
#include <span>
#include <thread>

#include "mapishut/policy_report.h"
#include "mapishut/result.h"
#include "mapishut/text.h"
#include "exit_log.h"
#include "failure_channel.h"
#include "kept_until_exit.h"

namespace mapishut {
namespace {

std::string BehaviorText(FastShutdownBehavior b) {
  return std::to_string(static_cast<uint32_t>(b)) + " (" + BehaviorName(b) + ")";
}

std::string PolicySourceText(const PolicyReading& reading) {
  std::string where = reading.file;
  if (reading.line > 0) where += ":" + std::to_string(reading.line);
  if (!reading.key.empty()) where += (where.empty() ? "" : " ") + std::string("(") + reading.key + ")";
  return where.empty() ? "policy" : Printable(where);  // a file name may hold escape sequences
}

std::string Milliseconds(std::chrono::nanoseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace

std::string DescribeProvider(std::string_view display_name, ProviderKind kind, std::string_view section,
                             std::string_view library) {
  const std::string_view kind_name = ProviderKindName(kind);
  std::string out;
  out.reserve(display_name.size() + kind_name.size() + section.size() + library.size() + 24);
  out.append("\"").append(display_name).append("\" (").append(kind_name).append(" provider [").append(section);
  out.append("], ").append(library).append(")");
  return out;
}

std::string DescribeProvider(const ProviderNames& names, ProviderKind kind) {
  return DescribeProvider(names.display_name, kind, names.section, names.library);
}

std::string ShutdownCoordinator::Describe(const Entry& e) const {
  std::lock_guard lock(mutex_);
  const ProviderRecord& r = record_.providers[e.record_index];
  return DescribeProvider(*r.names, r.kind);
}

ProviderName ShutdownCoordinator::NameOf(const Entry& e) {
  return ProviderName([](const void* entry) {
    const auto* named = static_cast<const Entry*>(entry);
    return named->coordinator->Describe(*named);
  }, &e);
}

template <typename Call>
ProviderCallRecord ShutdownCoordinator::GuardEntryCall(ShutdownStep step, Entry& e, Call&& call,
                                                       std::optional<std::chrono::milliseconds> deadline, const AskWhy& why,
                                                       CallStart* at, Timing timing) {
  // Nothing is left running without a deadline: the entry's tracker is only read. With one, a
  // copy is passed (only this activity's thread writes the entry's: read unlocked).
  std::shared_ptr<InFlightCall> tracker = deadline ? e.in_flight : nullptr;
  ProviderCallRecord r =
      GuardedCall(step, NameOf(e), std::forward<Call>(call), deadline, deadline ? &tracker : &e.in_flight, why, *at, timing);
  if (deadline && tracker != e.in_flight) {
    std::lock_guard lock(mutex_);
    e.in_flight = std::move(tracker);
  }
  *at = r.started + r.duration;
  return r;  // one variable on every path: the record is built in place, not moved on its way back
}

ShutdownCoordinator::ShutdownCoordinator(TargetSource targets, TargetChanges changes)
    : targets_(std::move(targets)),
      target_changes_(changes),
      policy_reader_(NewFixedPolicyReader(std::nullopt, "no policy source")) {}

void ShutdownCoordinator::SetPolicyReader(std::shared_ptr<const PolicyReader> reader) {
  std::lock_guard lock(mutex_);
  policy_reader_ = std::move(reader);
}

void ShutdownCoordinator::SetClientDefault(std::optional<FastShutdownBehavior> behavior) {
  std::lock_guard lock(mutex_);
  client_default_ = behavior;
}

void ShutdownCoordinator::SetDeadline(std::optional<std::chrono::milliseconds> deadline) {
  std::lock_guard lock(mutex_);
  deadline_ = deadline;
}

bool ShutdownCoordinator::ended() const {
  std::lock_guard lock(mutex_);
  return phase_ == Phase::kEnded;
}

bool ShutdownCoordinator::accepts_logons() const {
  std::lock_guard lock(mutex_);
  return phase_ != Phase::kNotified && phase_ != Phase::kDoFailed && phase_ != Phase::kEnded;
}

int ShutdownCoordinator::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

ShutdownRecord ShutdownCoordinator::Record() const {
  std::lock_guard lock(mutex_);
  if (NewCycleDue() && !RecordKeptWhole()) return ShutdownRecord{};  // the next activity starts it
  ShutdownRecord record = record_;
  for (const Abandoned& a : abandoned_) {
    std::optional<ProviderCallRecord> late = a.call->late_result();
    if (!late) continue;
    ProviderCallRecord& call = record.providers[a.provider_index].calls[a.call_index];
    call.note = call.note + "; returned " + HexCode(late->hr) + " after " + Milliseconds(late->duration) +
                (late->note.empty() ? "" : " (" + late->note + ")");
    call.hr = late->hr;
    call.duration = late->duration;
    call.thread_id = late->thread_id;
  }
  return record;
}

void ShutdownCoordinator::BeginCycle(uint64_t cycle) { wanted_cycle_.store(cycle); }

void ShutdownCoordinator::EndCycle(uint64_t cycle) {
  std::lock_guard lock(mutex_);
  ended_cycle_ = std::max(ended_cycle_, cycle);
}

bool ShutdownCoordinator::NewCycleDue() const {
  // A later cycle has begun and the record's own cycle has ended (its exit's line is written).
  return wanted_cycle_.load() > record_cycle_ && ended_cycle_ >= record_cycle_;
}

bool ShutdownCoordinator::RecordKeptWhole() const {
  if (phase_ == Phase::kNotified || phase_ == Phase::kDoFailed || phase_ == Phase::kEnded) return true;
  // The only providers still known after a cycle's end are those whose normal shutdown was
  // skipped because a call abandoned at its deadline still ran (ForgetProvider keeps them).
  for (const auto& [provider, e] : entries_) {
    if (e.in_flight && e.in_flight->running()) return true;
  }
  return false;
}

void ShutdownCoordinator::StartCycleIfDue() {
  if (!NewCycleDue()) return;
  // Decided once, for the cycle after the one that ended: no activity of it ran before. (A cycle
  // begun since, after that one ends, gets its own.)
  record_cycle_ = ended_cycle_ + 1;
  if (RecordKeptWhole()) return;
  // Providers whose abandoned call has returned are let go with no call into them (their library
  // may be closed by now): their references are kept until the exit.
  for (auto& [provider, e] : entries_) KeepUntilExit(e.shutdown.detach());
  entries_.clear();
  record_ = ShutdownRecord{};
  abandoned_.clear();
  covered_.clear();
  last_order_.clear();
  targets_may_have_changed_ = true;
  phase_ = Phase::kOpen;  // a decision of the cycle before covered sessions that are gone
}

void ShutdownCoordinator::Report(std::string text, std::string provider, std::string step, HRESULT hr,
                                 std::source_location where) {
  std::lock_guard lock(mutex_);
  AddReport(std::move(text), std::move(provider), std::move(step), hr, where);
}

void ShutdownCoordinator::AddReport(std::string text, std::string provider, std::string step, HRESULT hr,
                                    std::source_location where) {
  record_.reports.push_back(text);
  PublishFailure(FailureEvent{std::move(text), std::move(provider), std::move(step), {}, hr}, where);
}

HRESULT ShutdownCoordinator::Refuse(const char* method, const std::string& provider) {
  Report("provider " + provider + " called IMAPIClientShutdown::" + method +
         " from inside a provider call; refused with MAPI_E_CALL_FAILED (only clients call it)");
  return MAPI_E_CALL_FAILED;
}

namespace {
// The coordinator whose activity this thread runs (the phase's thread and its helper threads).
thread_local const ShutdownCoordinator* t_activity_of = nullptr;
}  // namespace

ShutdownCoordinator::ActivityThread::ActivityThread(const ShutdownCoordinator* c) : saved_(t_activity_of) { t_activity_of = c; }
ShutdownCoordinator::ActivityThread::~ActivityThread() { t_activity_of = saved_; }

bool ShutdownCoordinator::WaitIdle(std::unique_lock<std::mutex>& lock) {
  // Provider code running inside an activity on one of its own threads: waiting would never end.
  if (running_ != Activity::kNone && t_activity_of == this) return false;
  // First come, first served: a stream of Query calls cannot starve a logon or a logoff.
  const uint64_t ticket = next_ticket_++;
  ++waiting_;
  idle_cv_.wait(lock, [&] { return running_ == Activity::kNone && serving_ == ticket; });
  --waiting_;
  ++serving_;  // the caller keeps the lock until it has marked its activity running, or returned
  idle_cv_.notify_all();
  StartCycleIfDue();  // before the activity records anything
  return true;
}

HRESULT ShutdownCoordinator::Run(std::unique_lock<std::mutex>& lock, Activity activity,
                                 const std::function<Outcome()>& body) {
  running_ = activity;
  lock.unlock();
  std::optional<Outcome> outcome;
  HRESULT failure = S_OK;
  {
    const ActivityThread mark(this);
    try {
      outcome = body();
    } catch (...) {
      failure = HresultFromCaughtException();
    }
  }
  lock.lock();
  running_ = Activity::kNone;
  idle_cv_.notify_all();
  if (!outcome) {
    AddReport("the subsystem failed during a shutdown step (" + HexCode(failure) +
                              "); nothing changed, the client may ask again or shut down normally");
    return failure;
  }
  phase_ = outcome->next;
  return outcome->hr;
}

std::string ShutdownCoordinator::Misuse(const char* method) const {
  return std::string("client called ") + method + " although " +
         (record_.query_result ? "QueryFastShutdown did not allow fast shutdown" : "it never called QueryFastShutdown");
}

HRESULT ShutdownCoordinator::QueryFastShutdown() {
  if (const ProviderName* p = CurrentProviderCall()) return Refuse("QueryFastShutdown", p->Text());
  DeferralScope deferral;
  std::unique_lock lock(mutex_);
  if (!WaitIdle(lock)) return MAPI_E_CALL_FAILED;
  switch (phase_) {
    case Phase::kEnded: return MAPI_E_END_OF_SESSION;
    case Phase::kNotified:
    case Phase::kDoFailed: return *record_.query_result;  // providers were told; asking again means nothing
    case Phase::kOpen:
    case Phase::kRefused:
    case Phase::kAllowed: break;
  }
  query_started_ = std::chrono::steady_clock::now();
  const HRESULT hr = Run(lock, Activity::kQuery, [&] { return Decide(); });
  if (hr != S_OK) phase_ = Phase::kRefused;  // also when Decide threw after an earlier yes
  record_.query_result = hr;
  return hr;
}

HRESULT ShutdownCoordinator::NotifyProcessShutdown() {
  if (const ProviderName* p = CurrentProviderCall()) return Refuse("NotifyProcessShutdown", p->Text());
  DeferralScope deferral;
  std::unique_lock lock(mutex_);
  if (!WaitIdle(lock)) return MAPI_E_CALL_FAILED;
  switch (phase_) {
    case Phase::kNotified:
    case Phase::kDoFailed:
    case Phase::kEnded: return S_OK;  // one fan-out however many threads call; also after the end
    case Phase::kOpen:
    case Phase::kRefused:
      AddReport(Misuse("NotifyProcessShutdown") +
                                "; no provider was called (the client must shut down normally)");
      record_.notify_result = S_OK;
      return S_OK;
    case Phase::kAllowed: break;
  }
  const HRESULT hr = Run(lock, Activity::kNotify, [&]() -> Outcome {
    const std::vector<Entry*>& entries = Snapshot();
    if (!AdmitLateSessions(entries)) return {S_OK, Phase::kRefused};
    FanOut(ShutdownStep::kNotifyProcessShutdown, &IMAPIProviderShutdown::NotifyProcessShutdown, entries);
    return {S_OK, Phase::kNotified};  // S_OK once every provider was tried (SPEC.md step 4)
  });
  record_.notify_result = hr;
  return hr;
}

HRESULT ShutdownCoordinator::DoFastShutdown() {
  if (const ProviderName* p = CurrentProviderCall()) return Refuse("DoFastShutdown", p->Text());
  DeferralScope deferral;
  std::unique_lock lock(mutex_);
  if (!WaitIdle(lock)) return MAPI_E_CALL_FAILED;
  switch (phase_) {
    case Phase::kEnded:
    case Phase::kDoFailed: return *record_.do_result;
    case Phase::kOpen:
    case Phase::kRefused:
      AddReport(Misuse("DoFastShutdown") +
                                "; refused with MAPI_E_NO_SUPPORT and no provider was called (the client must shut down normally)");
      record_.do_result = MAPI_E_NO_SUPPORT;
      return MAPI_E_NO_SUPPORT;
    case Phase::kAllowed:
    case Phase::kNotified: break;
  }
  const bool notify_first = phase_ == Phase::kAllowed;
  if (notify_first) {
    AddReport("client called DoFastShutdown without NotifyProcessShutdown; providers were notified first");
  }
  const HRESULT hr = Run(lock, Activity::kDo, [&]() -> Outcome {
    WaitForClientCalls();  // none starts now (running_ is kDo); those under way finish first
    const std::vector<Entry*>& entries = Snapshot();
    if (!AdmitLateSessions(entries)) return {MAPI_E_NO_SUPPORT, Phase::kRefused};
    if (notify_first) FanOut(ShutdownStep::kNotifyProcessShutdown, &IMAPIProviderShutdown::NotifyProcessShutdown, entries);
    const HRESULT result = FanOut(ShutdownStep::kDoFastShutdown, &IMAPIProviderShutdown::DoFastShutdown, entries);
    // Only a fully successful fast shutdown closes the process to MAPI. When a provider could
    // not save, the client may still shut down normally and give that provider its Shutdown.
    return {result, result == S_OK ? Phase::kEnded : Phase::kDoFailed};
  });
  record_.do_result = hr;
  record_.ended = phase_ == Phase::kEnded;
  if (hr == S_OK) {
    // The durable record of this exit, before the client hears it may exit (no fsync: exit_log.h).
    // Written under the lock from the record itself (reports may still be added to it): no copy
    // of a record of thousands of providers. No provider code runs here.
    const Status s = AppendExitRecord(record_, "fast", std::chrono::steady_clock::now() - query_started_);
    if (!s.ok()) AddReport("the exit record was not written: " + s.message());
  }
  return hr;
}

HRESULT ShutdownCoordinator::AdmitSession(const std::function<HRESULT()>& logon) {
  DeferralScope deferral;
  std::unique_lock lock(mutex_);
  if (!WaitIdle(lock)) {
    AddReport("MAPILogonEx was called from inside a provider call of a running step; refused with MAPI_E_CALL_FAILED");
    return MAPI_E_CALL_FAILED;
  }
  if (phase_ == Phase::kNotified || phase_ == Phase::kDoFailed || phase_ == Phase::kEnded) return MAPI_E_END_OF_SESSION;
  const Phase unchanged = phase_;
  targets_may_have_changed_ = true;
  return Run(lock, Activity::kAdmission, [&]() -> Outcome { return {logon(), unchanged}; });
}

HRESULT ShutdownCoordinator::RunNormalShutdown(const std::function<void()>& teardown) {
  DeferralScope deferral;
  std::unique_lock lock(mutex_);
  if (!WaitIdle(lock)) {
    // Provider code inside this thread's activity; callers defer such requests (reentrancy.h).
    AddReport("a normal shutdown was asked from inside a provider call of a running step; refused with MAPI_E_CALL_FAILED");
    return MAPI_E_CALL_FAILED;
  }
  if (phase_ == Phase::kEnded) return MAPI_E_END_OF_SESSION;  // rule 2: the end came first
  const Phase unchanged = phase_;
  targets_may_have_changed_ = true;
  return Run(lock, Activity::kNormalShutdown, [&]() -> Outcome {
    // No phase runs now: the sessions' threads end here, before any provider library closes.
    session_threads_.Stop();
    teardown();
    return {S_OK, unchanged};
  });
}

ShutdownCoordinator::Outcome ShutdownCoordinator::Decide() {
  std::shared_ptr<const PolicyReader> reader;
  std::optional<FastShutdownBehavior> client_default;
  {
    std::lock_guard lock(mutex_);
    reader = policy_reader_;
    client_default = client_default_;
  }
  PolicyReading reading = reader->Read();
  FastShutdownBehavior behavior;
  std::string source;
  if (reading.value) {
    behavior = *reading.value;
    source = PolicySourceText(reading);
  } else if (client_default) {
    behavior = *client_default;
    source = "the client's declared default (no valid policy value set)";
  } else {
    behavior = FastShutdownBehavior::kUnlessOptedOut;
    source = "built-in default 0 (no policy value set and no client default declared)";
  }
  {
    std::lock_guard lock(mutex_);
    // The administrator's deadline for each provider call, over the client's (policy.h).
    policy_deadline_.reset();
    if (reading.provider_call_timeout_ms) policy_deadline_ = std::chrono::milliseconds(reading.provider_call_timeout_ms->value);
    behavior_ = behavior;
    record_.behavior = behavior;
    record_.behavior_source = source;
    // A value the reader had to pass over (the wrong type, outside 0..2) is the administrator's
    // mistake: a report, with where it was found, not only a line in `mapishut policy`.
    // Once each: a client asking again after a refusal reads the same files.
    for (const PolicyWarning& w : reading.warnings) {
      std::string text = "policy: " + FormatPolicyWarning(w);
      if (std::find(record_.reports.begin(), record_.reports.end(), text) == record_.reports.end()) AddReport(std::move(text));
    }
    record_.policy = std::move(reading);
  }
  if (behavior == FastShutdownBehavior::kDisabled) return {MAPI_E_NO_SUPPORT, Phase::kRefused};  // nobody is asked

  const std::vector<Entry*>& entries = Snapshot();
  const bool allowed = Ask(entries, behavior);
  std::lock_guard lock(mutex_);
  covered_.clear();
  for (const Entry* e : entries) {
    if (covered_.empty() || *covered_.rbegin() != e->session) covered_.insert(e->session);  // sorted by session
  }
  return allowed ? Outcome{S_OK, Phase::kAllowed} : Outcome{MAPI_E_NO_SUPPORT, Phase::kRefused};
}

bool ShutdownCoordinator::AdmitLateSessions(const std::vector<Entry*>& entries) {
  std::vector<Entry*> late;
  std::set<uint32_t> sessions;
  FastShutdownBehavior behavior;
  {
    std::lock_guard lock(mutex_);
    behavior = behavior_;
    // Sorted by session: one lookup per session, not per provider.
    std::optional<uint32_t> session;
    bool is_late = false;
    for (Entry* e : entries) {
      if (e->session != session) {
        session = e->session;
        is_late = covered_.count(*session) == 0;
        if (is_late) sessions.insert(*session);
      }
      if (is_late) late.push_back(e);
    }
  }
  if (late.empty()) return true;
  const bool allowed = Ask(late, behavior);
  std::string names;
  for (uint32_t s : sessions) names += (names.empty() ? "session " : ", session ") + std::to_string(s);
  std::lock_guard lock(mutex_);
  AddReport(
      names + " logged on after QueryFastShutdown answered; its providers were asked before anyone was told, and " +
      (allowed ? "allow fast shutdown" : "do not allow it: no provider was told and the client must shut down normally"));
  if (!allowed) {
    record_.query_result = MAPI_E_NO_SUPPORT;
    return false;
  }
  covered_.insert(sessions.begin(), sessions.end());
  return true;
}

bool ShutdownCoordinator::Ask(const std::vector<Entry*>& entries, FastShutdownBehavior behavior) {
  std::optional<std::chrono::milliseconds> deadline;
  {
    std::lock_guard lock(mutex_);
    deadline = policy_deadline_ ? policy_deadline_ : deadline_;
  }
  bool allowed = true;
  CallStart at = std::chrono::steady_clock::now();  // each call's end is the next one's start
  // Each provider that stands in the way is named in the record, and the first is what the
  // client's LastErrorMessage says: this runs on the client's thread.
  auto refused_by = [&](const Entry& e, const std::string& why) {
    const std::string report = "provider " + Describe(e) + " " + why + "; fast shutdown is not allowed";
    if (allowed) SetThreadLastError(report);
    allowed = false;
    Report(report);
    at = std::chrono::steady_clock::now();  // the report is not the next provider's time
  };
  for (Entry* e : entries) {
    if (AskForInterface(*e, deadline, &at) == InterfaceAnswer::kUnanswered) {
      refused_by(*e, "has not answered QueryInterface(IID_IMAPIProviderShutdown) within the deadline");
      continue;
    }
    if (!e->shutdown) {
      if (behavior == FastShutdownBehavior::kOnlyIfAllOptedIn) {
        refused_by(*e, "does not implement IMAPIProviderShutdown, and policy " + BehaviorText(behavior) +
                           " requires every provider to opt in");
      }
      continue;
    }
    ProviderCallRecord call =
        CallStep(ShutdownStep::kQueryFastShutdown, &IMAPIProviderShutdown::QueryFastShutdown, *e, deadline, {}, &at);
    const std::string why = call.outcome == CallOutcome::kSucceeded ? std::string() : FailedCallText(call);
    AddCall(*e, std::move(call));
    if (!why.empty()) refused_by(*e, why);
  }
  return allowed;
}

ShutdownCoordinator::InterfaceAnswer ShutdownCoordinator::AskForInterface(Entry& e, std::optional<std::chrono::milliseconds> deadline,
                                                                          CallStart* at) {
  if (e.interface_asked) return e.shutdown ? InterfaceAnswer::kHas : InterfaceAnswer::kLacks;
  // QueryInterface is provider code too: guarded, and under the deadline (rule 4). An abandoned
  // call keeps writing into its own slot, never into the entry.
  // Without a deadline the call returns before this function does: the answer goes straight
  // into a local, with no shared slot allocated per provider.
  com_ptr<IMAPIProviderShutdown> local;
  auto slot = deadline ? std::make_shared<com_ptr<IMAPIProviderShutdown>>() : nullptr;
  com_ptr<IMAPIProviderShutdown>* answer = slot ? slot.get() : &local;
  // Untimed without a deadline: with the interface, the step's call follows at once and its time
  // includes this one (both are the provider's); without it, the clock is read below. With a
  // deadline it runs timed on a thread of its own.
  ProviderCallRecord qi = GuardEntryCall(
      ShutdownStep::kQueryFastShutdown, e,
      [slot, answer, provider = e.provider] {
        return provider->QueryInterface(IID_IMAPIProviderShutdown, reinterpret_cast<void**>(answer->put()));
      },
      deadline, {}, at, Timing::kUntimed);
  if (qi.outcome == CallOutcome::kTimedOut || qi.outcome == CallOutcome::kSkipped) {
    qi.note = "QueryInterface(IID_IMAPIProviderShutdown) " + qi.note;
    AddCall(e, std::move(qi));
    return InterfaceAnswer::kUnanswered;  // interface_asked stays false: asked again next time
  }
  e.interface_asked = true;
  if (qi.outcome == CallOutcome::kThrew) {
    Report("provider " + Describe(e) + " QueryInterface(IID_IMAPIProviderShutdown) " + qi.note);
  } else if (qi.hr == S_OK && !*answer) {
    Report("provider " + Describe(e) +
           " answered QueryInterface(IID_IMAPIProviderShutdown) with S_OK but no object; treated as lacking the interface");
  } else if (SUCCEEDED(qi.hr)) {
    e.shutdown = std::move(*answer);
  }
  // No call follows: the QueryInterface's time (and a report's) is not the next provider's.
  if (!e.shutdown) *at = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  record_.providers[e.record_index].has_shutdown_interface = static_cast<bool>(e.shutdown);
  return e.shutdown ? InterfaceAnswer::kHas : InterfaceAnswer::kLacks;
}

HRESULT ShutdownCoordinator::FanOut(ShutdownStep step, Step method, const std::vector<Entry*>& entries) {
  std::optional<std::chrono::milliseconds> deadline;
  {
    std::lock_guard lock(mutex_);
    deadline = policy_deadline_ ? policy_deadline_ : deadline_;
  }
  // One group per session (Snapshot ordered them session by session); the sessions are told at
  // the same time, each in its own order, so S sessions whose providers take t each cost t, not
  // S x t (SessionThreads). The first session runs on this thread: one session starts no thread.
  std::vector<std::pair<size_t, size_t>> groups;  // [begin, end) in entries
  for (size_t i = 0; i < entries.size(); ++i) {
    if (groups.empty() || entries[i]->session != entries[groups.back().first]->session) groups.push_back({i, i});
    groups.back().second = i + 1;
  }
  std::vector<GroupResult> results(groups.size());
  std::vector<std::vector<std::function<void()>>> deferred(groups.size());
  // The subsystem failed telling session g (out of memory, say), not a provider: that session's
  // step failed. Call inside a catch block.
  auto subsystem_failed = [&](size_t g) {
    const std::string who = "the subsystem, telling session " + std::to_string(entries[groups[g].first]->session);
    results[g] = GroupResult{HresultFromCaughtException(), who, who + " failed"};
  };
  session_threads_.Run(groups.size(), [&](size_t g) {
    // Session 0 on this thread, inside the phase's own marks; every other on a thread of the pool
    // (or here, when none could be had), marked as the phase's for the time it tells its session.
    // Nothing may escape: the other sessions' threads are still at work on this frame's vectors.
    const ActivityThread mark(this);
    DeferralScope scope;
    try {
      results[g] = TellGroup(step, method, entries, groups[g].first, groups[g].second, deadline);
    } catch (...) {
      try {
        subsystem_failed(g);  // the other sessions are still told
      } catch (...) {
        results[g].failure = MAPI_E_NOT_ENOUGH_MEMORY;  // naming it failed too: no allocation here
      }
    }
    if (g != 0) deferred[g] = TakeDeferred();  // a swap: runs on this phase's thread, after the phase
  });
  for (auto& work : deferred) {
    for (auto& w : work) Defer(std::move(w));
  }
  // The step's answer and its culprit: the first failure in the shutdown order, as if told in turn.
  for (const GroupResult& r : results) {
    if (r.failure == S_OK) continue;
    if (step == ShutdownStep::kDoFastShutdown) {
      std::lock_guard lock(mutex_);
      record_.culprit = r.culprit;
    }
    SetThreadLastError(r.report);  // this is the client's thread: LastErrorMessage() says why
    return r.failure;
  }
  return S_OK;
}

ShutdownCoordinator::GroupResult ShutdownCoordinator::TellGroup(ShutdownStep step, Step method,
                                                                const std::vector<Entry*>& entries, size_t begin, size_t end,
                                                                std::optional<std::chrono::milliseconds> deadline) {
  GroupResult result;
  // A failed provider, its description and what the record says: `who` names it once for both.
  auto failed = [&](HRESULT hr, const std::string& who, const std::string& report) {
    if (result.failure != S_OK) return;
    result.failure = hr;
    result.culprit = who;
    result.report = report;
  };
  CallStart at = std::chrono::steady_clock::now();  // each call's end is the next one's start
  for (size_t i = begin; i < end; ++i) {
    Entry* e = entries[i];
    if (AskForInterface(*e, deadline, &at) == InterfaceAnswer::kUnanswered) {
      // It could not even be asked: it cannot have been told, so this step failed for it.
      const std::string who = Describe(*e);
      const std::string report = "provider " + who + " " + ShutdownStepName(step) +
                                 ": not told, its QueryInterface(IID_IMAPIProviderShutdown) has not returned";
      failed(MAPI_E_TIMEOUT, who, report);
      Report(report, who, ShutdownStepName(step), MAPI_E_TIMEOUT);
      at = std::chrono::steady_clock::now();  // the report is not the next provider's time
      continue;
    }
    if (!e->shutdown) continue;
    // The call holds its own reference: a call abandoned at its deadline keeps the object alive.
    // Never return out of this loop early: every provider must still be told.
    // A failure is asked its reason at once, inside the same guarded call: the provider's own
    // words (the file, the system's error) reach the record and the client.
    ProviderCallRecord call = CallStep(step, method, *e, deadline, AskWhy{e->kind, e->logon}, &at);
    const bool reported = call.outcome != CallOutcome::kSucceeded;
    if (reported) {
      // MAPI_E_TIMEOUT means an overrun only; a provider answering it itself simply failed.
      const bool overran = call.outcome == CallOutcome::kTimedOut || call.outcome == CallOutcome::kSkipped;
      const std::string who = Describe(*e);
      const std::string report = "provider " + who + " " + FailedCallText(call);
      failed(overran ? MAPI_E_TIMEOUT : MAPI_E_CALL_FAILED, who, report);
      Report(report, who, ShutdownStepName(step), call.hr);
    }
    AddCall(*e, std::move(call));
    // A report (the process's failure sink may take its time) is not the next provider's time.
    if (reported) at = std::chrono::steady_clock::now();
  }
  return result;
}

ProviderCallRecord ShutdownCoordinator::CallStep(ShutdownStep step, Step method, Entry& e,
                                                 std::optional<std::chrono::milliseconds> deadline, const AskWhy& why,
                                                 CallStart* at) {
  // With a deadline the call may be abandoned on its own thread: it holds its own reference,
  // which keeps the object alive. Without one it returns before the entry could go: a plain
  // pointer, no AddRef and Release around every call.
  if (deadline) return GuardEntryCall(step, e, [ps = e.shutdown, method] { return (ps.get()->*method)(); }, deadline, why, at);
  return GuardEntryCall(step, e, [ps = e.shutdown.get(), method] { return (ps->*method)(); }, deadline, why, at);
}

const std::vector<ShutdownCoordinator::Entry*>& ShutdownCoordinator::Snapshot() {
  {
    // Phases are exclusive with admissions and normal shutdowns: with none since the last
    // phase, its targets are still every target.
    std::lock_guard lock(mutex_);
    if (target_changes_ == TargetChanges::kInsideActivities && !targets_may_have_changed_) {
      return last_order_;
    }
  }
  std::vector<ShutdownTarget> targets = targets_();
  // Session by session; inside one, the shutdown order. Pointers are sorted, not the targets.
  std::vector<ShutdownTarget*> order;
  order.reserve(targets.size());
  for (auto& t : targets) order.push_back(&t);
  // Sessions come in logon order from the process already; sorting is then one linear pass.
  const auto by_session = [](const ShutdownTarget* a, const ShutdownTarget* b) { return a->session < b->session; };
  if (!std::is_sorted(order.begin(), order.end(), by_session)) std::stable_sort(order.begin(), order.end(), by_session);
  for (size_t begin = 0, end = 0; begin < order.size(); begin = end) {
    while (end < order.size() && order[end]->session == order[begin]->session) ++end;
    SortForShutdown(std::span<ShutdownTarget*>(order.data() + begin, end - begin), [](const ShutdownTarget* t) { return t->kind; });
  }
  std::lock_guard lock(mutex_);
  std::vector<Entry*> ordered;
  ordered.reserve(order.size());
  if (entries_.empty()) {
    // First contact: one allocation each. Later snapshots add a late session's few providers
    // and grow them geometrically (a reserve by what is added would reallocate every time).
    entries_.reserve(order.size());
    record_.providers.reserve(order.size());
  }
  for (ShutdownTarget* t : order) {
    // The entry lives in its map node (which never moves): one allocation per provider.
    auto [it, added] = entries_.try_emplace(t->provider);
    Entry& entry = it->second;
    if (added) {
      try {
        entry.session = t->session;
        entry.kind = t->kind;
        entry.provider = t->provider;
        entry.logon = t->logon;
        entry.coordinator = this;
        entry.record_index = AddRecord(std::move(*t));
      } catch (...) {
        entries_.erase(it);  // met again, whole, by the next snapshot
        throw;
      }
    }
    ordered.push_back(&entry);
  }
  last_order_ = std::move(ordered);
  // Only now: a snapshot that threw (out of memory, say) leaves the flag set, and the phase the
  // client tries again asks the source again instead of reusing an order without a newcomer.
  targets_may_have_changed_ = false;
  return last_order_;
}

void ShutdownCoordinator::AddCall(Entry& e, ProviderCallRecord&& call) {
  std::lock_guard lock(mutex_);
  auto& calls = record_.providers[e.record_index].calls;
  calls.push_back(std::move(call));
  if (calls.back().outcome == CallOutcome::kTimedOut) abandoned_.push_back({e.in_flight, e.record_index, calls.size() - 1});
}

size_t ShutdownCoordinator::RecordIndexOf(const ShutdownTarget& target) {
  std::lock_guard lock(mutex_);
  auto entry = entries_.find(target.provider);
  if (entry != entries_.end()) return entry->second.record_index;
  return AddRecord(target);
}

size_t ShutdownCoordinator::AddRecord(ShutdownTarget t) {
  ProviderRecord added{t.session, t.kind, std::move(t.names), false, {}};
  // Query, notify, do: one allocation, not three. (QueryInterface is on the record only when it
  // overran; a normal shutdown's calls grow it.) Made before the record grows: a throw adds nothing.
  added.calls.reserve(3);
  record_.providers.push_back(std::move(added));
  return record_.providers.size() - 1;
}

void ShutdownCoordinator::RecordNormalShutdownCall(size_t record_index, ProviderCallRecord call) {
  std::lock_guard lock(mutex_);
  record_.providers.at(record_index).calls.push_back(std::move(call));
}

bool ShutdownCoordinator::CallStillRunning(IUnknown* provider) const {
  std::lock_guard lock(mutex_);
  return CallStillRunningLocked(provider);
}

bool ShutdownCoordinator::CallStillRunningLocked(IUnknown* provider) const {
  auto entry = entries_.find(provider);
  return entry != entries_.end() && entry->second.in_flight && entry->second.in_flight->running();
}

namespace {
thread_local int t_client_call_depth = 0;  // client calls into providers this thread is inside
}  // namespace

HRESULT ShutdownCoordinator::EnterClientCall(IUnknown* provider) {
  std::unique_lock lock(mutex_);
  if (t_client_call_depth == 0) {
    // A nested call (a provider calling another gated object from inside one) never waits: the
    // DoFastShutdown that would be waited for is itself waiting for the outer call.
    ++waiting_;
    idle_cv_.wait(lock, [&] { return running_ != Activity::kDo; });
    --waiting_;
  }
  if (phase_ == Phase::kEnded) return MAPI_E_END_OF_SESSION;
  if (provider != nullptr && CallStillRunningLocked(provider)) return MAPI_E_TIMEOUT;  // rule 4: no further call
  ++client_calls_;
  ++t_client_call_depth;
  return S_OK;
}

void ShutdownCoordinator::LeaveClientCall() {
  std::lock_guard lock(mutex_);
  --t_client_call_depth;
  if (--client_calls_ == 0) idle_cv_.notify_all();
}

void ShutdownCoordinator::WaitForClientCalls() {
  std::unique_lock lock(mutex_);
  ++waiting_;
  idle_cv_.wait(lock, [&] { return client_calls_ == 0; });
  --waiting_;
}

void ShutdownCoordinator::ForgetProvider(IUnknown* provider) {
  std::optional<Entry> forgotten;
  {
    std::lock_guard lock(mutex_);
    auto entry = entries_.find(provider);
    if (entry == entries_.end()) return;
    // A provider whose abandoned call still runs keeps its entry: releasing its interface now
    // would be a call into it (rule 4).
    if (entry->second.in_flight && entry->second.in_flight->running()) return;
    forgotten = std::move(entry->second);
    entries_.erase(entry);
    targets_may_have_changed_ = true;  // last_order_ holds the entry: never reused after this
  }
  // `forgotten` releases its IMAPIProviderShutdown here, with no lock held.
}

}  // namespace mapishut
