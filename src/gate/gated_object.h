// The base of every wrapper of the gate (gate.h): one COM object around one provider object of
// interface `Interface`. It forwards while MAPI is open, answers MAPI_E_END_OF_SESSION after the
// end or once its provider was closed (its session logged off), and then its AddRef and Release
// only count (the provider is not released).
#pragma once

#include <mapicode.h>
#include <mapix.h>

#include <string>

#include <utility>

#include "../shutdown/failure_channel.h"
#include "../shutdown/kept_until_exit.h"
#include "../shutdown/reentrancy.h"
#include "gate.h"
#include "mapishut/com_object.h"
#include "mapishut/com_ptr.h"
#include "mapishut/result.h"

namespace mapishut {

// Runs `call` (provider code) as a client call through `gate` (GateCall): not during
// DoFastShutdown's final save, nor after the end or once the provider was closed (then the
// gate's answer, and `call` does not run). What the provider defers runs after the call left (it
// may wait for Do), and its exception never reaches the client's C code.
template <typename Call>
HRESULT CallThroughGate(const GateContext& gate, Call&& call) {
  DeferralScope deferral;
  const GateCall through(gate);
  RETURN_IF_FAILED_EXPECTED(through.hr());
  ProviderCallScope scope(&gate.provider());
  try {
    return call();
  } catch (...) {
    return HresultFromCaughtException();
  }
}

template <typename Derived, typename Interface>
class Gated : public ComObject<Derived, Interface> {
  using Base = ComObject<Derived, Interface>;

 public:
  // Adopts the reference the caller holds on `inner`.
  Gated(Gate gate, Interface* inner) : gate_(std::move(gate)), inner_(adopt(inner)) {}

  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppvObj) override {
    if (ppvObj == nullptr) return E_INVALIDARG;
    *ppvObj = nullptr;
    if (gate_->ended()) return MAPI_E_END_OF_SESSION;
    if (InterfaceChainContains<Interface>(riid)) return Base::QueryInterface(riid, ppvObj);
    void* other = nullptr;
    const HRESULT hr = Forward(&IUnknown::QueryInterface, riid, &other);
    if (FAILED(hr) || other == nullptr) return FAILED(hr) ? hr : E_NOINTERFACE;
    return GateObject(gate_, riid, other, ppvObj);
  }

 protected:
  ~Gated() override = default;

  // Calls `method` on the provider's object through the gate (CallThroughGate); a failure's
  // reason becomes the client's LastErrorMessage (TellWhy).
  template <typename Method, typename... Args>
  HRESULT Forward(Method method, Args&&... args) {
    return CallThroughGate(*gate_, [&] {
      const HRESULT hr = (inner_.get()->*method)(std::forward<Args>(args)...);
      if (FAILED(hr)) TellWhy(hr);
      return hr;
    });
  }
  // After a forwarded call that hands an object back in *out as `riid`: wraps it.
  HRESULT HandBack(HRESULT hr, REFIID riid, void** out) {
    if (FAILED(hr) || out == nullptr || *out == nullptr) return hr;
    void* inner = std::exchange(*out, nullptr);
    const HRESULT wrapped = GateObject(gate_, riid, inner, out);
    return FAILED(wrapped) ? wrapped : hr;
  }
  // After a forwarded call that hands back an object of the interface the client named
  // (`requested`, or `otherwise` when it named none): wraps it, as GateEntry does (the object is
  // asked for a named interface first: many providers hand back their object whatever was named).
  HRESULT HandBackAsked(HRESULT hr, LPCIID requested, REFIID otherwise, void** out) {
    if (requested == nullptr) return HandBack(hr, otherwise, out);
    return HandBackEntry(hr, requested, nullptr, reinterpret_cast<LPUNKNOWN FAR*>(out));
  }
  // After a forwarded OpenEntry: wraps what it opened, by the interface asked for or its type.
  HRESULT HandBackEntry(HRESULT hr, LPCIID requested, const ULONG FAR* object_type, LPUNKNOWN FAR* out) {
    if (FAILED(hr) || out == nullptr || *out == nullptr) return hr;
    IUnknown* inner = std::exchange(*out, nullptr);
    const HRESULT wrapped = GateEntry(gate_, requested, object_type ? *object_type : 0, inner, out);
    return FAILED(wrapped) ? wrapped : hr;
  }

 private:
  // A failed call's reason, asked of the object at once (its GetLastError, where its interface
  // has one), becomes the client's LastErrorMessage(): the file and the system's reason reach a
  // client that never calls GetLastError itself. A failure without a reason clears the last one.
  void TellWhy(HRESULT hr) {
    if constexpr (requires(Interface* i, LPMAPIERROR* e) { i->GetLastError(hr, 0UL, e); }) {
      LPMAPIERROR error = nullptr;
      std::string why;
      if (SUCCEEDED(inner_.get()->GetLastError(hr, 0, &error)) && error != nullptr) {
        if (error->lpszError != nullptr) why = reinterpret_cast<const char*>(error->lpszError);
        MAPIFreeBuffer(error);
      }
      SetThreadLastError(std::move(why));
    }
  }

  void OnFinalRelease() override {
    try {
      DeferralScope deferral;  // as in Forward
      {
        const GateCall call(*gate_);
        if (FAILED(call.hr())) {
          KeepUntilExit(inner_.detach());  // after the end nothing reaches a provider, its Release included
        } else {
          ProviderCallScope scope(&gate_->provider());
          IUnknown* inner = inner_.detach();
          try {
            inner->Release();
          } catch (...) {
            ReportFailure(HresultFromCaughtException(), "a provider's Release threw", __FILE__, __LINE__);
          }
        }
      }
      delete this;
    } catch (...) {
      ReportFailure(HresultFromCaughtException(), "releasing a gated object", __FILE__, __LINE__);
    }
  }

  Gate gate_;
  com_ptr<Interface> inner_;
};

}  // namespace mapishut
