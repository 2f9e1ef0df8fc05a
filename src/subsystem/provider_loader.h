// Loads a provider the way MAPI does: dlopen its library, call the entry point that matches its
// PR_RESOURCE_TYPE (XPProviderInit / ABProviderInit / MSProviderInit), check its SPI version,
// and log it on (TransportLogon / Logon). Reads straight down; every failure names the provider,
// the library and the entry point, and leaves nothing loaded.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "loaded_provider.h"
#include "support_object.h"

namespace mapishut {

struct LoadContext {
  std::string profile_name;
  ConfigLocation location;
  ShutdownCoordinator* coordinator = nullptr;  // ends MAPI; gates what clients reach through the store
  std::shared_ptr<const SupportServices> support;  // MakeSupportServices: every provider's support object shares it
  // Where each PR_PROVIDER_DLL_NAME was found during this logon: the search path is walked once
  // per library, not once per provider (a profile of thousands shares a few libraries).
  // The paths are shared by the support objects of the providers loaded from them.
  mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> found_libraries;
};

// What the support objects of one logon share: the end as `coordinator` sees it, a provider's
// SpoolerNotify (`spooler_notify`, see spooler.h), and the report of a provider calling after
// the end, named as the coordinator names it.
std::shared_ptr<const SupportServices> MakeSupportServices(ShutdownCoordinator* coordinator,
                                                           std::function<HRESULT(ULONG, LPVOID)> spooler_notify);

// Loads `config` (moved into out->config). On success fills *out (its library in *library) and
// returns S_OK. On failure returns the MAPI code, sets *error to a message for people, and has
// shut down and released whatever part of the provider it created and closed the library.
HRESULT LoadProvider(const LoadContext& context, SharedProviderConfig config, std::unique_ptr<DynamicLibrary>* library,
                     LoadedProvider* out, std::string* error);

// The normal shutdown of one provider (SPEC.md "The normal shutdown"): log off and release its
// logon objects, call its Shutdown, release it. Each call is guarded and appended to `calls`
// (a Release only when it threw).
void ShutdownProvider(LoadedProvider& p, std::vector<ProviderCallRecord>* calls);

// The normal shutdown of a session's providers, transports then address books then stores, each
// on the record under `session`. A provider whose call was abandoned at its deadline and still
// runs gets no call at all (SPEC.md rule 4): it is named in the record and left loaded.
// Returns the first failure, for the client: a provider that could not log off or shut down
// may not have saved everything it acknowledged.
struct ShutdownLoss {
  HRESULT hr = S_OK;
  std::string what;  // the provider, the call and its reason
};
ShutdownLoss ShutdownProviders(std::vector<LoadedProvider>& providers, uint32_t session, ShutdownCoordinator& coordinator);

}  // namespace mapishut
