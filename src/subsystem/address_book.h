// IAddrBook: what IMAPISession::OpenAddressBook hands a client. It opens entries through the
// session's address book providers, each behind the gate (SPEC.md rule 3): the containers,
// distribution lists and mail users it hands back are the gate's wrappers, and after a
// successful DoFastShutdown every method answers MAPI_E_END_OF_SESSION and reaches no provider.
//
// It holds its session: a session released without Logoff while a client still holds its
// address book is shut down when the address book goes (or at MAPIUninitialize).
//
// What it does: OpenEntry (an empty entry ID opens the first address book provider's root
// container, in profile order; any other is offered to each provider in turn) and
// CompareEntryIDs. The dialogs (Address, Details, NewEntry), the search path, the personal
// address book and name resolution across providers answer MAPI_E_NO_SUPPORT.
#pragma once

#include <mapix.h>

#include "mapishut/com_object.h"
#include "mapishut/com_ptr.h"
#include "mapishut/interface_defaults.h"

namespace mapishut {

class Session;

class AddressBook final : public ComObject<AddressBook, AddrBookDefaults<IAddrBook>> {
 public:
  explicit AddressBook(com_ptr<Session> session) : session_(std::move(session)) {}

  // After the end (or the session's Logoff) these refuse too, as every method does.
  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppvObj) override;
  STDMETHODIMP GetLastError(HRESULT hResult, ULONG ulFlags, LPMAPIERROR FAR* lppMAPIError) override;
  STDMETHODIMP OpenEntry(ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags, ULONG FAR* lpulObjType,
                         LPUNKNOWN FAR* lppUnk) override;
  STDMETHODIMP CompareEntryIDs(ULONG cbEntryID1, LPENTRYID lpEntryID1, ULONG cbEntryID2, LPENTRYID lpEntryID2, ULONG ulFlags,
                               ULONG FAR* lpulResult) override;

 private:
  ~AddressBook() override = default;
  // Every other method: MAPI_E_END_OF_SESSION once the session cannot be used, else unsupported.
  HRESULT Unsupported() override;

  com_ptr<Session> session_;
};

}  // namespace mapishut
