// The smallest transport provider written with the mapishut SDK: it keeps what it accepted and
// saves it durably when told the process is leaving (or at its normal Shutdown).
#include <mapishut/durable.h>
#include <mapishut/logon_defaults.h>
#include <mapishut/provider_base.h>

#include <string>

namespace {

class Logon final : public mapishut::XPLogonDefaults {};

class Provider final : public mapishut::ProviderBase<IXPProvider> {
 public:
  STDMETHODIMP Shutdown(ULONG FAR*) override { return Save(); }
  STDMETHODIMP TransportLogon(LPMAPISUP, ULONG_PTR, LPTSTR, ULONG FAR*, LPMAPIERROR FAR* err, LPXPLOGON FAR* out) override {
    if (err) *err = nullptr;
    accepted_ = "one message accepted\n";  // what a real transport would have queued
    *out = new Logon();
    return S_OK;
  }

 private:
  HRESULT OnDoFastShutdown() override { return Save(); }  // return only once it is on disk
  HRESULT Save() {
    const mapishut::Status s = mapishut::WriteFileDurably("/tmp", "smallest_provider.out", accepted_);
    return s.ok() ? S_OK : MAPI_E_DISK_ERROR;
  }
  std::string accepted_;
};

}  // namespace

extern "C" __attribute__((visibility("default"))) STDINITMETHODIMP XPProviderInit(
    HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE, LPFREEBUFFER, ULONG, ULONG ulMAPIVer,
    ULONG FAR* lpulProviderVer, LPXPPROVIDER FAR* lppXPProvider) {
  *lppXPProvider = nullptr;
  RETURN_IF_FAILED(mapishut::CheckSpiVersion(ulMAPIVer, lpulProviderVer));
  *lppXPProvider = new Provider();
  return S_OK;
}
