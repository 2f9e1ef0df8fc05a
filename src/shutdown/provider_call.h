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

// A provider call that overran its deadline and was left running on its own thread. While it
// runs, the provider gets no further call; once it returns, its real result is known.
class InFlightCall {
 public:
  bool running() const;
  // The call's own record once it returned (its answer and its whole duration), else nullopt.
  std::optional<ProviderCallRecord> late_result() const;

 private:
  friend ProviderCallRecord GuardedCall(ShutdownStep, const std::string&, const std::function<HRESULT()>&,
                                        std::optional<std::chrono::milliseconds>, std::shared_ptr<InFlightCall>*);
  struct State;
  std::shared_ptr<State> state_;
};

// Calls `call` (one provider method) and records the outcome. With a deadline, the call runs on
// its own thread; when it overruns, that thread is abandoned (a hung provider cannot be stopped,
// only left behind) and *in_flight tracks it. While a call is tracked as running, GuardedCall
// does not call that provider again. The call runs inside a ProviderCallScope naming `provider`.
ProviderCallRecord GuardedCall(ShutdownStep step, const std::string& provider, const std::function<HRESULT()>& call,
                               std::optional<std::chrono::milliseconds> deadline,
                               std::shared_ptr<InFlightCall>* in_flight);

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
