// The path a real MAPI client takes to its data (SPEC.md, "How clients reach their data").
#pragma once

#include <mapiguid.h>
#include <mapitags.h>
#include <mapiutil.h>

#include "mapishut/com_ptr.h"
#include "mapishut/result.h"

namespace mapishut::test {

// The default store of the session: GetMsgStoresTable, the row with PR_DEFAULT_STORE, OpenMsgStore.
inline HRESULT OpenDefaultStore(IMAPISession* session, com_ptr<IMsgStore>* store) {
  com_ptr<IMAPITable> table;
  RETURN_IF_FAILED_EXPECTED(session->GetMsgStoresTable(0, table.put()));
  SizedSPropTagArray(2, cols) = {2, {PR_ENTRYID, PR_DEFAULT_STORE}};
  LPSRowSet rows = nullptr;
  RETURN_IF_FAILED_EXPECTED(HrQueryAllRows(table.get(), reinterpret_cast<LPSPropTagArray>(&cols), nullptr, nullptr, 0, &rows));
  HRESULT hr = MAPI_E_NOT_FOUND;
  for (ULONG i = 0; i < rows->cRows; ++i) {
    const SPropValue* p = rows->aRow[i].lpProps;
    if (p[1].ulPropTag == PR_DEFAULT_STORE && p[1].Value.b) {
      hr = session->OpenMsgStore(0, p[0].Value.bin.cb, reinterpret_cast<LPENTRYID>(p[0].Value.bin.lpb), nullptr,
                                 MAPI_BEST_ACCESS, store->put());
    }
  }
  FreeProws(rows);
  return hr;
}

// The receive folder: GetReceiveFolder, then OpenEntry.
inline HRESULT OpenInbox(IMsgStore* store, com_ptr<IMAPIFolder>* folder) {
  ULONG cb = 0;
  LPENTRYID eid = nullptr;
  RETURN_IF_FAILED_EXPECTED(store->GetReceiveFolder(nullptr, 0, &cb, &eid, nullptr));
  ULONG type = 0;
  const HRESULT hr = store->OpenEntry(cb, eid, &IID_IMAPIFolder, MAPI_MODIFY, &type, folder->put_as<IUnknown>());
  MAPIFreeBuffer(eid);
  return hr == S_OK && type != MAPI_FOLDER ? MAPI_E_CALL_FAILED : hr;
}

}  // namespace mapishut::test
