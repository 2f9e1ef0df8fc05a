// IMAPIProp through the gate: the methods every property object shares (message stores, folders,
// messages, attachments, profile sections, address book entries). Declared from Microsoft's
// MAPI_IMAPIPROP_METHODS.
#pragma once

#include <mapiguid.h>

#include "gated_object.h"

namespace mapishut {

template <typename Derived, typename Interface>
class GatedProp : public Gated<Derived, Interface> {
 public:
  using Gated<Derived, Interface>::Gated;
  MAPI_IMAPIPROP_METHODS(IMPL)
};

#define MAPISHUT_GATED_PROP template <typename Derived, typename Interface> STDMETHODIMP GatedProp<Derived, Interface>::

MAPISHUT_GATED_PROP GetLastError(HRESULT hResult, ULONG ulFlags, LPMAPIERROR FAR* lppMAPIError) {
  return this->Forward(&IMAPIProp::GetLastError, hResult, ulFlags, lppMAPIError);
}
MAPISHUT_GATED_PROP SaveChanges(ULONG ulFlags) { return this->Forward(&IMAPIProp::SaveChanges, ulFlags); }
MAPISHUT_GATED_PROP GetProps(LPSPropTagArray lpPropTagArray, ULONG ulFlags, ULONG FAR* lpcValues, LPSPropValue FAR* lppPropArray) {
  return this->Forward(&IMAPIProp::GetProps, lpPropTagArray, ulFlags, lpcValues, lppPropArray);
}
MAPISHUT_GATED_PROP GetPropList(ULONG ulFlags, LPSPropTagArray FAR* lppPropTagArray) {
  return this->Forward(&IMAPIProp::GetPropList, ulFlags, lppPropTagArray);
}
MAPISHUT_GATED_PROP OpenProperty(ULONG ulPropTag, LPCIID lpiid, ULONG ulInterfaceOptions, ULONG ulFlags, LPUNKNOWN FAR* lppUnk) {
  const HRESULT hr = this->Forward(&IMAPIProp::OpenProperty, ulPropTag, lpiid, ulInterfaceOptions, ulFlags, lppUnk);
  return this->HandBackAsked(hr, lpiid, IID_IUnknown, reinterpret_cast<void**>(lppUnk));
}
MAPISHUT_GATED_PROP SetProps(ULONG cValues, LPSPropValue lpPropArray, LPSPropProblemArray FAR* lppProblems) {
  return this->Forward(&IMAPIProp::SetProps, cValues, lpPropArray, lppProblems);
}
MAPISHUT_GATED_PROP DeleteProps(LPSPropTagArray lpPropTagArray, LPSPropProblemArray FAR* lppProblems) {
  return this->Forward(&IMAPIProp::DeleteProps, lpPropTagArray, lppProblems);
}
MAPISHUT_GATED_PROP CopyTo(ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps, ULONG_PTR ulUIParam,
                           LPMAPIPROGRESS lpProgress, LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
                           LPSPropProblemArray FAR* lppProblems) {
  return this->Forward(&IMAPIProp::CopyTo, ciidExclude, rgiidExclude, lpExcludeProps, ulUIParam, lpProgress, lpInterface,
                       lpDestObj, ulFlags, lppProblems);
}
MAPISHUT_GATED_PROP CopyProps(LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam, LPMAPIPROGRESS lpProgress, LPCIID lpInterface,
                              LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray FAR* lppProblems) {
  return this->Forward(&IMAPIProp::CopyProps, lpIncludeProps, ulUIParam, lpProgress, lpInterface, lpDestObj, ulFlags, lppProblems);
}
MAPISHUT_GATED_PROP GetNamesFromIDs(LPSPropTagArray FAR* lppPropTags, LPGUID lpPropSetGuid, ULONG ulFlags, ULONG FAR* lpcPropNames,
                                    LPMAPINAMEID FAR* FAR* lpppPropNames) {
  return this->Forward(&IMAPIProp::GetNamesFromIDs, lppPropTags, lpPropSetGuid, ulFlags, lpcPropNames, lpppPropNames);
}
MAPISHUT_GATED_PROP GetIDsFromNames(ULONG cPropNames, LPMAPINAMEID FAR* lppPropNames, ULONG ulFlags, LPSPropTagArray FAR* lppPropTags) {
  return this->Forward(&IMAPIProp::GetIDsFromNames, cPropNames, lppPropNames, ulFlags, lppPropTags);
}

#undef MAPISHUT_GATED_PROP

// The factories gate.cpp dispatches to; each adopts `inner`.
void* NewGatedProp(const Gate& gate, IMAPIProp* inner);
void* NewGatedMsgStore(const Gate& gate, IMsgStore* inner);
void* NewGatedFolder(const Gate& gate, IMAPIFolder* inner);
void* NewGatedMessage(const Gate& gate, IMessage* inner);
void* NewGatedAttach(const Gate& gate, IAttach* inner);
void* NewGatedTable(const Gate& gate, IMAPITable* inner);
void* NewGatedStream(const Gate& gate, IStream* inner);
void* NewGatedABContainer(const Gate& gate, IABContainer* inner);
void* NewGatedDistList(const Gate& gate, IDistList* inner);
void* NewGatedMailUser(const Gate& gate, IMailUser* inner);

}  // namespace mapishut
