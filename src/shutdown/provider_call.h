// Calling into a provider without trusting it. A provider is foreign code behind a dlopen
// boundary: it may throw, answer with a code it is not documented to return, hang, or call back
// into the subsystem. GuardedCall turns each of those into a CallOutcome the coordinator can
// apply the policy to, and never lets one take the subsystem down.
#pragma once

#include <mapidefs.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mapishut/provider_kind.h"
#include "mapishut/shutdown_record.h"
#include "reentrancy.h"

namespace mapishut {

struct AskWhy;

// A provider call that overran its deadline and was left running on its own thread. While it
// runs, the provider gets no further call; once it returns, its real result is known.
class InFlightCall {
 public:
  bool running() const;
  // The call's own record once it returned (its answer and its whole duration), else nullopt.
  std::optional<ProviderCallRecord> late_result() const;

 private:
  friend ProviderCallRecord GuardedCallOnItsOwnThread(ShutdownStep, const ProviderName&, std::function<HRESULT()>,
                                                      std::chrono::milliseconds, std::shared_ptr<InFlightCall>*,
                                                      const AskWhy&, std::chrono::steady_clock::time_point);
  struct State;
  std::shared_ptr<State> state_;
};

// Whom a failed call asks why: the provider's logon object, through its kind's GetLastError. The
// answer heads the record's note. Empty (no logon): nobody is asked.
struct AskWhy {
  ProviderKind kind = ProviderKind::kStore;
  IUnknown* logon = nullptr;
};

// A callable by reference, for a call that finishes before GuardedCall returns: nothing is copied
// or allocated on the way to the provider.
class CallRef {
 public:
  template <typename F>
  CallRef(F& f)  // NOLINT: implicit by design; F may be const, and is called as such
      : object_(const_cast<void*>(static_cast<const void*>(&f))),
        invoke_([](void* o) -> HRESULT { return (*static_cast<F*>(o))(); }) {}
  HRESULT operator()() const { return invoke_(object_); }

 private:
  void* object_;
  HRESULT (*invoke_)(void*);
};

using CallStart = std::chrono::steady_clock::time_point;

// Whether a call made here reads the clock when it ends. kUntimed: its record says it took no
// time, and what it took counts in the next timed call made from the same start (the
// QueryInterface asked right before a provider's first step: a clock reading costs as much as
// the rest of a recorded call). A call on a thread of its own is always timed.
enum class Timing { kTimed, kUntimed };

// Runs `call` on this thread and classifies what came back (and, on failure, asks `why`). The
// call counts from `start`, the caller's last reading of the clock: see GuardedCall.
ProviderCallRecord RunClassified(ShutdownStep step, const ProviderName& provider, CallRef call, const AskWhy& why,
                                 CallStart start, Timing timing = Timing::kTimed);
// The same on a thread of its own, waiting at most `deadline`; see GuardedCall.
ProviderCallRecord GuardedCallOnItsOwnThread(ShutdownStep step, const ProviderName& provider, std::function<HRESULT()> call,
                                             std::chrono::milliseconds deadline, std::shared_ptr<InFlightCall>* in_flight,
                                             const AskWhy& why, CallStart start);
// The record of a call not made because an earlier one is still running: it took no time.
ProviderCallRecord SkippedCall(ShutdownStep step, CallStart start);
// "Logoff: failed (0x80004005: the provider's reason)": a call that did not succeed, as every
// report names it after its provider.
std::string FailedCallText(const ProviderCallRecord& call);

// Calls `call` (one provider method) and records the outcome. With a deadline, the call runs on
// its own thread, which owns a copy of `call`; when it overruns, that thread is abandoned (a hung
// provider cannot be stopped, only left behind) and *in_flight tracks it. While a call is tracked
// as running, GuardedCall does not call that provider again. Without a deadline the call runs
// here, by reference. The call runs inside a ProviderCallScope naming `provider`; a failure asks
// `why` inside it too, so the provider's own reason is under the same deadline.
// The record's `started` is `start`, and started + duration is when the call ended. A caller
// making calls one after another passes the last one's end as the next one's start: each call
// then reads the clock once, not twice (a reading costs about 27 ns on this project's machines,
// as much as the rest of a recorded call), and the little work between two calls is counted in
// the second.
template <typename Call>
ProviderCallRecord GuardedCall(ShutdownStep step, const ProviderName& provider, Call&& call,
                               std::optional<std::chrono::milliseconds> deadline, std::shared_ptr<InFlightCall>* in_flight,
                               const AskWhy& why = {}, CallStart start = std::chrono::steady_clock::now(),
                               Timing timing = Timing::kTimed) {
  if (in_flight && *in_flight && (*in_flight)->running()) return SkippedCall(step, start);
  if (!deadline) return RunClassified(step, provider, CallRef(call), why, start, timing);
  return GuardedCallOnItsOwnThread(step, provider, std::function<HRESULT()>(std::forward<Call>(call)), *deadline, in_flight,
                                   why, start);
}

// How many calls abandoned at their deadline are still running inside some provider. While any
// is, no provider library may be closed.
int AbandonedCallsRunning();

// True for the codes `step` may answer. The fast-shutdown methods: S_OK, MAPI_E_NO_SUPPORT and
// MAPI_E_CALL_FAILED as documented, and the saving failures of SPEC.md rule 7
// (MAPI_E_DISK_ERROR, MAPI_E_NOT_ENOUGH_DISK, MAPI_E_TOO_BIG). MAPI_E_TIMEOUT from the provider
// itself is not one: a timeout is the subsystem's verdict on an overrun (rule 4). Loading and
// the normal shutdown (entry point, logon, Logoff, Shutdown, Release): any failure code.
bool IsDocumentedAnswer(ShutdownStep step, HRESULT hr);

// What a provider's logon object says about its failure `hr` (its kind's GetLastError), or "" when
// the kind has none, the logon is null or it says nothing. Call it where the provider call itself
// runs (inside GuardedCall's `call`): it is provider code, under the same deadline.
std::string LogonLastError(ProviderKind kind, IUnknown* logon, HRESULT hr);

// A small stable number for the calling thread (1, 2, ...), for the record.
unsigned long ThreadNumber();

}  // namespace mapishut
