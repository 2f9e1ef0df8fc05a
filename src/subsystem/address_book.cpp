#include "address_book.h"

#include "mapishut/result.h"
#include "session.h"

namespace mapishut {

STDMETHODIMP AddressBook::QueryInterface(REFIID riid, LPVOID FAR* ppvObj) {
  if (ppvObj) *ppvObj = nullptr;
  RETURN_IF_FAILED_EXPECTED(session_->Usable());
  return ComObject::QueryInterface(riid, ppvObj);
}

STDMETHODIMP AddressBook::GetLastError(HRESULT hResult, ULONG ulFlags, LPMAPIERROR FAR* lppMAPIError) {
  if (lppMAPIError) *lppMAPIError = nullptr;
  RETURN_IF_FAILED_EXPECTED(session_->Usable());
  return AddrBookDefaults::GetLastError(hResult, ulFlags, lppMAPIError);
}

STDMETHODIMP AddressBook::OpenEntry(ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags, ULONG FAR* lpulObjType,
                                    LPUNKNOWN FAR* lppUnk) {
  return session_->OpenAddressBookEntry(cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk);
}

STDMETHODIMP AddressBook::CompareEntryIDs(ULONG cbEntryID1, LPENTRYID lpEntryID1, ULONG cbEntryID2, LPENTRYID lpEntryID2,
                                          ULONG ulFlags, ULONG FAR* lpulResult) {
  return session_->CompareEntryIDs(cbEntryID1, lpEntryID1, cbEntryID2, lpEntryID2, ulFlags, lpulResult);
}

HRESULT AddressBook::Unsupported() {
  RETURN_IF_FAILED_EXPECTED(session_->Usable());
  return MAPI_E_NO_SUPPORT;
}

}  // namespace mapishut
