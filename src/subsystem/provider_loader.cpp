#include "provider_loader.h"

#include <mapicode.h>
#include <mapiguid.h>
#include <mapix.h>

#include <algorithm>
#include <cstdio>

#include "../gate/gate.h"
#include "../shutdown/coordinator.h"
#include "../shutdown/provider_call.h"
#include "malloc_object.h"
#include "support_object.h"
#include "mapishut/result.h"
#include "mapishut/subsystem.h"

namespace mapishut {
namespace {

// A code a MAPI caller can act on: the provider's own failure code, or MAPI_E_CALL_FAILED when
// it threw or answered a success code other than S_OK.
HRESULT FailureCode(const ProviderCallRecord& call) { return FAILED(call.hr) ? call.hr : MAPI_E_CALL_FAILED; }

// Calls provider code while loading (`step`: its entry point or its logon): exceptions are
// caught, the code is kept.
ProviderCallRecord Guard(ShutdownStep step, const std::string& who, const std::function<HRESULT()>& call) {
  return GuardedCall(step, &who, call, std::nullopt, nullptr);
}

// Releases `ptr`'s reference; a provider's Release that throws is caught (and recorded in
// `calls` when given) instead of ending the process.
template <typename T>
void ReleaseGuarded(com_ptr<T>& ptr, const std::string& who, std::vector<ProviderCallRecord>* calls) {
  T* raw = ptr.detach();
  if (raw == nullptr) return;
  ProviderCallRecord r = GuardedCall(ShutdownStep::kRelease, &who, [raw] {
    raw->Release();
    return S_OK;
  }, std::nullopt, nullptr);
  if (calls && r.outcome != CallOutcome::kSucceeded) calls->push_back(std::move(r));
}

class Loader {
 public:
  // The configuration is the provider's from here on: held, never copied.
  Loader(const LoadContext& context, SharedProviderConfig config, LoadedProvider* out, std::string* error)
      : context_(context), config_(*(out->config = std::move(config))), out_(out), error_(error) {}

  HRESULT Load(std::unique_ptr<DynamicLibrary>* library) {
    const std::string dll_name(config_.dll_name());
    auto found = context_.found_libraries.find(dll_name);
    if (found == context_.found_libraries.end()) {
      std::string path;
      const Status s = FindProviderLibrary(context_.location, dll_name, &path);
      if (!s.ok()) return Fail(MAPI_E_NOT_FOUND, s.message());
      found = context_.found_libraries.emplace(dll_name, std::make_shared<const std::string>(std::move(path))).first;
    }
    library_path_ = found->second;
    Status s = CurrentLibraryLoader()->Open(*library_path_, library);
    if (!s.ok()) return Fail(MAPI_E_NOT_FOUND, s.message());
    out_->library = library->get();
    out_->names = MakeProviderNames(std::string(config_.display_name()), *library_path_, config_.section);
    void* entry = nullptr;
    s = (*library)->Symbol(DescribeKind(config_.kind).entry_point, &entry);
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
              config_.section + "] (" + context_.location.MapisvcPath() + ":" + std::to_string(config_.line) + "): " + why;
    return hr;
  }

  HRESULT Init(void* entry) {
    const ProviderKindInfo& kind = DescribeKind(config_.kind);
    ULONG provider_version = 0;
    HINSTANCE instance = reinterpret_cast<HINSTANCE>(out_->library->handle());
    const ProviderAllocators allocators{ProcessMalloc(), MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer};
    ProviderCallRecord call = Guard(ShutdownStep::kProviderInit, out_->Who(), [&] {
      return kind.init(entry, instance, allocators, &provider_version, out_->provider.put());
    });
    if (call.outcome != CallOutcome::kSucceeded) {
      return Fail(FailureCode(call), std::string(kind.entry_point) + " in " + out_->library_path() + " returned " +
                                         HexCode(call.hr) + (call.note.empty() ? "" : " (" + call.note + ")"));
    }
    if (!out_->provider) {
      return Fail(MAPI_E_CALL_FAILED, std::string(kind.entry_point) + " in " + out_->library_path() +
                                          " returned S_OK but handed back no provider object");
    }
    // The provider says which SPI it speaks; a different major version has a different vtable,
    // so only IUnknown may be called: it is released, never shut down.
    if ((provider_version >> 16) != (CURRENT_SPI_VERSION >> 16)) {
      ReleaseGuarded(out_->provider, out_->Who(), nullptr);
      return Fail(MAPI_E_VERSION, std::string(kind.entry_point) + " in " + out_->library_path() + " reports SPI version " +
                                      HexCode(static_cast<HRESULT>(provider_version)) + "; mapishut speaks " +
                                      HexCode(static_cast<HRESULT>(CURRENT_SPI_VERSION)));
    }
    return S_OK;
  }

  HRESULT Logon() {
    const ProviderKindInfo& kind = DescribeKind(config_.kind);
    SupportObjectOptions options;
    options.config = out_->config;
    options.library = library_path_;
    options.services = context_.support;
    out_->status = std::make_shared<ProviderStatus>();
    options.status = out_->status;
    options.allocate_buffer = MAPIAllocateBuffer;
    options.allocate_more = MAPIAllocateMore;
    options.free_buffer = MAPIFreeBuffer;
    HRESULT hr = CreateSupportObject(std::move(options), out_->support.put());
    if (FAILED(hr)) return Fail(hr, "could not create its support object");

    std::string profile = context_.profile_name;  // LPTSTR is not const in the SPI
    LPMAPIERROR mapi_error = nullptr;
    ProviderCallRecord call = Guard(ShutdownStep::kLogon, out_->Who(), [&] {
      return kind.logon(out_->provider.get(), out_->support.get(), profile.data(), MAPIFreeBuffer, &mapi_error,
                        out_->logon.put(), out_->msg_store.put());
    });
    std::string detail;
    if (mapi_error) {
      if (mapi_error->lpszError) detail = std::string(": ") + reinterpret_cast<const char*>(mapi_error->lpszError);
      MAPIFreeBuffer(mapi_error);
    }
    if (call.outcome != CallOutcome::kSucceeded) {
      return Fail(FailureCode(call), std::string(kind.logon_method) + " returned " + HexCode(call.hr) + detail +
                                         (call.note.empty() ? "" : " (" + call.note + ")"));
    }
    if (!out_->logon) return Fail(MAPI_E_CALL_FAILED, std::string(kind.logon_method) + " returned S_OK but handed back no logon object");
    // Clients get the gate's wrappers, never the provider's own store or address book objects
    // (SPEC.md rule 3). A transport's objects never reach a client: it has no gate.
    if (!out_->msg_store && config_.kind != ProviderKind::kAddressBook) return S_OK;
    out_->gate = std::make_shared<GateContext>(context_.coordinator, out_->provider.get(), out_->Who());
    const Gate gate = out_->gate;
    if (out_->msg_store) {
      HRESULT wrapped = GateObject(gate, IID_IMsgStore, com_ptr<IMsgStore>(out_->msg_store).detach(),
                                   out_->gated_store.put_as<void>());
      if (FAILED(wrapped)) return Fail(wrapped, "could not wrap its message store");
    }
    if (config_.kind == ProviderKind::kAddressBook) {
      // The logon is the kind's own interface pointer (loaded_provider.h): an IABLogon.
      HRESULT wrapped = GateAddressBookLogon(gate, static_cast<IABLogon*>(com_ptr<IUnknown>(out_->logon).detach()),
                                             out_->gated_ab_logon.put());
      if (FAILED(wrapped)) return Fail(wrapped, "could not wrap its logon object");
    }
    return S_OK;
  }

  const LoadContext& context_;
  const ProviderConfig& config_;
  std::shared_ptr<const std::string> library_path_;  // shared by the providers of one library
  LoadedProvider* out_;
  std::string* error_;
};

}  // namespace

std::shared_ptr<const SupportServices> MakeSupportServices(ShutdownCoordinator* coordinator,
                                                           std::function<HRESULT(ULONG, LPVOID)> spooler_notify) {
  auto services = std::make_shared<SupportServices>();
  services->ended = [coordinator] { return coordinator->ended(); };
  services->spooler_notify = std::move(spooler_notify);
  services->late_call = [coordinator](const std::string& who, const char* method) {
    coordinator->Report(who + " called " + method + " after DoFastShutdown: refused with MAPI_E_END_OF_SESSION (a provider " +
                            "must make no MAPI call after DoFastShutdown; stop its threads at NotifyProcessShutdown)",
                        who, kLateSupportCallStep, MAPI_E_END_OF_SESSION);
  };
  services->section_gate = std::make_shared<GateContext>(services->ended, "a profile section");
  return services;
}

HRESULT LoadProvider(const LoadContext& context, SharedProviderConfig config, std::unique_ptr<DynamicLibrary>* library,
                     LoadedProvider* out, std::string* error) {
  RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !config || !out || !library || !error);
  Loader loader(context, std::move(config), out, error);
  const HRESULT hr = loader.Load(library);
  if (FAILED(hr)) {
    loader.Unwind();
    *out = LoadedProvider{};
    library->reset();  // after every object of the library is gone (SQLite's loadext does the same)
  }
  return hr;
}

void ShutdownProvider(LoadedProvider& p, std::vector<ProviderCallRecord>* calls) {
  const std::string who = p.Who();
  auto record = [&](ShutdownStep step, const std::function<HRESULT()>& call) {
    ProviderCallRecord r = GuardedCall(step, &who, call, std::nullopt, nullptr);
    calls->push_back(std::move(r));
  };
  // The logon objects first: the provider's Shutdown comes after all of them are gone. Of those,
  // the session's own references to the gate's wrappers first: when the client holds none, the
  // provider's objects are released now, before its Logoff. What the client still holds is
  // closed, never released into a provider that is shut down (gate.h, GateContext::Close).
  p.gated_store.reset();
  p.gated_ab_logon.reset();
  if (p.gate) p.gate->Close();
  ReleaseGuarded(p.msg_store, who, calls);
  if (p.logon) {
    // A failed Logoff is asked why, so the record and the client get the provider's own reason.
    std::string why;
    record(ShutdownStep::kLogoff, [&] {
      const HRESULT hr = p.kind().logoff(p.logon.get());
      if (FAILED(hr)) why = LogonLastError(p.config->kind, p.logon.get(), hr);
      return hr;
    });
    if (!why.empty()) calls->back().note = why + (calls->back().note.empty() ? "" : "; " + calls->back().note);
  }
  ReleaseGuarded(p.logon, who, calls);
  if (p.provider) record(ShutdownStep::kShutdown, [&] { return p.kind().shutdown(p.provider.get()); });
  ReleaseGuarded(p.provider, who, calls);
  p.support.reset();
}

ShutdownLoss ShutdownProviders(std::vector<LoadedProvider>& providers, uint32_t session, ShutdownCoordinator& coordinator) {
  ShutdownLoss loss;
  SortForShutdown(providers, [](const LoadedProvider& p) { return p.config->kind; });
  for (auto& p : providers) {
    const ShutdownTarget target = p.Target(session);
    const size_t record = coordinator.RecordIndexOf(target);
    if (coordinator.CallStillRunning(target.provider)) {
      ProviderCallRecord skipped = SkippedCall(ShutdownStep::kShutdown, std::chrono::steady_clock::now());
      skipped.note = "not called, nor its Logoff or Release: a call abandoned at its deadline still runs; its library stays loaded";
      coordinator.RecordNormalShutdownCall(record, skipped);
      const std::string who = DescribeProvider(*target.names, target.kind);
      coordinator.Report("provider " + who + " got no normal shutdown: " + skipped.note, who, ShutdownStepName(skipped.step),
                         skipped.hr);
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
        const std::string who = DescribeProvider(*target.names, target.kind);
        const std::string what = "provider " + who + " " + FailedCallText(c);
        coordinator.Report(what, who, ShutdownStepName(c.step), c.hr);
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
