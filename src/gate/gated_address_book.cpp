// An address book provider's objects through the gate: its logon (which the session's IAddrBook
// opens entries through), its containers and distribution lists (IABContainer and IDistList have
// the same methods), and its mail users (IMailUser has exactly IMAPIProp's).
#include "gated_container.h"

namespace mapishut {
namespace {

template <typename Interface>
class GatedABContainer final : public GatedContainer<GatedABContainer<Interface>, Interface> {
  using Base = GatedContainer<GatedABContainer<Interface>, Interface>;

 public:
  using Base::Base;
  STDMETHODIMP CreateEntry(ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulCreateFlags, LPMAPIPROP FAR* lppMAPIPropEntry) override {
    return this->HandBack(this->Forward(&Interface::CreateEntry, cbEntryID, lpEntryID, ulCreateFlags, lppMAPIPropEntry),
                          IID_IMAPIProp, reinterpret_cast<void**>(lppMAPIPropEntry));
  }
  STDMETHODIMP CopyEntries(LPENTRYLIST lpEntries, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags) override {
    return this->Forward(&Interface::CopyEntries, lpEntries, ulUIParam, lpProgress, ulFlags);
  }
  STDMETHODIMP DeleteEntries(LPENTRYLIST lpEntries, ULONG ulFlags) override {
    return this->Forward(&Interface::DeleteEntries, lpEntries, ulFlags);
  }
  STDMETHODIMP ResolveNames(LPSPropTagArray lpPropTagArray, ULONG ulFlags, LPADRLIST lpAdrList, LPFlagList lpFlagList) override {
    return this->Forward(&Interface::ResolveNames, lpPropTagArray, ulFlags, lpAdrList, lpFlagList);
  }
};

class GatedMailUser final : public GatedProp<GatedMailUser, IMailUser> {
 public:
  using GatedProp::GatedProp;
};

// Never handed to a client: the session's IAddrBook calls it, so that what the provider hands
// back is wrapped and no call reaches it after the end.
class GatedABLogon final : public Gated<GatedABLogon, IABLogon> {
 public:
  using Gated::Gated;
  MAPI_IABLOGON_METHODS(IMPL)
};

STDMETHODIMP GatedABLogon::GetLastError(HRESULT hResult, ULONG ulFlags, LPMAPIERROR FAR* lppMAPIError) {
  return Forward(&IABLogon::GetLastError, hResult, ulFlags, lppMAPIError);
}
STDMETHODIMP GatedABLogon::Logoff(ULONG ulFlags) { return Forward(&IABLogon::Logoff, ulFlags); }
STDMETHODIMP GatedABLogon::OpenEntry(ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags, ULONG FAR* lpulObjType,
                                     LPUNKNOWN FAR* lppUnk) {
  return HandBackEntry(Forward(&IABLogon::OpenEntry, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk), lpInterface,
                       lpulObjType, lppUnk);
}
STDMETHODIMP GatedABLogon::CompareEntryIDs(ULONG cbEntryID1, LPENTRYID lpEntryID1, ULONG cbEntryID2, LPENTRYID lpEntryID2,
                                           ULONG ulFlags, ULONG FAR* lpulResult) {
  return Forward(&IABLogon::CompareEntryIDs, cbEntryID1, lpEntryID1, cbEntryID2, lpEntryID2, ulFlags, lpulResult);
}
STDMETHODIMP GatedABLogon::Advise(ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                                  ULONG_PTR FAR* lpulConnection) {
  return Forward(&IABLogon::Advise, cbEntryID, lpEntryID, ulEventMask, lpAdviseSink, lpulConnection);
}
STDMETHODIMP GatedABLogon::Unadvise(ULONG_PTR ulConnection) { return Forward(&IABLogon::Unadvise, ulConnection); }
STDMETHODIMP GatedABLogon::OpenStatusEntry(LPCIID lpInterface, ULONG ulFlags, ULONG FAR* lpulObjType, LPMAPISTATUS FAR* lppEntry) {
  return HandBack(Forward(&IABLogon::OpenStatusEntry, lpInterface, ulFlags, lpulObjType, lppEntry), IID_IMAPIStatus,
                  reinterpret_cast<void**>(lppEntry));
}
STDMETHODIMP GatedABLogon::OpenTemplateID(ULONG cbTemplateID, LPENTRYID lpTemplateID, ULONG ulTemplateFlags, LPMAPIPROP lpMAPIPropData,
                                          LPCIID lpInterface, LPMAPIPROP FAR* lppMAPIPropNew, LPMAPIPROP lpMAPIPropSibling) {
  return HandBackAsked(Forward(&IABLogon::OpenTemplateID, cbTemplateID, lpTemplateID, ulTemplateFlags, lpMAPIPropData, lpInterface,
                               lppMAPIPropNew, lpMAPIPropSibling),
                       lpInterface, IID_IMAPIProp, reinterpret_cast<void**>(lppMAPIPropNew));
}
STDMETHODIMP GatedABLogon::GetOneOffTable(ULONG ulFlags, LPMAPITABLE FAR* lppTable) {
  return HandBack(Forward(&IABLogon::GetOneOffTable, ulFlags, lppTable), IID_IMAPITable, reinterpret_cast<void**>(lppTable));
}
STDMETHODIMP GatedABLogon::PrepareRecips(ULONG ulFlags, LPSPropTagArray lpPropTagArray, LPADRLIST lpRecipList) {
  return Forward(&IABLogon::PrepareRecips, ulFlags, lpPropTagArray, lpRecipList);
}

}  // namespace

HRESULT GateAddressBookLogon(const Gate& gate, IABLogon* inner, IABLogon** out) {
  *out = nullptr;
  try {
    *out = new GatedABLogon(gate, inner);
    return S_OK;
  } catch (...) {
    inner->Release();  // adopted: released as GateObject releases what it cannot wrap
    return HresultFromCaughtException();
  }
}
void* NewGatedMailUser(const Gate& gate, IMailUser* inner) { return static_cast<IMailUser*>(new GatedMailUser(gate, inner)); }
void* NewGatedABContainer(const Gate& gate, IABContainer* inner) {
  return static_cast<IABContainer*>(new GatedABContainer<IABContainer>(gate, inner));
}
void* NewGatedDistList(const Gate& gate, IDistList* inner) {
  return static_cast<IDistList*>(new GatedABContainer<IDistList>(gate, inner));
}

}  // namespace mapishut
