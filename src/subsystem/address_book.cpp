#include "address_book.h"

#include <cstring>

#include "mapishut/result.h"
#include "session.h"

namespace mapishut {

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
