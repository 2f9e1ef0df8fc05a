#include "mailbox.h"

#include <mapicode.h>
#include <mapitags.h>
#include <mapiutil.h>

#include "mapishut/result.h"

HRESULT OpenMailbox(IMAPISession* s, mapishut::com_ptr<IMsgStore>* store, mapishut::com_ptr<IMAPIFolder>* inbox) {
  mapishut::com_ptr<IMAPITable> table;
  RETURN_IF_FAILED_EXPECTED(s->GetMsgStoresTable(0, table.put()));
  SizedSPropTagArray(2, cols) = {2, {PR_ENTRYID, PR_DEFAULT_STORE}};
  LPSRowSet rows = nullptr;
  RETURN_IF_FAILED_EXPECTED(HrQueryAllRows(table.get(), reinterpret_cast<LPSPropTagArray>(&cols), nullptr, nullptr, 0, &rows));
  HRESULT hr = MAPI_E_NOT_FOUND;
  for (ULONG i = 0; i < rows->cRows && hr == MAPI_E_NOT_FOUND; ++i) {
    const SPropValue* p = rows->aRow[i].lpProps;
    if (p[1].ulPropTag == PR_DEFAULT_STORE && p[1].Value.b) {
      hr = s->OpenMsgStore(0, p[0].Value.bin.cb, reinterpret_cast<LPENTRYID>(p[0].Value.bin.lpb), nullptr, MAPI_BEST_ACCESS,
                           store->put());
    }
  }
  FreeProws(rows);
  RETURN_IF_FAILED_EXPECTED(hr);
  ULONG cb = 0, type = 0;
  LPENTRYID eid = nullptr;
  RETURN_IF_FAILED_EXPECTED((*store)->GetReceiveFolder(nullptr, 0, &cb, &eid, nullptr));
  hr = (*store)->OpenEntry(cb, eid, nullptr, MAPI_MODIFY, &type, inbox->put_as<IUnknown>());
  MAPIFreeBuffer(eid);
  return hr;
}
