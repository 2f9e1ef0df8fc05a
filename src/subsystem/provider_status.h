// A provider's row of the status table, as it sets it through IMAPISupport::ModifyStatusRow: the
// values it gave (its status code, the text that says why), laid over the row the session makes
// for it (Session::GetStatusTable). MAPI's way for a provider to tell the client about something
// no call of the client's is waiting for: a background download that stopped, say.
#pragma once

#include <mapidefs.h>

#include <mutex>
#include <vector>

#include "mapishut/row_table.h"

namespace mapishut {

class ProviderStatus {
 public:
  // ModifyStatusRow's work: the values replace the ones set before, or with STATUSROW_UPDATE are
  // merged into them (a tag set again takes its new value). Long and 8-bit string values only:
  // MAPI_E_INVALID_PARAMETER for another type, and nothing changes. The columns MAPI computes
  // (PR_ROWID, PR_INSTANCE_KEY, PR_OBJECT_TYPE, PR_RESOURCE_TYPE) stay the session's: a
  // provider's value for one is passed over.
  HRESULT Modify(ULONG count, const SPropValue* values, ULONG flags);
  // Lays the values over `row`: a tag the row has is replaced, another is added.
  void ApplyTo(TableRow* row) const;

 private:
  mutable std::mutex mutex_;
  std::vector<TableValue> values_;
};

}  // namespace mapishut
