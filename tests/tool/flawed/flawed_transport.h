// What every deliberately flawed transport of the `mapishut check` tests shares: a transport that
// follows the best practices (SDK base, S_OK everywhere) until one subclass breaks one of them.
// Each flawed_*.cpp overrides one hook and names its flaw; `mapishut check` must name it too.
#pragma once

#include <mapicode.h>

#include "mapishut/com_ptr.h"
#include "mapishut/logon_defaults.h"
#include "mapishut/provider_base.h"

namespace flawed {

class Transport : public mapishut::ProviderBase<IXPProvider> {
 public:
  STDMETHODIMP Shutdown(ULONG FAR*) override { return S_OK; }
  STDMETHODIMP TransportLogon(LPMAPISUP support, ULONG_PTR, LPTSTR, ULONG FAR*, LPMAPIERROR FAR* error,
                              LPXPLOGON FAR* out) override {
    if (error) *error = nullptr;
    support_ = mapishut::com_ptr<IMAPISupport>(support);
    OnLogon();
    *out = new mapishut::XPLogonDefaults();
    return S_OK;
  }

 protected:
  virtual void OnLogon() {}
  HRESULT OnDoFastShutdown() override { return S_OK; }
  IMAPISupport* support() const { return support_.get(); }

 private:
  mapishut::com_ptr<IMAPISupport> support_;
};

}  // namespace flawed

// The entry point of a library holding one `Class`.
#define FLAWED_TRANSPORT_ENTRY(Class)                                                                                  \
  extern "C" __attribute__((visibility("default"))) STDINITMETHODIMP XPProviderInit(                                  \
      HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE, LPFREEBUFFER, ULONG, ULONG version,                       \
      ULONG FAR* provider_version, LPXPPROVIDER FAR* out) {                                                            \
    *out = nullptr;                                                                                                    \
    RETURN_IF_FAILED(mapishut::CheckSpiVersion(version, provider_version));                                            \
    *out = new Class();                                                                                                \
    return S_OK;                                                                                                       \
  }
