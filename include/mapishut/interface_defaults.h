// Bases that give every method of a MAPI interface a body answering MAPI_E_NO_SUPPORT, so an
// implementation overrides only what it supports and every other vtable slot still answers.
// The interfaces themselves (mapidefs.h, mapispi.h) stay pure, as COM requires.
//
//   class Folder final : public mapishut::MAPIFolderDefaults<IMAPIFolder> { ... };
//
// IUnknown is left to the implementation (or mapishut::ComObject in logon_defaults.h).
#pragma once

#include <mapicode.h>
#include <mapidefs.h>
#include <mapispi.h>

namespace mapishut {

template <typename Interface>
class MAPIPropDefaults : public Interface {
 public:
  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SaveChanges(ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetProps(LPSPropTagArray, ULONG, ULONG FAR*, LPSPropValue FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetPropList(ULONG, LPSPropTagArray FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenProperty(ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetProps(ULONG, LPSPropValue, LPSPropProblemArray FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DeleteProps(LPSPropTagArray, LPSPropProblemArray FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CopyTo(ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CopyProps(LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetNamesFromIDs(LPSPropTagArray FAR*, LPGUID, ULONG, ULONG FAR*, LPMAPINAMEID FAR* FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetIDsFromNames(ULONG, LPMAPINAMEID FAR*, ULONG, LPSPropTagArray FAR*) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Interface>
class MAPIContainerDefaults : public MAPIPropDefaults<Interface> {
 public:
  STDMETHODIMP GetContentsTable(ULONG, LPMAPITABLE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetHierarchyTable(ULONG, LPMAPITABLE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG FAR*, LPUNKNOWN FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetSearchCriteria(LPSRestriction, LPENTRYLIST, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetSearchCriteria(ULONG, LPSRestriction FAR*, LPENTRYLIST FAR*, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Interface>
class MAPIFolderDefaults : public MAPIContainerDefaults<Interface> {
 public:
  STDMETHODIMP CreateMessage(LPCIID, ULONG, LPMESSAGE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CopyMessages(LPENTRYLIST, LPCIID, LPVOID, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DeleteMessages(LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CreateFolder(ULONG, LPTSTR, LPTSTR, LPCIID, ULONG, LPMAPIFOLDER FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CopyFolder(ULONG, LPENTRYID, LPCIID, LPVOID, LPTSTR, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DeleteFolder(ULONG, LPENTRYID, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetReadFlags(LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetMessageStatus(ULONG, LPENTRYID, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetMessageStatus(ULONG, LPENTRYID, ULONG, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SaveContentsSort(LPSSortOrderSet, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP EmptyFolder(ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Interface>
class ABContainerDefaults : public MAPIContainerDefaults<Interface> {
 public:
  STDMETHODIMP CreateEntry(ULONG, LPENTRYID, ULONG, LPMAPIPROP FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CopyEntries(LPENTRYLIST, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DeleteEntries(LPENTRYLIST, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP ResolveNames(LPSPropTagArray, ULONG, LPADRLIST, LPFlagList) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Interface>
class MsgStoreDefaults : public MAPIPropDefaults<Interface> {
 public:
  STDMETHODIMP Advise(ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Unadvise(ULONG_PTR) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CompareEntryIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG FAR*, LPUNKNOWN FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetReceiveFolder(LPTSTR, ULONG, ULONG, LPENTRYID) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetReceiveFolder(LPTSTR, ULONG, ULONG FAR*, LPENTRYID FAR*, LPTSTR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetReceiveFolderTable(ULONG, LPMAPITABLE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP StoreLogoff(ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP AbortSubmit(ULONG, LPENTRYID, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetOutgoingQueue(ULONG, LPMAPITABLE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetLockState(LPMESSAGE, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP FinishedMsg(ULONG, ULONG, LPENTRYID) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP NotifyNewMail(LPNOTIFICATION) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Interface>
class MessageDefaults : public MAPIPropDefaults<Interface> {
 public:
  STDMETHODIMP GetAttachmentTable(ULONG, LPMAPITABLE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenAttach(ULONG, LPCIID, ULONG, LPATTACH FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CreateAttach(LPCIID, ULONG, ULONG FAR*, LPATTACH FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DeleteAttach(ULONG, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetRecipientTable(ULONG, LPMAPITABLE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP ModifyRecipients(ULONG, LPADRLIST) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SubmitMessage(ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetReadFlag(ULONG) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Interface>
class MailUserDefaults : public MAPIPropDefaults<Interface> {
 public:
};

template <typename Interface>
class MAPIStatusDefaults : public MAPIPropDefaults<Interface> {
 public:
  STDMETHODIMP ValidateState(ULONG_PTR, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SettingsDialog(ULONG_PTR, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP ChangePassword(LPTSTR, LPTSTR, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP FlushQueues(ULONG_PTR, ULONG, LPENTRYID, ULONG) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Interface>
class MAPISupportDefaults : public Interface {
 public:
  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetMemAllocRoutines(LPALLOCATEBUFFER FAR*, LPALLOCATEMORE FAR*, LPFREEBUFFER FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Subscribe(LPNOTIFKEY, ULONG, ULONG, LPMAPIADVISESINK, ULONG_PTR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Unsubscribe(ULONG_PTR) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Notify(LPNOTIFKEY, ULONG, LPNOTIFICATION, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP ModifyStatusRow(ULONG, LPSPropValue, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenProfileSection(LPMAPIUID, ULONG, LPPROFSECT FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP RegisterPreprocessor(LPMAPIUID, LPTSTR, LPTSTR, LPSTR, LPSTR, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP NewUID(LPMAPIUID) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP MakeInvalid(ULONG, LPVOID, ULONG, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SpoolerYield(ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SpoolerNotify(ULONG, LPVOID) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CreateOneOff(LPTSTR, LPTSTR, LPTSTR, ULONG, ULONG FAR*, LPENTRYID FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetProviderUID(LPMAPIUID, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CompareEntryIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenTemplateID(ULONG, LPENTRYID, ULONG, LPMAPIPROP, LPCIID, LPMAPIPROP FAR*, LPMAPIPROP) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG FAR*, LPUNKNOWN FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetOneOffTable(ULONG, LPMAPITABLE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Address(ULONG_PTR FAR*, LPADRPARM, LPADRLIST FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Details(ULONG_PTR FAR*, LPFNDISMISS, LPVOID, ULONG, LPENTRYID, LPFNBUTTON, LPVOID, LPTSTR, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP NewEntry(ULONG_PTR, ULONG, ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG FAR*, LPENTRYID FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DoConfigPropsheet(ULONG_PTR, ULONG, LPTSTR, LPMAPITABLE, LPMAPIPROP, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CopyMessages(LPCIID, LPVOID, LPENTRYLIST, LPCIID, LPVOID, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CopyFolder(LPCIID, LPVOID, ULONG, LPENTRYID, LPCIID, LPVOID, LPTSTR, ULONG_PTR, LPMAPIPROGRESS, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DoCopyTo(LPCIID, LPVOID, ULONG, LPCIID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DoCopyProps(LPCIID, LPVOID, LPSPropTagArray, ULONG_PTR, LPMAPIPROGRESS, LPCIID, LPVOID, ULONG, LPSPropProblemArray FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DoProgressDialog(ULONG_PTR, ULONG, LPMAPIPROGRESS FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP ReadReceipt(ULONG, LPMESSAGE, LPMESSAGE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP PrepareSubmit(LPMESSAGE, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP ExpandRecips(LPMESSAGE, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP UpdatePAB(ULONG, LPMESSAGE) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP DoSentMail(ULONG, LPMESSAGE) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP OpenAddressBook(LPCIID, ULONG, LPADRBOOK FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Preprocess(ULONG, ULONG, LPENTRYID) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CompleteMsg(ULONG, ULONG, LPENTRYID) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP StoreLogoffTransports(ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP StatusRecips(LPMESSAGE, LPADRLIST) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP WrapStoreEntryID(ULONG, LPENTRYID, ULONG FAR*, LPENTRYID FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP ModifyProfile(ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP IStorageFromStream(LPUNKNOWN, LPCIID, ULONG, LPSTORAGE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetSvcConfigSupportObj(ULONG, LPMAPISUP FAR*) override { return MAPI_E_NO_SUPPORT; }
};

}  // namespace mapishut
