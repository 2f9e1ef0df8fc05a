// The exported entry points: Microsoft's (MAPIInitialize, MAPILogonEx, MAPIUninitialize) and
// mapishut's own knobs (mapishut/subsystem.h).
#include <mapicode.h>
#include <mapix.h>

#include <cwchar>
#include <mutex>

#include <mapispi.h>

#include "config_location.h"
#include "mapishut/result.h"
#include "mapishut/subsystem.h"
#include "process.h"
#include "profile_config.h"
#include "provider_loader.h"
#include "session.h"

namespace mapishut {
namespace {

// Profile names arrive as LPTSTR, or as wide strings under MAPI_UNICODE; inside, UTF-8.
std::string ProfileName(LPTSTR name, ULONG flags) {
  if (name == nullptr) return {};
  if ((flags & MAPI_UNICODE) == 0) return reinterpret_cast<const char*>(name);
  const wchar_t* wide = reinterpret_cast<const wchar_t*>(name);
  std::mbstate_t state{};
  std::string out;
  char buf[MB_LEN_MAX];
  for (; *wide; ++wide) {
    const size_t n = std::wcrtomb(buf, *wide, &state);
    if (n == static_cast<size_t>(-1)) return out + "?";
    out.append(buf, n);
  }
  return out;
}

HRESULT Fail(HRESULT hr, std::string message) {
  Process::SetLastError(std::move(message));
  return hr;
}

HRESULT LogonEx(LPTSTR lpszProfileName, ULONG ulFlags, LPMAPISESSION FAR* lppSession) {
  RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, lppSession == nullptr);
  *lppSession = nullptr;
  Process::SetLastError({});
  Process& process = Process::Get();
  if (process.ended()) return Fail(MAPI_E_END_OF_SESSION, "MAPILogonEx after DoFastShutdown: the process has ended MAPI");
  if (!process.initialized()) return Fail(MAPI_E_NOT_INITIALIZED, "MAPILogonEx before MAPIInitialize");

  LoadContext context;
  context.location = ResolveConfigLocation();
  context.ended = [] { return Process::Get().ended(); };
  // A store's SpoolerNotify reaches its session's spooler; the session exists only after every
  // provider is loaded, so the store is given this hook, filled in below.
  struct SessionHook {
    std::mutex mutex;
    Session* session = nullptr;
  };
  auto hook = std::make_shared<SessionHook>();
  context.spooler_notify = [hook](ULONG flags) -> HRESULT {
    if ((flags & NOTIFY_READYTOSEND) == 0) return S_OK;
    std::lock_guard lock(hook->mutex);
    return hook->session ? hook->session->DeliverOutgoing() : MAPI_E_NO_SUPPORT;
  };
  Profile profile;
  const Status s = LoadProfile(context.location, ProfileName(lpszProfileName, ulFlags), &profile);
  if (!s.ok()) return Fail(MAPI_E_LOGON_FAILED, "MAPILogonEx: " + s.message());
  context.profile_name = profile.name;

  std::vector<LoadedProvider> loaded;
  std::vector<std::unique_ptr<DynamicLibrary>> libraries;
  for (const auto& config : profile.providers) {
    LoadedProvider provider;
    std::unique_ptr<DynamicLibrary> library;
    std::string error;
    const HRESULT hr = LoadProvider(context, config, &library, &provider, &error);
    if (FAILED(hr)) {
      // Every provider already loaded is shut down cleanly before its library is closed.
      for (auto it = loaded.rbegin(); it != loaded.rend(); ++it) {
        std::vector<ProviderCallRecord> calls;
        ShutdownProvider(*it, &calls);
      }
      loaded.clear();
      libraries.clear();
      return Fail(hr, "MAPILogonEx: " + error);
    }
    loaded.push_back(std::move(provider));
    libraries.push_back(std::move(library));
  }
  for (auto& library : libraries) process.KeepLibrary(std::move(library));
  auto* session = new Session(&process, process.NextSessionNumber(), profile.name, std::move(loaded));
  {
    std::lock_guard lock(hook->mutex);
    hook->session = session;
  }
  session->SetSpoolerHook([hook] {
    std::lock_guard lock(hook->mutex);
    hook->session = nullptr;
  });
  process.AddSession(session);
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

std::string LastErrorMessage() { return Process::LastError(); }

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
