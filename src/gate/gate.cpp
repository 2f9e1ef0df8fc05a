#include "gate.h"

#include <mapicode.h>
#include <mapiguid.h>

#include "gated_prop.h"
#include "mapishut/result.h"

namespace mapishut {

namespace {
thread_local int t_gate_calls = 0;  // calls through a provider's gate this thread is inside
std::atomic<int> g_closes_waiting{0};
}  // namespace

GateCall::GateCall(const GateContext& gate) {
  if (gate.coordinator_ == nullptr) {
    if (gate.ended()) hr_ = MAPI_E_END_OF_SESSION;
    return;
  }
  {
    std::lock_guard lock(gate.mutex_);
    if (gate.closed_) {
      hr_ = MAPI_E_END_OF_SESSION;
      return;
    }
    ++gate.calls_;  // counted before it may reach the provider: Close waits for it
  }
  counted_ = &gate;
  ++t_gate_calls;
  call_.emplace(*gate.coordinator_, gate.provider_);
}

GateCall::~GateCall() {
  call_.reset();
  if (counted_ == nullptr) return;
  --t_gate_calls;
  std::lock_guard lock(counted_->mutex_);
  if (--counted_->calls_ == 0) counted_->idle_.notify_all();
}

void GateContext::Close(bool wait_for_calls) {
  std::unique_lock lock(mutex_);
  closed_ = true;
  if (!wait_for_calls || t_gate_calls > 0 || calls_ == 0) return;
  ++g_closes_waiting;
  idle_.wait(lock, [&] { return calls_ == 0; });
  --g_closes_waiting;
}

int GateClosesWaiting() { return g_closes_waiting.load(); }

bool GateContext::ended() const {
  if (closed_) return true;
  if (coordinator_ != nullptr) return coordinator_->ended();
  return ended_ && ended_();
}

HRESULT GateObject(const Gate& gate, REFIID riid, void* inner, void** out) {
  *out = nullptr;
  if (inner == nullptr) return MAPI_E_CALL_FAILED;
  try {
    if (riid == IID_IMsgStore) {
      *out = NewGatedMsgStore(gate, static_cast<IMsgStore*>(inner));
    } else if (riid == IID_IMAPIFolder) {
      *out = NewGatedFolder(gate, static_cast<IMAPIFolder*>(inner));
    } else if (riid == IID_IMessage) {
      *out = NewGatedMessage(gate, static_cast<IMessage*>(inner));
    } else if (riid == IID_IAttachment) {
      *out = NewGatedAttach(gate, static_cast<IAttach*>(inner));
    } else if (riid == IID_IMAPITable) {
      *out = NewGatedTable(gate, static_cast<IMAPITable*>(inner));
    } else if (riid == IID_IStream) {
      *out = NewGatedStream(gate, static_cast<IStream*>(inner));
    } else if (riid == IID_IABContainer) {
      *out = NewGatedABContainer(gate, static_cast<IABContainer*>(inner));
    } else if (riid == IID_IDistList) {
      *out = NewGatedDistList(gate, static_cast<IDistList*>(inner));
    } else if (riid == IID_IMailUser) {
      *out = NewGatedMailUser(gate, static_cast<IMailUser*>(inner));
    } else if (riid == IID_IMAPIProp || riid == IID_IProfSect) {
      // IProfSect has exactly IMAPIProp's methods, so the same wrapper serves both.
      *out = NewGatedProp(gate, static_cast<IMAPIProp*>(inner));
    }
  } catch (...) {
    static_cast<IUnknown*>(inner)->Release();
    return HresultFromCaughtException();
  }
  if (*out != nullptr) return S_OK;
  // Every interface above derives from IUnknown first, so `inner` is an IUnknown* whatever it is.
  ProviderCallScope scope(&gate->provider());
  static_cast<IUnknown*>(inner)->Release();
  return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

HRESULT GateEntry(const Gate& gate, LPCIID requested, ULONG object_type, IUnknown* inner, IUnknown** out) {
  if (requested != nullptr) {
    // Many providers open an entry whatever interface was asked for: the object is asked for it,
    // so that the wrapper is of the object's own interface (one of another would call the wrong
    // slots of the provider's object).
    *out = nullptr;
    void* asked = nullptr;
    bool released = false;
    const HRESULT hr = CallThroughGate(*gate, [&] {
      const HRESULT qi = inner->QueryInterface(*requested, &asked);
      released = true;
      inner->Release();
      return qi;
    });
    // Refused by the gate (the end, a closed provider), or the provider threw: the object is kept,
    // never released into the provider.
    if (!released) KeepUntilExit(inner);
    if (FAILED(hr) && asked != nullptr) KeepUntilExit(static_cast<IUnknown*>(asked));  // its Release threw
    if (hr == E_NOINTERFACE || (SUCCEEDED(hr) && asked == nullptr)) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (FAILED(hr)) return hr;
    return GateObject(gate, *requested, asked, reinterpret_cast<void**>(out));
  }
  const IID* iid = &IID_IMAPIProp;
  switch (object_type) {
    case MAPI_STORE: iid = &IID_IMsgStore; break;
    case MAPI_FOLDER: iid = &IID_IMAPIFolder; break;
    case MAPI_MESSAGE: iid = &IID_IMessage; break;
    case MAPI_ATTACH: iid = &IID_IAttachment; break;
    case MAPI_ABCONT: iid = &IID_IABContainer; break;
    case MAPI_DISTLIST: iid = &IID_IDistList; break;
    case MAPI_MAILUSER: iid = &IID_IMailUser; break;
    default: break;
  }
  return GateObject(gate, *iid, inner, reinterpret_cast<void**>(out));
}

}  // namespace mapishut
