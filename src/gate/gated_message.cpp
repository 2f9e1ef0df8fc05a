// IMessage, IAttach and plain IMAPIProp objects through the gate.
#include "gated_prop.h"

namespace mapishut {
namespace {

class GatedMessage final : public GatedProp<GatedMessage, IMessage> {
 public:
  using GatedProp::GatedProp;
  MAPI_IMESSAGE_METHODS(IMPL)
};

STDMETHODIMP GatedMessage::GetAttachmentTable(ULONG ulFlags, LPMAPITABLE FAR* lppTable) {
  return HandBack(Forward(&IMessage::GetAttachmentTable, ulFlags, lppTable), IID_IMAPITable, reinterpret_cast<void**>(lppTable));
}
STDMETHODIMP GatedMessage::OpenAttach(ULONG ulAttachmentNum, LPCIID lpInterface, ULONG ulFlags, LPATTACH FAR* lppAttach) {
  return HandBack(Forward(&IMessage::OpenAttach, ulAttachmentNum, lpInterface, ulFlags, lppAttach), IID_IAttachment,
                  reinterpret_cast<void**>(lppAttach));
}
STDMETHODIMP GatedMessage::CreateAttach(LPCIID lpInterface, ULONG ulFlags, ULONG FAR* lpulAttachmentNum, LPATTACH FAR* lppAttach) {
  return HandBack(Forward(&IMessage::CreateAttach, lpInterface, ulFlags, lpulAttachmentNum, lppAttach), IID_IAttachment,
                  reinterpret_cast<void**>(lppAttach));
}
STDMETHODIMP GatedMessage::DeleteAttach(ULONG ulAttachmentNum, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, ULONG ulFlags) {
  return Forward(&IMessage::DeleteAttach, ulAttachmentNum, ulUIParam, lpProgress, ulFlags);
}
STDMETHODIMP GatedMessage::GetRecipientTable(ULONG ulFlags, LPMAPITABLE FAR* lppTable) {
  return HandBack(Forward(&IMessage::GetRecipientTable, ulFlags, lppTable), IID_IMAPITable, reinterpret_cast<void**>(lppTable));
}
STDMETHODIMP GatedMessage::ModifyRecipients(ULONG ulFlags, LPADRLIST lpMods) {
  return Forward(&IMessage::ModifyRecipients, ulFlags, lpMods);
}
STDMETHODIMP GatedMessage::SubmitMessage(ULONG ulFlags) { return Forward(&IMessage::SubmitMessage, ulFlags); }
STDMETHODIMP GatedMessage::SetReadFlag(ULONG ulFlags) { return Forward(&IMessage::SetReadFlag, ulFlags); }

// IAttach adds nothing to IMAPIProp (MAPI_IATTACH_METHODS is empty); IProfSect neither.
class GatedAttach final : public GatedProp<GatedAttach, IAttach> {
 public:
  using GatedProp::GatedProp;
};

class GatedPlainProp final : public GatedProp<GatedPlainProp, IMAPIProp> {
 public:
  using GatedProp::GatedProp;
};

}  // namespace

void* NewGatedMessage(const Gate& gate, IMessage* inner) { return static_cast<IMessage*>(new GatedMessage(gate, inner)); }
void* NewGatedAttach(const Gate& gate, IAttach* inner) { return static_cast<IAttach*>(new GatedAttach(gate, inner)); }
void* NewGatedProp(const Gate& gate, IMAPIProp* inner) { return static_cast<IMAPIProp*>(new GatedPlainProp(gate, inner)); }

}  // namespace mapishut
