#include "support_object.h"

#include <mapicode.h>
#include <mapiguid.h>

#include <atomic>
#include <random>

#include "mapishut/com_object.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/result.h"
#include "profile_section.h"

namespace mapishut {
namespace {

class Support final : public ComObject<Support, MAPISupportDefaults<IMAPISupport>> {
 public:
  explicit Support(SupportObjectOptions o) : options_(std::move(o)), services_(*options_.services) {}

  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppv) override {
    if (ppv) *ppv = nullptr;
    RETURN_IF_FAILED_EXPECTED(Usable("IMAPISupport::QueryInterface"));
    return ComObject::QueryInterface(riid, ppv);
  }

  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* e) override {
    if (e) *e = nullptr;
    return Usable("IMAPISupport::GetLastError");
  }
  STDMETHODIMP GetMemAllocRoutines(LPALLOCATEBUFFER FAR* a, LPALLOCATEMORE FAR* m, LPFREEBUFFER FAR* f) override {
    RETURN_IF_FAILED_EXPECTED(Usable("IMAPISupport::GetMemAllocRoutines"));
    if (a) *a = options_.allocate_buffer;
    if (m) *m = options_.allocate_more;
    if (f) *f = options_.free_buffer;
    return S_OK;
  }
  STDMETHODIMP OpenProfileSection(LPMAPIUID uid, ULONG, LPPROFSECT FAR* out) override {
    try {
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out);
      *out = nullptr;
      RETURN_IF_FAILED_EXPECTED(Usable("IMAPISupport::OpenProfileSection"));
      RETURN_HR_IF_EXPECTED(MAPI_E_NOT_FOUND, uid != nullptr);  // only the provider's own section
      LPPROFSECT section = nullptr;
      RETURN_IF_FAILED(CreateProfileSection(PropertiesOf(options_.config), &section));
      return GateObject(services_.section_gate, IID_IProfSect, section, reinterpret_cast<void**>(out));
    }
    CATCH_RETURN();
  }
  STDMETHODIMP NewUID(LPMAPIUID uid) override {
    try {
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !uid);
      RETURN_IF_FAILED_EXPECTED(Usable("IMAPISupport::NewUID"));
      thread_local std::mt19937_64 rng{std::random_device{}()};
      for (size_t i = 0; i < sizeof uid->ab; i += 8) {
        const uint64_t r = rng();
        for (size_t j = 0; j < 8; ++j) uid->ab[i + j] = static_cast<BYTE>(r >> (8 * j));
      }
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP ModifyStatusRow(ULONG cValues, LPSPropValue lpColumnVals, ULONG ulFlags) override {
    try {
      RETURN_IF_FAILED_EXPECTED(Usable("IMAPISupport::ModifyStatusRow"));
      return options_.status->Modify(cValues, lpColumnVals, ulFlags);
    }
    CATCH_RETURN();
  }
  STDMETHODIMP SpoolerNotify(ULONG flags, LPVOID data) override {
    try {
      RETURN_IF_FAILED_EXPECTED(Usable("IMAPISupport::SpoolerNotify"));
      if (!services_.spooler_notify) return MAPI_E_NO_SUPPORT;
      return services_.spooler_notify(flags, data);
    }
    CATCH_RETURN();
  }

 private:
  ~Support() override = default;
  // S_OK while MAPI is open; after the end MAPI_E_END_OF_SESSION, the first time also reported.
  HRESULT Usable(const char* method) {
    if (!services_.ended || !services_.ended()) return S_OK;
    if (services_.late_call && !late_call_reported_.exchange(true)) services_.late_call(Who(), method);
    return MAPI_E_END_OF_SESSION;
  }
  // Its provider, as the shutdown record names it: made only for a report, never kept.
  std::string Who() const {
    const ProviderConfig& c = *options_.config;
    return DescribeProvider(c.display_name(), c.kind, c.section, *options_.library);
  }
  // Every method this object does not implement: after the end, the end is the answer.
  HRESULT Unsupported() override {
    RETURN_IF_FAILED_EXPECTED(Usable("a method of IMAPISupport"));
    return MAPI_E_NO_SUPPORT;
  }

  // Its properties are shared by every section the provider opens (a provider opens its section
  // for each setting it reads, thousands of times in a large profile's logon).
  const SupportObjectOptions options_;
  const SupportServices& services_;  // held by options_
  std::atomic<bool> late_call_reported_{false};
};

}  // namespace

HRESULT CreateSupportObject(SupportObjectOptions options, LPMAPISUP* out) {
  RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out || !options.services || !options.config || !options.library || !options.status);
  try {
    *out = new Support(std::move(options));
    return S_OK;
  }
  CATCH_RETURN();
}

}  // namespace mapishut
