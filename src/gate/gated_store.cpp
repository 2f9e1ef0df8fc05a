// IMsgStore through the gate: what IMAPISession::OpenMsgStore hands a client.
#include "gated_prop.h"

namespace mapishut {
namespace {

class GatedMsgStore final : public GatedProp<GatedMsgStore, IMsgStore> {
 public:
  using GatedProp::GatedProp;
  MAPI_IMSGSTORE_METHODS(IMPL)
};

STDMETHODIMP GatedMsgStore::Advise(ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink,
                                   ULONG_PTR FAR* lpulConnection) {
  return Forward(&IMsgStore::Advise, cbEntryID, lpEntryID, ulEventMask, lpAdviseSink, lpulConnection);
}
STDMETHODIMP GatedMsgStore::Unadvise(ULONG_PTR ulConnection) { return Forward(&IMsgStore::Unadvise, ulConnection); }
STDMETHODIMP GatedMsgStore::CompareEntryIDs(ULONG cbEntryID1, LPENTRYID lpEntryID1, ULONG cbEntryID2, LPENTRYID lpEntryID2,
                                            ULONG ulFlags, ULONG FAR* lpulResult) {
  return Forward(&IMsgStore::CompareEntryIDs, cbEntryID1, lpEntryID1, cbEntryID2, lpEntryID2, ulFlags, lpulResult);
}
STDMETHODIMP GatedMsgStore::OpenEntry(ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags,
                                      ULONG FAR* lpulObjType, LPUNKNOWN FAR* lppUnk) {
  return HandBackEntry(Forward(&IMsgStore::OpenEntry, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk), lpInterface,
                       lpulObjType, lppUnk);
}
STDMETHODIMP GatedMsgStore::SetReceiveFolder(LPTSTR lpszMessageClass, ULONG ulFlags, ULONG cbEntryID, LPENTRYID lpEntryID) {
  return Forward(&IMsgStore::SetReceiveFolder, lpszMessageClass, ulFlags, cbEntryID, lpEntryID);
}
STDMETHODIMP GatedMsgStore::GetReceiveFolder(LPTSTR lpszMessageClass, ULONG ulFlags, ULONG FAR* lpcbEntryID,
                                             LPENTRYID FAR* lppEntryID, LPTSTR FAR* lppszExplicitClass) {
  return Forward(&IMsgStore::GetReceiveFolder, lpszMessageClass, ulFlags, lpcbEntryID, lppEntryID, lppszExplicitClass);
}
STDMETHODIMP GatedMsgStore::GetReceiveFolderTable(ULONG ulFlags, LPMAPITABLE FAR* lppTable) {
  return HandBack(Forward(&IMsgStore::GetReceiveFolderTable, ulFlags, lppTable), IID_IMAPITable, reinterpret_cast<void**>(lppTable));
}
STDMETHODIMP GatedMsgStore::StoreLogoff(ULONG FAR* lpulFlags) { return Forward(&IMsgStore::StoreLogoff, lpulFlags); }
STDMETHODIMP GatedMsgStore::AbortSubmit(ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulFlags) {
  return Forward(&IMsgStore::AbortSubmit, cbEntryID, lpEntryID, ulFlags);
}
STDMETHODIMP GatedMsgStore::GetOutgoingQueue(ULONG ulFlags, LPMAPITABLE FAR* lppTable) {
  return HandBack(Forward(&IMsgStore::GetOutgoingQueue, ulFlags, lppTable), IID_IMAPITable, reinterpret_cast<void**>(lppTable));
}
STDMETHODIMP GatedMsgStore::SetLockState(LPMESSAGE lpMessage, ULONG ulLockState) {
  return Forward(&IMsgStore::SetLockState, lpMessage, ulLockState);
}
STDMETHODIMP GatedMsgStore::FinishedMsg(ULONG ulFlags, ULONG cbEntryID, LPENTRYID lpEntryID) {
  return Forward(&IMsgStore::FinishedMsg, ulFlags, cbEntryID, lpEntryID);
}
STDMETHODIMP GatedMsgStore::NotifyNewMail(LPNOTIFICATION lpNotification) {
  return Forward(&IMsgStore::NotifyNewMail, lpNotification);
}

}  // namespace

void* NewGatedMsgStore(const Gate& gate, IMsgStore* inner) { return static_cast<IMsgStore*>(new GatedMsgStore(gate, inner)); }

}  // namespace mapishut
