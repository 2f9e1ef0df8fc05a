// IMAPITable through the gate: contents, hierarchy, attachment, recipient and outgoing-queue
// tables of providers, and the session's own stores table.
#include "gated_prop.h"

namespace mapishut {
namespace {

class GatedTable final : public Gated<GatedTable, IMAPITable> {
 public:
  using Gated::Gated;
  MAPI_IMAPITABLE_METHODS(IMPL)
};

STDMETHODIMP GatedTable::GetLastError(HRESULT hResult, ULONG ulFlags, LPMAPIERROR FAR* lppMAPIError) {
  return Forward(&IMAPITable::GetLastError, hResult, ulFlags, lppMAPIError);
}
STDMETHODIMP GatedTable::Advise(ULONG ulEventMask, LPMAPIADVISESINK lpAdviseSink, ULONG_PTR FAR* lpulConnection) {
  return Forward(&IMAPITable::Advise, ulEventMask, lpAdviseSink, lpulConnection);
}
STDMETHODIMP GatedTable::Unadvise(ULONG_PTR ulConnection) { return Forward(&IMAPITable::Unadvise, ulConnection); }
STDMETHODIMP GatedTable::GetStatus(ULONG FAR* lpulTableStatus, ULONG FAR* lpulTableType) {
  return Forward(&IMAPITable::GetStatus, lpulTableStatus, lpulTableType);
}
STDMETHODIMP GatedTable::SetColumns(LPSPropTagArray lpPropTagArray, ULONG ulFlags) {
  return Forward(&IMAPITable::SetColumns, lpPropTagArray, ulFlags);
}
STDMETHODIMP GatedTable::QueryColumns(ULONG ulFlags, LPSPropTagArray FAR* lpPropTagArray) {
  return Forward(&IMAPITable::QueryColumns, ulFlags, lpPropTagArray);
}
STDMETHODIMP GatedTable::GetRowCount(ULONG ulFlags, ULONG FAR* lpulCount) { return Forward(&IMAPITable::GetRowCount, ulFlags, lpulCount); }
STDMETHODIMP GatedTable::SeekRow(BOOKMARK bkOrigin, LONG lRowCount, LONG FAR* lplRowsSought) {
  return Forward(&IMAPITable::SeekRow, bkOrigin, lRowCount, lplRowsSought);
}
STDMETHODIMP GatedTable::SeekRowApprox(ULONG ulNumerator, ULONG ulDenominator) {
  return Forward(&IMAPITable::SeekRowApprox, ulNumerator, ulDenominator);
}
STDMETHODIMP GatedTable::QueryPosition(ULONG FAR* lpulRow, ULONG FAR* lpulNumerator, ULONG FAR* lpulDenominator) {
  return Forward(&IMAPITable::QueryPosition, lpulRow, lpulNumerator, lpulDenominator);
}
STDMETHODIMP GatedTable::FindRow(LPSRestriction lpRestriction, BOOKMARK bkOrigin, ULONG ulFlags) {
  return Forward(&IMAPITable::FindRow, lpRestriction, bkOrigin, ulFlags);
}
STDMETHODIMP GatedTable::Restrict(LPSRestriction lpRestriction, ULONG ulFlags) {
  return Forward(&IMAPITable::Restrict, lpRestriction, ulFlags);
}
STDMETHODIMP GatedTable::CreateBookmark(BOOKMARK FAR* lpbkPosition) { return Forward(&IMAPITable::CreateBookmark, lpbkPosition); }
STDMETHODIMP GatedTable::FreeBookmark(BOOKMARK bkPosition) { return Forward(&IMAPITable::FreeBookmark, bkPosition); }
STDMETHODIMP GatedTable::SortTable(LPSSortOrderSet lpSortCriteria, ULONG ulFlags) {
  return Forward(&IMAPITable::SortTable, lpSortCriteria, ulFlags);
}
STDMETHODIMP GatedTable::QuerySortOrder(LPSSortOrderSet FAR* lppSortCriteria) {
  return Forward(&IMAPITable::QuerySortOrder, lppSortCriteria);
}
STDMETHODIMP GatedTable::QueryRows(LONG lRowCount, ULONG ulFlags, LPSRowSet FAR* lppRows) {
  return Forward(&IMAPITable::QueryRows, lRowCount, ulFlags, lppRows);
}
STDMETHODIMP GatedTable::Abort() { return Forward(&IMAPITable::Abort); }
STDMETHODIMP GatedTable::ExpandRow(ULONG cbInstanceKey, LPBYTE pbInstanceKey, ULONG ulRowCount, ULONG ulFlags, LPSRowSet FAR* lppRows,
                                   ULONG FAR* lpulMoreRows) {
  return Forward(&IMAPITable::ExpandRow, cbInstanceKey, pbInstanceKey, ulRowCount, ulFlags, lppRows, lpulMoreRows);
}
STDMETHODIMP GatedTable::CollapseRow(ULONG cbInstanceKey, LPBYTE pbInstanceKey, ULONG ulFlags, ULONG FAR* lpulRowCount) {
  return Forward(&IMAPITable::CollapseRow, cbInstanceKey, pbInstanceKey, ulFlags, lpulRowCount);
}
STDMETHODIMP GatedTable::WaitForCompletion(ULONG ulFlags, ULONG ulTimeout, ULONG FAR* lpulTableStatus) {
  return Forward(&IMAPITable::WaitForCompletion, ulFlags, ulTimeout, lpulTableStatus);
}
STDMETHODIMP GatedTable::GetCollapseState(ULONG ulFlags, ULONG cbInstanceKey, LPBYTE lpbInstanceKey, ULONG FAR* lpcbCollapseState,
                                          LPBYTE FAR* lppbCollapseState) {
  return Forward(&IMAPITable::GetCollapseState, ulFlags, cbInstanceKey, lpbInstanceKey, lpcbCollapseState, lppbCollapseState);
}
STDMETHODIMP GatedTable::SetCollapseState(ULONG ulFlags, ULONG cbCollapseState, LPBYTE pbCollapseState, BOOKMARK FAR* lpbkLocation) {
  return Forward(&IMAPITable::SetCollapseState, ulFlags, cbCollapseState, pbCollapseState, lpbkLocation);
}

}  // namespace

void* NewGatedTable(const Gate& gate, IMAPITable* inner) { return static_cast<IMAPITable*>(new GatedTable(gate, inner)); }

}  // namespace mapishut
