// IMAPIFolder through the gate (the IMAPIContainer methods it inherits: gated_container.h).
#include "gated_container.h"

namespace mapishut {
namespace {

class GatedFolder final : public GatedContainer<GatedFolder, IMAPIFolder> {
 public:
  using GatedContainer::GatedContainer;
  MAPI_IMAPIFOLDER_METHODS(IMPL)
};

STDMETHODIMP GatedFolder::CreateMessage(LPCIID lpInterface, ULONG ulFlags, LPMESSAGE FAR* lppMessage) {
  return HandBackAsked(Forward(&IMAPIFolder::CreateMessage, lpInterface, ulFlags, lppMessage), lpInterface, IID_IMessage,
                       reinterpret_cast<void**>(lppMessage));
}
STDMETHODIMP GatedFolder::CopyMessages(LPENTRYLIST lpMsgList, LPCIID lpInterface, LPVOID lpDestFolder, ULONG_PTR ulUIParam,
                                       LPMAPIPROGRESS lpProgress, ULONG ulFlags) {
  return Forward(&IMAPIFolder::CopyMessages, lpMsgList, lpInterface, lpDestFolder, ulUIParam, lpProgress, ulFlags);
}
STDMETHODIMP GatedFolder::DeleteMessages(LPENTRYLIST lpMsgList, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags) {
  return Forward(&IMAPIFolder::DeleteMessages, lpMsgList, ulUIParam, lpProgress, ulFlags);
}
STDMETHODIMP GatedFolder::CreateFolder(ULONG ulFolderType, LPTSTR lpszFolderName, LPTSTR lpszFolderComment, LPCIID lpInterface,
                                       ULONG ulFlags, LPMAPIFOLDER FAR* lppFolder) {
  return HandBackAsked(
      Forward(&IMAPIFolder::CreateFolder, ulFolderType, lpszFolderName, lpszFolderComment, lpInterface, ulFlags, lppFolder),
      lpInterface, IID_IMAPIFolder, reinterpret_cast<void**>(lppFolder));
}
STDMETHODIMP GatedFolder::CopyFolder(ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, LPVOID lpDestFolder,
                                     LPTSTR lpszNewFolderName, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags) {
  return Forward(&IMAPIFolder::CopyFolder, cbEntryID, lpEntryID, lpInterface, lpDestFolder, lpszNewFolderName, ulUIParam, lpProgress,
                 ulFlags);
}
STDMETHODIMP GatedFolder::DeleteFolder(ULONG cbEntryID, LPENTRYID lpEntryID, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress,
                                       ULONG ulFlags) {
  return Forward(&IMAPIFolder::DeleteFolder, cbEntryID, lpEntryID, ulUIParam, lpProgress, ulFlags);
}
STDMETHODIMP GatedFolder::SetReadFlags(LPENTRYLIST lpMsgList, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags) {
  return Forward(&IMAPIFolder::SetReadFlags, lpMsgList, ulUIParam, lpProgress, ulFlags);
}
STDMETHODIMP GatedFolder::GetMessageStatus(ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulFlags, ULONG FAR* lpulMessageStatus) {
  return Forward(&IMAPIFolder::GetMessageStatus, cbEntryID, lpEntryID, ulFlags, lpulMessageStatus);
}
STDMETHODIMP GatedFolder::SetMessageStatus(ULONG cbEntryID, LPENTRYID lpEntryID, ULONG ulNewStatus, ULONG ulNewStatusMask,
                                           ULONG FAR* lpulOldStatus) {
  return Forward(&IMAPIFolder::SetMessageStatus, cbEntryID, lpEntryID, ulNewStatus, ulNewStatusMask, lpulOldStatus);
}
STDMETHODIMP GatedFolder::SaveContentsSort(LPSSortOrderSet lpSortCriteria, ULONG ulFlags) {
  return Forward(&IMAPIFolder::SaveContentsSort, lpSortCriteria, ulFlags);
}
STDMETHODIMP GatedFolder::EmptyFolder(ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags) {
  return Forward(&IMAPIFolder::EmptyFolder, ulUIParam, lpProgress, ulFlags);
}

}  // namespace

void* NewGatedFolder(const Gate& gate, IMAPIFolder* inner) { return static_cast<IMAPIFolder*>(new GatedFolder(gate, inner)); }

}  // namespace mapishut
