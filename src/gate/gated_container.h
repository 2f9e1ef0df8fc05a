// IMAPIContainer through the gate: the methods a message store's folders and an address book's
// containers and distribution lists share. Declared from Microsoft's MAPI_IMAPICONTAINER_METHODS.
#pragma once

#include "gated_prop.h"

namespace mapishut {

template <typename Derived, typename Interface>
class GatedContainer : public GatedProp<Derived, Interface> {
 public:
  using GatedProp<Derived, Interface>::GatedProp;
  MAPI_IMAPICONTAINER_METHODS(IMPL)
};

#define MAPISHUT_GATED_CONTAINER template <typename Derived, typename Interface> STDMETHODIMP GatedContainer<Derived, Interface>::

MAPISHUT_GATED_CONTAINER GetContentsTable(ULONG ulFlags, LPMAPITABLE FAR* lppTable) {
  return this->HandBack(this->Forward(&Interface::GetContentsTable, ulFlags, lppTable), IID_IMAPITable,
                        reinterpret_cast<void**>(lppTable));
}
MAPISHUT_GATED_CONTAINER GetHierarchyTable(ULONG ulFlags, LPMAPITABLE FAR* lppTable) {
  return this->HandBack(this->Forward(&Interface::GetHierarchyTable, ulFlags, lppTable), IID_IMAPITable,
                        reinterpret_cast<void**>(lppTable));
}
MAPISHUT_GATED_CONTAINER OpenEntry(ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags, ULONG FAR* lpulObjType,
                                   LPUNKNOWN FAR* lppUnk) {
  return this->HandBackEntry(this->Forward(&Interface::OpenEntry, cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk),
                             lpInterface, lpulObjType, lppUnk);
}
MAPISHUT_GATED_CONTAINER SetSearchCriteria(LPSRestriction lpRestriction, LPENTRYLIST lpContainerList, ULONG ulSearchFlags) {
  return this->Forward(&Interface::SetSearchCriteria, lpRestriction, lpContainerList, ulSearchFlags);
}
MAPISHUT_GATED_CONTAINER GetSearchCriteria(ULONG ulFlags, LPSRestriction FAR* lppRestriction, LPENTRYLIST FAR* lppContainerList,
                                           ULONG FAR* lpulSearchState) {
  return this->Forward(&Interface::GetSearchCriteria, ulFlags, lppRestriction, lppContainerList, lpulSearchState);
}

#undef MAPISHUT_GATED_CONTAINER

}  // namespace mapishut
