#include "coordinator.h"

#include <mapicode.h>
#include <mapiguid.h>

#include <algorithm>

namespace mapishut {
namespace {

// Inside a session the order is fixed: transports, then address books, then stores.
int KindRank(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::kTransport: return 0;
    case ProviderKind::kAddressBook: return 1;
    case ProviderKind::kStore: return 2;
  }
  return 3;
}

std::string BehaviorText(FastShutdownBehavior b) {
  return std::to_string(static_cast<uint32_t>(b)) + " (" + BehaviorName(b) + ")";
}

std::string PolicySourceText(const PolicyReading& reading) {
  std::string where = reading.file;
  if (reading.line > 0) where += ":" + std::to_string(reading.line);
  if (!reading.key.empty()) where += (where.empty() ? "" : " ") + std::string("(") + reading.key + ")";
  return where.empty() ? "policy" : where;
}

}  // namespace

std::string DescribeProvider(const ShutdownTarget& t) {
  return "\"" + t.display_name + "\" (" + ProviderKindName(t.kind) + " provider [" + t.section + "], " + t.library + ")";
}

ShutdownCoordinator::ShutdownCoordinator(TargetSource targets)
    : targets_(std::move(targets)), policy_reader_(NewFixedPolicyReader(std::nullopt, "no policy source")) {}

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
  return ended_;
}

ShutdownRecord ShutdownCoordinator::Record() const {
  std::lock_guard lock(mutex_);
  return record_;
}

void ShutdownCoordinator::Report(std::string text) {
  std::lock_guard lock(mutex_);
  record_.reports.push_back(std::move(text));
}

HRESULT ShutdownCoordinator::Refuse(const char* method, const std::string& provider) {
  Report("provider " + provider + " called IMAPIClientShutdown::" + method +
         " from inside a provider shutdown call; refused with MAPI_E_CALL_FAILED (only clients call it)");
  return MAPI_E_CALL_FAILED;
}

void ShutdownCoordinator::WaitIdle(std::unique_lock<std::mutex>& lock) {
  ++waiting_;
  idle_cv_.wait(lock, [&] { return !fan_out_running_; });
  --waiting_;
}

int ShutdownCoordinator::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

HRESULT ShutdownCoordinator::Exclusive(std::unique_lock<std::mutex>& lock, const std::function<HRESULT()>& fan_out) {
  fan_out_running_ = true;
  lock.unlock();
  const HRESULT hr = fan_out();
  lock.lock();
  fan_out_running_ = false;
  idle_cv_.notify_all();
  return hr;
}

HRESULT ShutdownCoordinator::QueryFastShutdown() {
  if (const std::string* p = CurrentProviderCall()) return Refuse("QueryFastShutdown", *p);
  std::unique_lock lock(mutex_);
  if (ended_) return MAPI_E_END_OF_SESSION;
  WaitIdle(lock);
  if (notified_ || done_) {
    // Providers were already told; asking them again would mean nothing. Answer as before.
    return *record_.query_result;
  }
  const HRESULT hr = Exclusive(lock, [&] { return DecideQuery(); });
  allowed_ = hr == S_OK;
  record_.query_result = hr;
  return hr;
}

HRESULT ShutdownCoordinator::NotifyProcessShutdown() {
  if (const std::string* p = CurrentProviderCall()) return Refuse("NotifyProcessShutdown", *p);
  std::unique_lock lock(mutex_);
  WaitIdle(lock);
  if (notified_) return S_OK;  // one fan-out however many threads call; also after the end
  if (!allowed_) {
    record_.reports.push_back(
        "client called NotifyProcessShutdown although " +
        std::string(record_.query_result ? "QueryFastShutdown did not allow fast shutdown"
                                         : "it never called QueryFastShutdown") +
        "; no provider was called (the client must shut down normally)");
    record_.notify_result = S_OK;
    return S_OK;
  }
  Exclusive(lock, [&] { return FanOut(ShutdownStep::kNotifyProcessShutdown, &IMAPIProviderShutdown::NotifyProcessShutdown); });
  notified_ = true;
  // The client method reports success once every provider was tried (SPEC.md step 4).
  record_.notify_result = S_OK;
  return S_OK;
}

HRESULT ShutdownCoordinator::DoFastShutdown() {
  if (const std::string* p = CurrentProviderCall()) return Refuse("DoFastShutdown", *p);
  std::unique_lock lock(mutex_);
  WaitIdle(lock);
  if (done_) return *record_.do_result;
  if (!allowed_) {
    record_.reports.push_back(
        "client called DoFastShutdown although " +
        std::string(record_.query_result ? "QueryFastShutdown did not allow fast shutdown"
                                         : "it never called QueryFastShutdown") +
        "; refused with MAPI_E_NO_SUPPORT and no provider was called (the client must shut down normally)");
    record_.do_result = MAPI_E_NO_SUPPORT;
    return MAPI_E_NO_SUPPORT;
  }
  const bool notify_first = !notified_;
  if (notify_first) {
    record_.reports.push_back(
        "client called DoFastShutdown without NotifyProcessShutdown; providers were notified first");
  }
  const HRESULT hr = Exclusive(lock, [&] {
    if (notify_first) FanOut(ShutdownStep::kNotifyProcessShutdown, &IMAPIProviderShutdown::NotifyProcessShutdown);
    return FanOut(ShutdownStep::kDoFastShutdown, &IMAPIProviderShutdown::DoFastShutdown);
  });
  notified_ = true;
  done_ = true;
  record_.do_result = hr;
  // Only a fully successful fast shutdown closes the process to MAPI. When a provider could not
  // save, the client may still shut down normally and give that provider its Shutdown call.
  ended_ = hr == S_OK;
  record_.ended = ended_;
  return hr;
}

std::vector<ShutdownCoordinator::Entry*> ShutdownCoordinator::OrderedEntries() {
  std::vector<ShutdownTarget> targets = targets_();
  std::stable_sort(targets.begin(), targets.end(), [](const ShutdownTarget& a, const ShutdownTarget& b) {
    if (a.session != b.session) return a.session < b.session;
    return KindRank(a.kind) < KindRank(b.kind);
  });
  std::lock_guard lock(mutex_);
  std::vector<Entry*> ordered;
  for (auto& t : targets) {
    IUnknown* identity = t.provider.get();
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e->identity == identity; });
    if (it == entries_.end()) {
      auto e = std::make_unique<Entry>();
      e->identity = identity;
      e->record_index = record_.providers.size();
      record_.providers.push_back(ProviderRecord{t.session, t.kind, t.display_name, t.library, t.section, false, {}});
      e->target = std::move(t);
      entries_.push_back(std::move(e));
      it = entries_.end() - 1;
    }
    ordered.push_back(it->get());
  }
  return ordered;
}

ProviderRecord& ShutdownCoordinator::RecordOf(const Entry& e) { return record_.providers[e.record_index]; }

void ShutdownCoordinator::AskForInterface(Entry& e) {
  if (e.interface_asked) return;
  e.interface_asked = true;
  // QueryInterface is provider code too: guard it like the shutdown methods.
  const ProviderCallRecord qi = GuardedCall(
      ShutdownStep::kQueryFastShutdown, DescribeProvider(e.target),
      [&] { return e.target.provider->QueryInterface(IID_IMAPIProviderShutdown, reinterpret_cast<void**>(e.shutdown.put())); },
      std::nullopt, &e.in_flight);
  if (qi.outcome == CallOutcome::kThrew) {
    e.shutdown.reset();
    Report("provider " + DescribeProvider(e.target) + " QueryInterface(IID_IMAPIProviderShutdown) " + qi.note);
  } else if (qi.hr == S_OK && !e.shutdown) {
    Report("provider " + DescribeProvider(e.target) +
           " answered QueryInterface(IID_IMAPIProviderShutdown) with S_OK but no object; treated as lacking the interface");
  } else if (FAILED(qi.hr)) {
    e.shutdown.reset();
  }
  std::lock_guard lock(mutex_);
  RecordOf(e).has_shutdown_interface = static_cast<bool>(e.shutdown);
}

HRESULT ShutdownCoordinator::DecideQuery() {
  std::shared_ptr<const PolicyReader> reader;
  std::optional<FastShutdownBehavior> client_default;
  std::optional<std::chrono::milliseconds> deadline;
  {
    std::lock_guard lock(mutex_);
    reader = policy_reader_;
    client_default = client_default_;
    deadline = deadline_;
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
    behavior_ = behavior;
    record_.behavior = behavior;
    record_.behavior_source = source;
    record_.policy = std::move(reading);
  }
  if (behavior == FastShutdownBehavior::kDisabled) return MAPI_E_NO_SUPPORT;  // nobody is asked

  bool blocked = false;
  for (Entry* e : OrderedEntries()) {
    AskForInterface(*e);
    if (!e->shutdown) {
      if (behavior == FastShutdownBehavior::kOnlyIfAllOptedIn) {
        blocked = true;
        Report("provider " + DescribeProvider(e->target) + " does not implement IMAPIProviderShutdown; policy " +
               BehaviorText(behavior) + " requires every provider to opt in");
      }
      continue;
    }
    ProviderCallRecord call = GuardedCall(ShutdownStep::kQueryFastShutdown, DescribeProvider(e->target),
                                          [ps = e->shutdown] { return ps->QueryFastShutdown(); }, deadline, &e->in_flight);
    if (call.outcome != CallOutcome::kSucceeded) blocked = true;
    std::lock_guard lock(mutex_);
    RecordOf(*e).calls.push_back(std::move(call));
  }
  return blocked ? MAPI_E_NO_SUPPORT : S_OK;
}

HRESULT ShutdownCoordinator::FanOut(ShutdownStep step, Step method) {
  std::optional<std::chrono::milliseconds> deadline;
  {
    std::lock_guard lock(mutex_);
    deadline = deadline_;
  }
  HRESULT first_failure = S_OK;
  for (Entry* e : OrderedEntries()) {
    AskForInterface(*e);
    if (!e->shutdown) continue;
    // The call holds its own reference: a call abandoned at its deadline keeps the object alive.
    // Never return out of this loop early: every provider must still be told.
    ProviderCallRecord call = GuardedCall(step, DescribeProvider(e->target), [ps = e->shutdown, method] { return (ps.get()->*method)(); },
                                          deadline, &e->in_flight);
    std::lock_guard lock(mutex_);
    if (call.outcome != CallOutcome::kSucceeded && first_failure == S_OK) {
      first_failure = call.hr == MAPI_E_TIMEOUT ? MAPI_E_TIMEOUT : MAPI_E_CALL_FAILED;
      if (step == ShutdownStep::kDoFastShutdown) record_.culprit = DescribeProvider(e->target);
    }
    if (call.outcome != CallOutcome::kSucceeded) {
      record_.reports.push_back("provider " + DescribeProvider(e->target) + " " + ShutdownStepName(step) + ": " +
                                CallOutcomeName(call.outcome) + (call.note.empty() ? "" : " (" + call.note + ")"));
    }
    RecordOf(*e).calls.push_back(std::move(call));
  }
  return first_failure;
}

HRESULT ShutdownCoordinator::RunNormalShutdown(const std::function<void()>& teardown) {
  if (const std::string* p = CurrentProviderCall()) {
    Report("provider " + *p + " tried to log off a session from inside a provider call; refused with MAPI_E_CALL_FAILED");
    return MAPI_E_CALL_FAILED;
  }
  std::unique_lock lock(mutex_);
  WaitIdle(lock);
  return Exclusive(lock, [&] {
    teardown();
    return S_OK;
  });
}

size_t ShutdownCoordinator::RecordIndexOf(const ShutdownTarget& target) {
  std::lock_guard lock(mutex_);
  auto entry = std::find_if(entries_.begin(), entries_.end(),
                            [&](const auto& e) { return e->identity == target.provider.get(); });
  if (entry != entries_.end()) return (*entry)->record_index;
  record_.providers.push_back(
      ProviderRecord{target.session, target.kind, target.display_name, target.library, target.section, false, {}});
  return record_.providers.size() - 1;
}

void ShutdownCoordinator::RecordNormalShutdownCall(size_t record_index, ProviderCallRecord call) {
  std::lock_guard lock(mutex_);
  record_.providers.at(record_index).calls.push_back(std::move(call));
}

void ShutdownCoordinator::ForgetProvider(IUnknown* provider) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [&](const auto& e) { return e->identity == provider; });
}

}  // namespace mapishut
