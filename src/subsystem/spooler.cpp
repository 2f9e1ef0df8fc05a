#include "spooler.h"

#include <mapicode.h>
#include <mapiguid.h>
#include <mapitags.h>
#include <mapiutil.h>

#include <cstdio>
#include "mapishut/result.h"

namespace mapishut {
SpoolResult DeliverOutgoing(IMsgStore* store, const std::vector<IXPLogon*>& transports) {
  SpoolResult result;
  com_ptr<IMAPITable> queue;
  HRESULT hr = store->GetOutgoingQueue(0, queue.put());
  if (FAILED(hr)) {
    result.problems.push_back("GetOutgoingQueue returned " + HexCode(hr));
    return result;
  }
  SizedSPropTagArray(1, columns) = {1, {PR_ENTRYID}};
  LPSRowSet rows = nullptr;
  hr = HrQueryAllRows(queue.get(), reinterpret_cast<LPSPropTagArray>(&columns), nullptr, nullptr, 0, &rows);
  if (FAILED(hr)) {
    result.problems.push_back("reading the outgoing queue returned " + HexCode(hr));
    return result;
  }
  for (ULONG i = 0; i < rows->cRows; ++i) {
    const SPropValue& id = rows->aRow[i].lpProps[0];
    if (id.ulPropTag != PR_ENTRYID) continue;
    com_ptr<IMessage> message;
    ULONG type = 0;
    hr = store->OpenEntry(id.Value.bin.cb, reinterpret_cast<LPENTRYID>(id.Value.bin.lpb), &IID_IMessage, MAPI_MODIFY,
                          &type, message.put_as<IUnknown>());
    if (FAILED(hr) || !message) {
      result.problems.push_back("opening a queued message returned " + HexCode(hr));
      continue;
    }
    bool sent = false;
    for (const auto& xp : transports) {
      ULONG_PTR ref = 0, ret = 0;
      hr = xp->SubmitMessage(0, message.get(), &ref, &ret);
      if (hr == S_OK) {
        sent = true;
        break;
      }
      result.problems.push_back("a transport refused a message: SubmitMessage returned " + HexCode(hr));
    }
    if (!sent) continue;  // stays queued for the next notification
    message.reset();
    hr = store->FinishedMsg(0, id.Value.bin.cb, reinterpret_cast<LPENTRYID>(id.Value.bin.lpb));
    if (FAILED(hr)) result.problems.push_back("FinishedMsg returned " + HexCode(hr));
    ++result.delivered;
  }
  FreeProws(rows);
  return result;
}

}  // namespace mapishut
