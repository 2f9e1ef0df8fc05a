// Flaw: the provider does not implement IMAPIProviderShutdown (a plain IXPProvider), so under
// FastShutdownBehavior 1 no client can exit fast while it is loaded.
#include <mapicode.h>
#include <mapispi.h>

#include "mapishut/com_object.h"
#include "mapishut/logon_defaults.h"
#include "mapishut/provider_base.h"

namespace {
class NoShutdownInterface final : public mapishut::ComObject<NoShutdownInterface, IXPProvider> {
 public:
  STDMETHODIMP Shutdown(ULONG FAR*) override { return S_OK; }
  STDMETHODIMP TransportLogon(LPMAPISUP, ULONG_PTR, LPTSTR, ULONG FAR*, LPMAPIERROR FAR* error, LPXPLOGON FAR* out) override {
    if (error) *error = nullptr;
    *out = new mapishut::XPLogonDefaults();
    return S_OK;
  }
};
}  // namespace

extern "C" __attribute__((visibility("default"))) STDINITMETHODIMP XPProviderInit(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER,
                                                                                 LPALLOCATEMORE, LPFREEBUFFER, ULONG,
                                                                                 ULONG version, ULONG FAR* provider_version,
                                                                                 LPXPPROVIDER FAR* out) {
  *out = nullptr;
  RETURN_IF_FAILED(mapishut::CheckSpiVersion(version, provider_version));
  *out = new NoShutdownInterface();
  return S_OK;
}
