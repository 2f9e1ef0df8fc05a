// Simple sample providers for `mapishut demo`: one library with all three entry points. Each
// provider holds the work it accepted in memory (a stand-in for a real provider's queue) and
// writes it durably to its data directory when told to save: at DoFastShutdown, or at the
// normal Shutdown. A provider section may set PR_MAPISHUT_SAMPLE_OPT_OUT=1 to show a provider
// that must never be fast-shut-down.
#include <mapicode.h>
#include <mapitags.h>

#include <string>

#include "mapishut/durable.h"
#include "mapishut/logon_defaults.h"
#include "mapishut/profile_settings.h"
#include "mapishut/provider_base.h"
#include "mapishut/provider_props.h"

namespace {

LPFREEBUFFER g_free = nullptr;

struct Settings {
  std::string name = "sample";
  std::string data_dir;
  bool opt_out = false;
};

Settings ReadSettings(LPMAPISUP support) {
  Settings s;
  s.name = mapishut::ReadProfileString(support, g_free, PR_DISPLAY_NAME_A);
  if (s.name.empty()) s.name = "sample";
  s.data_dir = mapishut::ReadProfileString(support, g_free, PR_MAPISHUT_DATA_PATH);
  s.opt_out = mapishut::ReadProfileLong(support, g_free, PR_MAPISHUT_SAMPLE_OPT_OUT, 0) != 0;
  return s;
}

template <typename Interface>
class SampleProvider : public mapishut::ProviderBase<Interface> {
 public:
  STDMETHODIMP Shutdown(ULONG FAR*) override { return Save(); }

 protected:
  void Configure(LPMAPISUP support, const char* accepted) {
    settings_ = ReadSettings(support);
    accepted_ = std::string(accepted) + " accepted by " + settings_.name + "\n";
  }
  HRESULT OnQueryFastShutdown() override { return settings_.opt_out ? MAPI_E_NO_SUPPORT : S_OK; }
  HRESULT OnDoFastShutdown() override { return Save(); }

 private:
  HRESULT Save() {
    if (settings_.data_dir.empty() || saved_) return S_OK;
    const mapishut::Status s = mapishut::WriteFileDurably(settings_.data_dir, settings_.name + ".saved", accepted_);
    saved_ = s.ok();
    return s.ok() ? S_OK : MAPI_E_DISK_ERROR;
  }
  Settings settings_;
  std::string accepted_;
  bool saved_ = false;
};

class Transport final : public SampleProvider<IXPProvider> {
 public:
  STDMETHODIMP TransportLogon(LPMAPISUP sup, ULONG_PTR, LPTSTR, ULONG FAR*, LPMAPIERROR FAR* err, LPXPLOGON FAR* out) override {
    if (err) *err = nullptr;
    Configure(sup, "2 outgoing messages");
    *out = new mapishut::XPLogonDefaults();
    return S_OK;
  }
};

class AddressBook final : public SampleProvider<IABProvider> {
 public:
  STDMETHODIMP Logon(LPMAPISUP sup, ULONG_PTR, LPTSTR, ULONG, ULONG FAR* cb, LPBYTE FAR* sec, LPMAPIERROR FAR* err,
                     LPABLOGON FAR* out) override {
    if (cb) *cb = 0;
    if (sec) *sec = nullptr;
    if (err) *err = nullptr;
    Configure(sup, "address list sync position 42");
    *out = new mapishut::ABLogonDefaults();
    return S_OK;
  }
};

class Store final : public SampleProvider<IMSProvider> {
 public:
  STDMETHODIMP Logon(LPMAPISUP sup, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG FAR* cb, LPBYTE FAR* sec,
                     LPMAPIERROR FAR* err, LPMSLOGON FAR* out, LPMDB FAR* mdb) override {
    if (cb) *cb = 0;
    if (sec) *sec = nullptr;
    if (err) *err = nullptr;
    if (mdb) *mdb = nullptr;
    Configure(sup, "3 saved messages");
    *out = new mapishut::MSLogonDefaults();
    return S_OK;
  }
  STDMETHODIMP SpoolerLogon(LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG, LPBYTE, LPMAPIERROR FAR*,
                            LPMSLOGON FAR*, LPMDB FAR*) override {
    return MAPI_E_NO_SUPPORT;
  }
  STDMETHODIMP CompareStoreIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Provider, typename Out>
HRESULT Create(LPFREEBUFFER free_buffer, ULONG version, ULONG FAR* provider_version, Out** out) {
  *out = nullptr;
  g_free = free_buffer;
  RETURN_IF_FAILED(mapishut::CheckSpiVersion(version, provider_version));
  *out = new Provider();
  return S_OK;
}

}  // namespace

extern "C" {
__attribute__((visibility("default"))) STDINITMETHODIMP XPProviderInit(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE,
                                                                       LPFREEBUFFER f, ULONG, ULONG v, ULONG FAR* pv,
                                                                       LPXPPROVIDER FAR* out) {
  return Create<Transport>(f, v, pv, out);
}
__attribute__((visibility("default"))) STDINITMETHODIMP ABProviderInit(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE,
                                                                       LPFREEBUFFER f, ULONG, ULONG v, ULONG FAR* pv,
                                                                       LPABPROVIDER FAR* out) {
  return Create<AddressBook>(f, v, pv, out);
}
__attribute__((visibility("default"))) STDINITMETHODIMP MSProviderInit(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE,
                                                                       LPFREEBUFFER f, ULONG, ULONG v, ULONG FAR* pv,
                                                                       LPMSPROVIDER FAR* out) {
  return Create<Store>(f, v, pv, out);
}
}
