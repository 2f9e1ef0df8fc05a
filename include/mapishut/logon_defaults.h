// Bases for provider logon objects (IXPLogon, IABLogon, IMSLogon): one COM identity with
// reference counting, and every method a provider does not need answering MAPI_E_NO_SUPPORT
// from its vtable slot. A provider overrides what it implements; the interfaces in mapispi.h
// stay pure, as COM requires.
#pragma once

#include <mapicode.h>
#include <mapidefs.h>
#include <mapiguid.h>
#include <mapispi.h>

#include <atomic>

namespace mapishut {

// IUnknown for an object with one interface (plus IUnknown).
template <typename Interface>
class ComObject : public Interface {
 public:
  explicit ComObject(const IID& iid) : iid_(iid) {}
  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppvObj) override {
    if (ppvObj == nullptr) return MAPI_E_INVALID_PARAMETER;
    *ppvObj = nullptr;
    if (riid != IID_IUnknown && riid != iid_) return MAPI_E_INTERFACE_NOT_SUPPORTED;
    *ppvObj = static_cast<Interface*>(this);
    AddRef();
    return S_OK;
  }
  STDMETHODIMP_(ULONG) AddRef() override { return ++refs_; }
  STDMETHODIMP_(ULONG) Release() override {
    const ULONG left = --refs_;
    if (left == 0) delete this;
    return left;
  }

 protected:
  virtual ~ComObject() = default;

 private:
  const IID& iid_;
  std::atomic<ULONG> refs_{1};
};

class XPLogonDefaults : public ComObject<IXPLogon> {
 public:
  XPLogonDefaults() : ComObject(IID_IXPLogon) {}
  STDMETHODIMP AddressTypes(ULONG FAR*, ULONG FAR*, LPTSTR FAR* FAR*, ULONG FAR*, LPMAPIUID FAR* FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP RegisterOptions(ULONG FAR*, ULONG FAR*, LPOPTIONDATA FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP TransportNotify(ULONG FAR*, LPVOID FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Idle(ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP TransportLogoff(ULONG) override { return S_OK; }
  STDMETHODIMP SubmitMessage(ULONG, LPMESSAGE, ULONG_PTR FAR*, ULONG_PTR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP EndMessage(ULONG_PTR, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Poll(ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP StartMessage(ULONG, LPMESSAGE, ULONG_PTR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenStatusEntry(LPCIID, ULONG, ULONG FAR*, LPMAPISTATUS FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP ValidateState(ULONG_PTR, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP FlushQueues(ULONG_PTR, ULONG, LPENTRYID, ULONG) override { return MAPI_E_NO_SUPPORT; }
};

class ABLogonDefaults : public ComObject<IABLogon> {
 public:
  ABLogonDefaults() : ComObject(IID_IABLogon) {}
  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* lppMAPIError) override {
    if (lppMAPIError) *lppMAPIError = nullptr;
    return S_OK;
  }
  STDMETHODIMP Logoff(ULONG) override { return S_OK; }
  STDMETHODIMP OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG FAR*, LPUNKNOWN FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CompareEntryIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Advise(ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Unadvise(ULONG_PTR) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenStatusEntry(LPCIID, ULONG, ULONG FAR*, LPMAPISTATUS FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenTemplateID(ULONG, LPENTRYID, ULONG, LPMAPIPROP, LPCIID, LPMAPIPROP FAR*, LPMAPIPROP) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetOneOffTable(ULONG, LPMAPITABLE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP PrepareRecips(ULONG, LPSPropTagArray, LPADRLIST) override { return MAPI_E_NO_SUPPORT; }
};

class MSLogonDefaults : public ComObject<IMSLogon> {
 public:
  MSLogonDefaults() : ComObject(IID_IMSLogon) {}
  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* lppMAPIError) override {
    if (lppMAPIError) *lppMAPIError = nullptr;
    return S_OK;
  }
  STDMETHODIMP Logoff(ULONG FAR*) override { return S_OK; }
  STDMETHODIMP OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG FAR*, LPUNKNOWN FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CompareEntryIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Advise(ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Unadvise(ULONG_PTR) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenStatusEntry(LPCIID, ULONG, ULONG FAR*, LPVOID FAR*) override { return MAPI_E_NO_SUPPORT; }
};

}  // namespace mapishut
