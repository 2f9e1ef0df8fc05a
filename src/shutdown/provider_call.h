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

#include "mapishut/shutdown_record.h"

namespace mapishut {

// Tracks a provider whose call overran its deadline and is still running on an abandoned
// thread; the coordinator does not call that provider again until it returns.
class InFlightCall {
 public:
  bool running() const;

 private:
  friend ProviderCallRecord GuardedCall(ShutdownStep, const std::string&, const std::function<HRESULT()>&,
                                        std::optional<std::chrono::milliseconds>, std::shared_ptr<InFlightCall>*);
  struct State;
  std::shared_ptr<State> state_;
};

// Calls `call` (one provider method) and records the outcome. With a deadline, the call runs on
// its own thread; when it overruns, that thread is abandoned (a hung provider cannot be stopped,
// only left behind) and *in_flight tracks it. While `call` runs, the calling thread is marked as
// inside `provider` (see CurrentProviderCall). `in_flight` may be null when nothing tracks the provider.
ProviderCallRecord GuardedCall(ShutdownStep step, const std::string& provider, const std::function<HRESULT()>& call,
                               std::optional<std::chrono::milliseconds> deadline,
                               std::shared_ptr<InFlightCall>* in_flight);

// How many calls abandoned at their deadline are still running inside some provider. While any
// is, no provider library may be closed.
int AbandonedCallsRunning();

// The provider whose method this thread is running inside, or nullptr. The subsystem uses it to
// refuse re-entrant shutdown calls and name the provider that made them.
const std::string* CurrentProviderCall();

// True for the codes a shutdown method is documented to return: S_OK, MAPI_E_NO_SUPPORT and
// MAPI_E_CALL_FAILED.
bool IsDocumentedShutdownCode(HRESULT hr);

// A small stable number for the calling thread (1, 2, ...), for the record.
unsigned long ThreadNumber();

}  // namespace mapishut
