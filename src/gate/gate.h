// The gate: the one door between a client and any provider's objects (DESIGN.md "The gate",
// SPEC.md "The edges of the contract", rule 3). A client never holds a provider's message store,
// folder, message, attachment, table or stream, nor an address book's container, distribution
// list or mail user: it holds the subsystem's wrapper around it. A
// wrapper forwards every call while MAPI is open and answers MAPI_E_END_OF_SESSION once a fast
// shutdown has ended it or its provider's session logged off (Close), whatever provider is
// behind it; it wraps every object a forwarded call
// hands back. Provider code runs inside a ProviderCallScope, so a provider that calls back in
// from one of these calls is deferred like any other (reentrancy.h).
#pragma once

#include <mapidefs.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "../shutdown/coordinator.h"

namespace mapishut {

// What every wrapper of one provider shares.
class GateContext {
 public:
  // Wrappers a client holds: each call enters the coordinator (ShutdownCoordinator::
  // EnterClientCall), so none runs during or after DoFastShutdown's final save, nor while a call
  // to `provider` abandoned at its deadline still runs.
  GateContext(ShutdownCoordinator* coordinator, IUnknown* provider, std::string name)
      : coordinator_(coordinator), provider_(provider), name_(std::move(name)) {}
  // Objects of the subsystem's own that need only refuse after the end (`ended`): the stores
  // table, the profile sections handed to providers (a provider's thread must not wait for a
  // DoFastShutdown that may be waiting for that thread).
  GateContext(std::function<bool()> ended, std::string name) : ended_(std::move(ended)), name_(std::move(name)) {}

  // True after a fast shutdown ended MAPI, or once the provider was closed.
  bool ended() const;
  // The provider's session logs it off (its normal shutdown begins): every wrapper of it a
  // client still holds answers MAPI_E_END_OF_SESSION from now on, and its last Release keeps the
  // provider's object until the exit instead of releasing it (the provider is shut down, and its
  // library closed at MAPIUninitialize). Then waits for the calls through it already under way
  // inside the provider, as DoFastShutdown does, unless `wait_for_calls` is false (a provider
  // whose call was abandoned at its deadline: its normal shutdown must return promptly) or this
  // thread is itself inside a call through a gate (it would wait for itself).
  void Close(bool wait_for_calls = true);
  // Names the provider behind the wrappers, for reports about calls it makes back into MAPI.
  const std::string& provider() const { return name_; }

 private:
  ShutdownCoordinator* coordinator_ = nullptr;
  IUnknown* provider_ = nullptr;  // not owned; its identity for the coordinator
  std::function<bool()> ended_;
  std::string name_;
  std::atomic<bool> closed_{false};  // set under mutex_; read without it by ended()
  mutable std::mutex mutex_;
  mutable std::condition_variable idle_;
  mutable int calls_ = 0;  // GateCalls through it under way (wrappers a client holds only)
  friend class GateCall;
};

// How many Close calls are waiting for calls under way (lets tests line up a race).
int GateClosesWaiting();

// One call through a gate, for the guard's life: hr() is S_OK when it may go through now.
class GateCall {
 public:
  explicit GateCall(const GateContext& gate);
  ~GateCall();
  GateCall(const GateCall&) = delete;
  GateCall& operator=(const GateCall&) = delete;
  HRESULT hr() const { return call_ ? call_->hr() : hr_; }

 private:
  const GateContext* counted_ = nullptr;  // the gate whose calls_ this call is one of
  std::optional<ClientCall> call_;  // wrappers a client holds: counted by the coordinator
  HRESULT hr_ = S_OK;               // the subsystem's own objects: refused after the end only
};

using Gate = std::shared_ptr<const GateContext>;

// Wraps `inner`, an object whose interface is `riid`, adopting the reference the caller holds
// (it is released when it cannot be wrapped). On success *out is the wrapper, as `riid`.
// Interfaces the gate cannot wrap answer MAPI_E_INTERFACE_NOT_SUPPORTED: handing the provider's
// own object to the client would open a door the gate cannot close.
HRESULT GateObject(const Gate& gate, REFIID riid, void* inner, void** out);
// The same for an object opened by entry ID: by the interface asked for, else by its MAPI
// object type (MAPI_STORE, MAPI_FOLDER, MAPI_MESSAGE, MAPI_ATTACH, MAPI_ABCONT, MAPI_DISTLIST,
// MAPI_MAILUSER).
HRESULT GateEntry(const Gate& gate, LPCIID requested, ULONG object_type, IUnknown* inner, IUnknown** out);
// An address book provider's logon, for the session's IAddrBook alone (never handed to a client,
// and no client's QueryInterface can reach this wrapper). Adopts `inner`.
HRESULT GateAddressBookLogon(const Gate& gate, IABLogon* inner, IABLogon** out);

}  // namespace mapishut
