// Bases for provider logon objects (IXPLogon, IABLogon, IMSLogon): a complete COM object whose
// logoff succeeds and whose every other method answers MAPI_E_NO_SUPPORT from its vtable slot.
// A provider overrides what it implements:
//
//   class Logon final : public mapishut::XPLogonDefaults {
//     STDMETHODIMP SubmitMessage(ULONG, LPMESSAGE, ULONG_PTR FAR*, ULONG_PTR FAR*) override;
//   };
#pragma once

#include "mapishut/com_object.h"
#include "mapishut/interface_defaults.h"

namespace mapishut {

class XPLogonDefaults : public ComObject<XPLogonDefaults, XPLogonUnsupported<IXPLogon>> {
 public:
  STDMETHODIMP TransportLogoff(ULONG) override { return S_OK; }
};

class ABLogonDefaults : public ComObject<ABLogonDefaults, ABLogonUnsupported<IABLogon>> {
 public:
  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* lppMAPIError) override {
    if (lppMAPIError) *lppMAPIError = nullptr;
    return S_OK;
  }
  STDMETHODIMP Logoff(ULONG) override { return S_OK; }
};

class MSLogonDefaults : public ComObject<MSLogonDefaults, MSLogonUnsupported<IMSLogon>> {
 public:
  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* lppMAPIError) override {
    if (lppMAPIError) *lppMAPIError = nullptr;
    return S_OK;
  }
  STDMETHODIMP Logoff(ULONG FAR*) override { return S_OK; }
};

}  // namespace mapishut
