// The fast-shutdown coordinator: the subsystem's side of IMAPIClientShutdown (SPEC.md, "The fast
// shutdown sequence"). It asks, notifies and tells every provider of every logged-on session in
// the documented order, combines their answers with the administrator's policy, enforces "no
// MAPI after DoFastShutdown", and keeps the record of what happened.
//
// It knows sessions only through a TargetSource, so the direction of calls stays
// client -> session -> coordinator -> providers.
#pragma once

#include <mapidefs.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mapishut/com_ptr.h"
#include "mapishut/policy.h"
#include "mapishut/shutdown_record.h"
#include "provider_call.h"

namespace mapishut {

// One provider object of one session, as the coordinator sees it.
struct ShutdownTarget {
  uint32_t session = 0;  // logon order of its session, from 1
  ProviderKind kind = ProviderKind::kStore;
  std::string display_name;
  std::string library;
  std::string section;
  com_ptr<IUnknown> provider;  // the IXPProvider / IABProvider / IMSProvider object
};

// "Sample Store" (store provider [SampleStore Provider], /path/libsample_store.so)
std::string DescribeProvider(const ShutdownTarget& t);

class ShutdownCoordinator {
 public:
  // Returns every provider of every logged-on session, in profile order within each session.
  using TargetSource = std::function<std::vector<ShutdownTarget>()>;

  explicit ShutdownCoordinator(TargetSource targets);
  ShutdownCoordinator(const ShutdownCoordinator&) = delete;
  ShutdownCoordinator& operator=(const ShutdownCoordinator&) = delete;

  // IMAPIClientShutdown, for all sessions of the process. Safe from any thread; notify and do
  // each fan out exactly once however many threads call.
  HRESULT QueryFastShutdown();
  HRESULT NotifyProcessShutdown();
  HRESULT DoFastShutdown();

  // True once DoFastShutdown succeeded: from then on no MAPI call may reach a provider.
  bool ended() const;

  void SetPolicyReader(std::shared_ptr<const PolicyReader> reader);
  void SetClientDefault(std::optional<FastShutdownBehavior> behavior);
  void SetDeadline(std::optional<std::chrono::milliseconds> deadline);

  // Runs a session's normal shutdown while no fan-out runs and none can start, so no provider is
  // torn down while it is being told to shut down fast. Refused (MAPI_E_CALL_FAILED) from inside
  // a provider call, where waiting would deadlock.
  HRESULT RunNormalShutdown(const std::function<void()>& teardown);
  // The index of `target`'s entry in the record (added when the coordinator never saw it), and
  // the normal-shutdown calls (Logoff, Shutdown) appended to it.
  size_t RecordIndexOf(const ShutdownTarget& target);
  void RecordNormalShutdownCall(size_t record_index, ProviderCallRecord call);
  // Drops every reference the coordinator holds to `provider`; call before releasing it.
  void ForgetProvider(IUnknown* provider);
  ShutdownRecord Record() const;
  // How many calls are waiting for a running phase to finish (lets tests line up a race).
  int waiting() const;

 private:
  // What the coordinator remembers about one provider across the three steps.
  struct Entry {
    IUnknown* identity = nullptr;
    ShutdownTarget target;
    bool interface_asked = false;
    com_ptr<IMAPIProviderShutdown> shutdown;  // null: the provider lacks the interface
    std::shared_ptr<InFlightCall> in_flight;
    size_t record_index = 0;
  };
  using Step = HRESULT (IMAPIProviderShutdown::*)();

  HRESULT Refuse(const char* method, const std::string& provider);
  // Runs `fan_out` as the only fan-out in progress; the lock is released while it runs.
  HRESULT Exclusive(std::unique_lock<std::mutex>& lock, const std::function<HRESULT()>& fan_out);
  HRESULT DecideQuery();
  HRESULT FanOut(ShutdownStep step, Step method);  // notify or do; returns the first culprit's code
  std::vector<Entry*> OrderedEntries();  // refreshes entries_ from the TargetSource
  ProviderRecord& RecordOf(const Entry& e);
  void AskForInterface(Entry& e);
  void Report(std::string text);

  TargetSource targets_;
  mutable std::mutex mutex_;
  std::condition_variable idle_cv_;
  bool fan_out_running_ = false;
  int waiting_ = 0;
  void WaitIdle(std::unique_lock<std::mutex>& lock);

  std::shared_ptr<const PolicyReader> policy_reader_;
  std::optional<FastShutdownBehavior> client_default_;
  std::optional<std::chrono::milliseconds> deadline_;

  bool allowed_ = false;  // the last QueryFastShutdown returned S_OK
  bool notified_ = false;
  bool done_ = false;
  bool ended_ = false;
  FastShutdownBehavior behavior_ = FastShutdownBehavior::kUnlessOptedOut;

  std::vector<std::unique_ptr<Entry>> entries_;
  ShutdownRecord record_;
};

}  // namespace mapishut
