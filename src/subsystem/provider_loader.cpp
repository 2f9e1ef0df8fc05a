#include "provider_loader.h"

#include <mapicode.h>
#include <mapiguid.h>
#include <mapix.h>

#include <algorithm>
#include <cstdio>

#include "../gate/gate.h"
#include "../shutdown/provider_call.h"
#include "malloc_object.h"
#include "support_object.h"
#include "mapishut/result.h"

namespace mapishut {
namespace {

const char* EntryPointName(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::kTransport: return "XPProviderInit";
    case ProviderKind::kAddressBook: return "ABProviderInit";
    case ProviderKind::kStore: return "MSProviderInit";
  }
  return "";
}

// A code a MAPI caller can act on: the provider's own failure code, or MAPI_E_CALL_FAILED when
// it threw or answered a success code other than S_OK.
HRESULT FailureCode(const ProviderCallRecord& call) { return FAILED(call.hr) ? call.hr : MAPI_E_CALL_FAILED; }

// Calls provider code while loading (`step`: its entry point or its logon): exceptions are
// caught, the code is kept.
ProviderCallRecord Guard(ShutdownStep step, const std::string& who, const std::function<HRESULT()>& call) {
  return GuardedCall(step, who, call, std::nullopt, nullptr);
}

// Releases `ptr`'s reference; a provider's Release that throws is caught (and recorded in
// `calls` when given) instead of ending the process.
template <typename T>
void ReleaseGuarded(com_ptr<T>& ptr, const std::string& who, std::vector<ProviderCallRecord>* calls) {
  T* raw = ptr.detach();
  if (raw == nullptr) return;
  ProviderCallRecord r = GuardedCall(ShutdownStep::kRelease, who, [raw] {
    raw->Release();
    return S_OK;
  }, std::nullopt, nullptr);
  if (calls && r.outcome != CallOutcome::kSucceeded) calls->push_back(std::move(r));
}

class Loader {
 public:
  Loader(const LoadContext& context, const ProviderConfig& config, LoadedProvider* out, std::string* error)
      : context_(context), config_(config), out_(out), error_(error) {}

  HRESULT Load(std::unique_ptr<DynamicLibrary>* library) {
    out_->config = config_;
    Status s = FindProviderLibrary(context_.location, config_.dll_name, &out_->library_path);
    if (!s.ok()) return Fail(MAPI_E_NOT_FOUND, s.message());
    s = CurrentLibraryLoader()->Open(out_->library_path, library);
    if (!s.ok()) return Fail(MAPI_E_NOT_FOUND, s.message());
    out_->library = library->get();
    void* entry = nullptr;
    s = (*library)->Symbol(EntryPointName(config_.kind), &entry);
    if (!s.ok()) return Fail(MAPI_E_NOT_FOUND, s.message());

    const HRESULT hr = Init(entry);
    if (FAILED(hr)) return hr;
    return Logon();
  }

  // Undoes a partial load: Shutdown and Release what exists. The caller closes the library.
  void Unwind() {
    std::vector<ProviderCallRecord> ignored;
    ShutdownProvider(*out_, &ignored);
  }

 private:
  HRESULT Fail(HRESULT hr, const std::string& why) {
    *error_ = "profile '" + context_.profile_name + "': " + ProviderKindName(config_.kind) + " provider [" +
              config_.section + "] (" + config_.where + "): " + why;
    return hr;
  }

  std::string Who() const { return config_.display_name + " (" + out_->library_path + ")"; }

  HRESULT Init(void* entry) {
    ULONG provider_version = 0;
    const char* name = EntryPointName(config_.kind);
    HINSTANCE instance = reinterpret_cast<HINSTANCE>(out_->library->handle());
    ProviderCallRecord call = Guard(ShutdownStep::kProviderInit, Who(), [&]() -> HRESULT {
      switch (config_.kind) {
        case ProviderKind::kTransport:
          return reinterpret_cast<LPXPPROVIDERINIT>(entry)(instance, ProcessMalloc(), MAPIAllocateBuffer, MAPIAllocateMore,
                                                           MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &provider_version,
                                                           out_->transport.put());
        case ProviderKind::kAddressBook:
          return reinterpret_cast<LPABPROVIDERINIT>(entry)(instance, ProcessMalloc(), MAPIAllocateBuffer, MAPIAllocateMore,
                                                           MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &provider_version,
                                                           out_->address_book.put());
        case ProviderKind::kStore:
          return reinterpret_cast<LPMSPROVIDERINIT>(entry)(instance, ProcessMalloc(), MAPIAllocateBuffer, MAPIAllocateMore,
                                                           MAPIFreeBuffer, 0, CURRENT_SPI_VERSION, &provider_version,
                                                           out_->store.put());
      }
      return MAPI_E_INVALID_PARAMETER;
    });
    if (call.outcome != CallOutcome::kSucceeded) {
      return Fail(FailureCode(call), std::string(name) + " in " + out_->library_path + " returned " + HexCode(call.hr) +
                                         (call.note.empty() ? "" : " (" + call.note + ")"));
    }
    out_->provider = out_->transport ? com_ptr<IUnknown>(out_->transport.get())
                     : out_->address_book ? com_ptr<IUnknown>(out_->address_book.get())
                                          : com_ptr<IUnknown>(out_->store.get());
    if (!out_->provider) {
      return Fail(MAPI_E_CALL_FAILED, std::string(name) + " in " + out_->library_path +
                                          " returned S_OK but handed back no provider object");
    }
    // The provider says which SPI it speaks; a different major version has a different vtable,
    // so only IUnknown may be called: it is released, never shut down.
    if ((provider_version >> 16) != (CURRENT_SPI_VERSION >> 16)) {
      ReleaseGuarded(out_->provider, Who(), nullptr);
      ReleaseGuarded(out_->transport, Who(), nullptr);
      ReleaseGuarded(out_->address_book, Who(), nullptr);
      ReleaseGuarded(out_->store, Who(), nullptr);
      return Fail(MAPI_E_VERSION, std::string(name) + " in " + out_->library_path + " reports SPI version " +
                                      HexCode(static_cast<HRESULT>(provider_version)) + "; mapishut speaks " +
                                      HexCode(static_cast<HRESULT>(CURRENT_SPI_VERSION)));
    }
    return S_OK;
  }

  HRESULT Logon() {
    SupportObjectOptions options;
    options.properties = config_.properties;
    options.allocate_buffer = MAPIAllocateBuffer;
    options.allocate_more = MAPIAllocateMore;
    options.free_buffer = MAPIFreeBuffer;
    options.ended = [coordinator = context_.coordinator] { return coordinator->ended(); };
    options.spooler_notify = context_.spooler_notify;
    HRESULT hr = CreateSupportObject(std::move(options), out_->support.put());
    if (FAILED(hr)) return Fail(hr, "could not create its support object");

    std::string profile = context_.profile_name;  // LPTSTR is not const in the SPI
    LPMAPIERROR mapi_error = nullptr;
    const char* method = "";
    ProviderCallRecord call = Guard(ShutdownStep::kLogon, Who(), [&]() -> HRESULT {
      switch (config_.kind) {
        case ProviderKind::kTransport: {
          method = "IXPProvider::TransportLogon";
          ULONG flags = 0;
          return out_->transport->TransportLogon(out_->support.get(), 0, profile.data(), &flags, &mapi_error,
                                                 out_->transport_logon.put());
        }
        case ProviderKind::kAddressBook: {
          method = "IABProvider::Logon";
          ULONG cb_security = 0;
          LPBYTE security = nullptr;
          const HRESULT r = out_->address_book->Logon(out_->support.get(), 0, profile.data(), 0, &cb_security, &security,
                                                      &mapi_error, out_->address_book_logon.put());
          if (security) MAPIFreeBuffer(security);
          return r;
        }
        case ProviderKind::kStore: {
          method = "IMSProvider::Logon";
          ULONG cb_spool = 0;
          LPBYTE spool = nullptr;
          const HRESULT r = out_->store->Logon(out_->support.get(), 0, profile.data(), 0, nullptr, MAPI_BEST_ACCESS,
                                               nullptr, &cb_spool, &spool, &mapi_error, out_->store_logon.put(),
                                               out_->msg_store.put());
          if (spool) MAPIFreeBuffer(spool);
          return r;
        }
      }
      return MAPI_E_INVALID_PARAMETER;
    });
    std::string detail;
    if (mapi_error) {
      if (mapi_error->lpszError) detail = std::string(": ") + reinterpret_cast<const char*>(mapi_error->lpszError);
      MAPIFreeBuffer(mapi_error);
    }
    if (call.outcome != CallOutcome::kSucceeded) {
      return Fail(FailureCode(call), std::string(method) + " returned " + HexCode(call.hr) + detail +
                                         (call.note.empty() ? "" : " (" + call.note + ")"));
    }
    const bool has_logon = out_->transport_logon || out_->address_book_logon || out_->store_logon;
    if (!has_logon) return Fail(MAPI_E_CALL_FAILED, std::string(method) + " returned S_OK but handed back no logon object");
    if (out_->msg_store) {
      // Clients get the gate's wrapper, never the provider's own store (SPEC.md rule 3).
      const Gate gate = std::make_shared<GateContext>(context_.coordinator, out_->provider.get(), Who());
      HRESULT wrapped = GateObject(gate, IID_IMsgStore, com_ptr<IMsgStore>(out_->msg_store).detach(),
                                   out_->gated_store.put_as<void>());
      if (FAILED(wrapped)) return Fail(wrapped, "could not wrap its message store");
    }
    return S_OK;
  }

  const LoadContext& context_;
  const ProviderConfig& config_;
  LoadedProvider* out_;
  std::string* error_;
};

}  // namespace

HRESULT LoadProvider(const LoadContext& context, const ProviderConfig& config,
                     std::unique_ptr<DynamicLibrary>* library, LoadedProvider* out, std::string* error) {
  Loader loader(context, config, out, error);
  const HRESULT hr = loader.Load(library);
  if (FAILED(hr)) {
    loader.Unwind();
    *out = LoadedProvider{};
    library->reset();  // after every object of the library is gone (SQLite's loadext does the same)
  }
  return hr;
}

// What a logon object says about its last failure (IMSLogon/IABLogon::GetLastError), or "".
template <typename Logon>
std::string LastErrorText(Logon* logon, HRESULT hr) {
  LPMAPIERROR error = nullptr;
  std::string text;
  if (SUCCEEDED(logon->GetLastError(hr, 0, &error)) && error != nullptr) {
    if (error->lpszError) text = reinterpret_cast<const char*>(error->lpszError);
    MAPIFreeBuffer(error);
  }
  return text;
}

void ShutdownProvider(LoadedProvider& p, std::vector<ProviderCallRecord>* calls) {
  const std::string who = p.config.display_name + " (" + p.library_path + ")";
  auto record = [&](ShutdownStep step, const std::function<HRESULT()>& call) {
    ProviderCallRecord r = GuardedCall(step, who, call, std::nullopt, nullptr);
    calls->push_back(std::move(r));
  };
  // A failed Logoff is asked why, so the record and the client get the provider's own reason.
  auto explain = [&](const std::string& why) {
    if (!why.empty()) calls->back().note = why + (calls->back().note.empty() ? "" : "; " + calls->back().note);
  };
  // The logon objects first: the provider's Shutdown comes after all of them are gone.
  p.gated_store.reset();
  ReleaseGuarded(p.msg_store, who, calls);
  if (p.transport_logon) record(ShutdownStep::kLogoff, [&] { return p.transport_logon->TransportLogoff(0); });
  if (p.address_book_logon) {
    std::string why;
    record(ShutdownStep::kLogoff, [&] {
      const HRESULT hr = p.address_book_logon->Logoff(0);
      if (FAILED(hr)) why = LastErrorText(p.address_book_logon.get(), hr);
      return hr;
    });
    explain(why);
  }
  if (p.store_logon) {
    std::string why;
    record(ShutdownStep::kLogoff, [&] {
      ULONG flags = 0;
      const HRESULT hr = p.store_logon->Logoff(&flags);
      if (FAILED(hr)) why = LastErrorText(p.store_logon.get(), hr);
      return hr;
    });
    explain(why);
  }
  ReleaseGuarded(p.transport_logon, who, calls);
  ReleaseGuarded(p.address_book_logon, who, calls);
  ReleaseGuarded(p.store_logon, who, calls);
  if (p.provider) {
    record(ShutdownStep::kShutdown, [&] {
      ULONG flags = 0;
      if (p.transport) return p.transport->Shutdown(&flags);
      if (p.address_book) return p.address_book->Shutdown(&flags);
      return p.store->Shutdown(&flags);
    });
  }
  ReleaseGuarded(p.transport, who, calls);
  ReleaseGuarded(p.address_book, who, calls);
  ReleaseGuarded(p.store, who, calls);
  ReleaseGuarded(p.provider, who, calls);
  p.support.reset();
}

ShutdownLoss ShutdownProviders(std::vector<LoadedProvider>& providers, uint32_t session, ShutdownCoordinator& coordinator) {
  ShutdownLoss loss;
  std::stable_sort(providers.begin(), providers.end(), [](const LoadedProvider& a, const LoadedProvider& b) {
    return ShutdownRank(a.config.kind) < ShutdownRank(b.config.kind);
  });
  for (auto& p : providers) {
    const ShutdownTarget target = p.Target(session);
    const size_t record = coordinator.RecordIndexOf(target);
    if (coordinator.CallStillRunning(target.provider)) {
      ProviderCallRecord skipped;
      skipped.step = ShutdownStep::kShutdown;
      skipped.hr = MAPI_E_TIMEOUT;
      skipped.outcome = CallOutcome::kSkipped;
      skipped.note = "not called, nor its Logoff or Release: a call abandoned at its deadline still runs; its library stays loaded";
      coordinator.RecordNormalShutdownCall(record, skipped);
      coordinator.Report("provider " + DescribeProvider(target) + " got no normal shutdown: " + skipped.note);
      p.Abandon();
      continue;
    }
    // The coordinator lets go of the provider first, so the Release below is the last one.
    coordinator.ForgetProvider(target.provider);
    std::vector<ProviderCallRecord> calls;
    ShutdownProvider(p, &calls);
    for (auto& c : calls) {
      if (c.outcome != CallOutcome::kSucceeded) {
        // A provider that could not log off or shut down may not have saved what it accepted.
        const std::string what = "provider " + DescribeProvider(target) + " " + ShutdownStepName(c.step) + " " +
                                 CallOutcomeName(c.outcome) + " (" + HexCode(c.hr) + (c.note.empty() ? "" : ": " + c.note) + ")";
        coordinator.Report(what);
        if (loss.hr == S_OK && c.step != ShutdownStep::kRelease) {
          loss.hr = FAILED(c.hr) ? c.hr : MAPI_E_CALL_FAILED;
          loss.what = what;
        }
      }
      coordinator.RecordNormalShutdownCall(record, std::move(c));
    }
  }
  return loss;
}

}  // namespace mapishut
