// The exported entry points: Microsoft's (MAPIInitialize, MAPILogonEx, MAPIUninitialize) and
// mapishut's own knobs (mapishut/subsystem.h).
#include <mapicode.h>
#include <mapix.h>

#include <mutex>

#include <mapispi.h>

#include "config_location.h"
#include "../shutdown/failure_channel.h"
#include "mapishut/result.h"
#include "mapishut/subsystem.h"
#include "mapishut/text.h"
#include "process.h"
#include "profile_config.h"
#include "provider_loader.h"
#include "session.h"
#include "../shutdown/coordinator.h"

namespace mapishut {
namespace {

// Profile names arrive as LPTSTR, or as wide strings under MAPI_UNICODE; inside, UTF-8.
std::string ProfileName(LPTSTR name, ULONG flags) {
  if (name == nullptr) return {};
  if ((flags & MAPI_UNICODE) == 0) return reinterpret_cast<const char*>(name);
  return Utf8FromWide(reinterpret_cast<const wchar_t*>(name));
}

HRESULT Fail(HRESULT hr, std::string message, std::source_location where = std::source_location::current()) {
  return FailCall(hr, "MAPILogonEx", std::move(message), where);
}

// A store's SpoolerNotify reaches its session's spooler. The session exists only after every
// provider is loaded, so the stores are given this hook, filled in once the session exists and
// emptied when it logs off. It holds no lock while the spooler runs provider code.
class SpoolerHook {
 public:
  // A store: NOTIFY_READYTOSEND, the outgoing queue has mail. A transport: NOTIFY_CRITICAL_ERROR
  // with a MAPIERROR saying why it could not take a message, which the spooler reports.
  HRESULT Notify(ULONG flags, LPVOID data) {
    if ((flags & (NOTIFY_READYTOSEND | NOTIFY_CRITICAL_ERROR)) == 0) return S_OK;
    com_ptr<Session> session;
    {
      std::lock_guard lock(mutex_);
      if (session_ == nullptr || !session_->TryRetain()) return MAPI_E_NO_SUPPORT;
      session.attach(session_);
    }
    if (flags & NOTIFY_CRITICAL_ERROR) {
      const auto* error = static_cast<const MAPIERROR*>(data);
      if (error && error->lpszError) session->NoteTransportError(reinterpret_cast<const char*>(error->lpszError));
      return S_OK;
    }
    return session->DeliverOutgoing();
  }
  void Attach(Session* session) {
    std::lock_guard lock(mutex_);
    session_ = session;
  }

 private:
  std::mutex mutex_;
  Session* session_ = nullptr;  // not owned; cleared before the session goes
};

HRESULT LogonEx(LPTSTR lpszProfileName, ULONG ulFlags, LPMAPISESSION FAR* lppSession) {
  RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, lppSession == nullptr);
  *lppSession = nullptr;
  ClearThreadLastError();
  Process& process = Process::Get();
  if (process.ended()) return Fail(MAPI_E_END_OF_SESSION, "MAPILogonEx after DoFastShutdown: the process has ended MAPI");
  if (!process.initialized()) return Fail(MAPI_E_NOT_INITIALIZED, "MAPILogonEx before MAPIInitialize");
  ShutdownCoordinator& coordinator = process.coordinator();
  const char* kShuttingDown =
      "MAPILogonEx after NotifyProcessShutdown told the providers that the process is shutting down";
  if (!coordinator.accepts_logons()) return Fail(MAPI_E_END_OF_SESSION, kShuttingDown);

  LoadContext context;
  context.location = ResolveConfigLocation();
  context.coordinator = &process.coordinator();
  auto hook = std::make_shared<SpoolerHook>();
  context.support = MakeSupportServices(context.coordinator, [hook](ULONG flags, LPVOID data) { return hook->Notify(flags, data); });
  Profile profile;
  const Status s = LoadProfile(context.location, ProfileName(lpszProfileName, ulFlags), &profile);
  if (!s.ok()) return Fail(MAPI_E_LOGON_FAILED, "MAPILogonEx: " + s.message());
  context.profile_name = profile.name;

  // The whole logon is one activity of the coordinator (SPEC.md rule 1): wholly before or wholly
  // after each phase, and never while a MAPIUninitialize closes libraries.
  Session* session = nullptr;
  const HRESULT hr = process.coordinator().AdmitSession([&]() -> HRESULT {
    if (!process.initialized()) return Fail(MAPI_E_NOT_INITIALIZED, "MAPILogonEx after the last MAPIUninitialize");
    const uint32_t number = process.NextSessionNumber();
    std::vector<LoadedProvider> loaded;
    std::vector<std::unique_ptr<DynamicLibrary>> libraries;
    loaded.reserve(profile.providers.size());  // moved once, into the session, never while growing
    libraries.reserve(profile.providers.size());
    for (auto& config : profile.providers) {
      LoadedProvider provider;
      std::unique_ptr<DynamicLibrary> library;
      std::string error;
      const HRESULT loaded_hr = LoadProvider(context, std::move(config), &library, &provider, &error);
      if (FAILED(loaded_hr)) {
        // Every provider already loaded gets its normal shutdown, in the documented order and
        // on the record, before its library is closed.
        ShutdownProviders(loaded, number, coordinator);
        loaded.clear();
        libraries.clear();
        return Fail(loaded_hr, "MAPILogonEx: " + error);
      }
      loaded.push_back(std::move(provider));
      libraries.push_back(std::move(library));
    }
    for (auto& library : libraries) process.KeepLibrary(std::move(library));
    session = new Session(&process, number, profile.name, std::move(loaded));
    hook->Attach(session);
    session->SetSpoolerHook([hook] { hook->Attach(nullptr); });
    process.AddSession(session);
    return S_OK;
  });
  if (hr == MAPI_E_END_OF_SESSION) return Fail(hr, kShuttingDown);
  if (FAILED(hr)) {
    if (ThreadLastError().empty()) (void)Fail(hr, "MAPILogonEx failed (" + HexCode(hr) + ")");
    return hr;
  }
  *lppSession = session;
  return S_OK;
}

}  // namespace

void SetConfigDirectory(const std::string& dir) { SetConfigDirectoryOverride(dir); }

void SetClientDefaultBehavior(std::optional<FastShutdownBehavior> behavior) {
  Process::Get().coordinator().SetClientDefault(behavior);
}

void SetPolicyReader(std::shared_ptr<const PolicyReader> reader) {
  Process::Get().coordinator().SetPolicyReader(reader ? std::move(reader) : DefaultPolicyReader());
}

void SetProviderCallDeadline(std::optional<std::chrono::milliseconds> deadline) {
  Process::Get().coordinator().SetDeadline(deadline);
}

ShutdownRecord GetShutdownRecord() { return Process::Get().coordinator().Record(); }

std::string LastErrorMessage() { return ThreadLastError(); }

}  // namespace mapishut

STDAPI MAPIInitialize(LPVOID) {
  try {
    return mapishut::Process::Get().Initialize();
  }
  CATCH_RETURN();
}

STDAPI_(void) MAPIUninitialize() {
  try {
    mapishut::Process::Get().Uninitialize();
  } catch (...) {
    mapishut::ReportFailure(mapishut::HresultFromCaughtException(), "MAPIUninitialize", __FILE__, __LINE__);
  }
}

STDMETHODIMP MAPILogonEx(ULONG_PTR, LPTSTR lpszProfileName, LPTSTR, ULONG ulFlags, LPMAPISESSION FAR* lppSession) {
  try {
    return mapishut::LogonEx(lpszProfileName, ulFlags, lppSession);
  }
  CATCH_RETURN();
}

// Profiles are files an administrator edits (docs/CONFIGURATION.md); there is no profile
// administration object. Defined so that code calling it links and learns so at run time.
STDMETHODIMP MAPIAdminProfiles(ULONG, LPPROFADMIN FAR* lppProfAdmin) {
  if (lppProfAdmin) *lppProfAdmin = nullptr;
  return MAPI_E_NO_SUPPORT;
}
