#include "provider_status.h"

#include <mapicode.h>
#include <mapispi.h>
#include <mapitags.h>

#include <algorithm>

namespace mapishut {

HRESULT ProviderStatus::Modify(ULONG count, const SPropValue* values, ULONG flags) {
  if (count > 0 && values == nullptr) return MAPI_E_INVALID_PARAMETER;
  std::vector<TableValue> given;
  for (ULONG i = 0; i < count; ++i) {
    const SPropValue& v = values[i];
    const ULONG id = PROP_ID(v.ulPropTag);
    if (id == PROP_ID(PR_ROWID) || id == PROP_ID(PR_INSTANCE_KEY) || id == PROP_ID(PR_OBJECT_TYPE) ||
        id == PROP_ID(PR_RESOURCE_TYPE)) {
      continue;  // the session's: a row's identity and kind are not the provider's to change
    }
    switch (PROP_TYPE(v.ulPropTag)) {
      case PT_LONG: given.push_back(TableValue::Long(v.ulPropTag, v.Value.l)); break;
      case PT_STRING8: given.push_back(TableValue::String8(v.ulPropTag, v.Value.lpszA ? v.Value.lpszA : "")); break;
      default: return MAPI_E_INVALID_PARAMETER;
    }
  }
  std::lock_guard lock(mutex_);
  if ((flags & STATUSROW_UPDATE) == 0) values_.clear();
  for (TableValue& v : given) {
    auto same = std::find_if(values_.begin(), values_.end(), [&](const TableValue& kept) { return kept.tag == v.tag; });
    if (same != values_.end()) {
      *same = std::move(v);
    } else {
      values_.push_back(std::move(v));
    }
  }
  return S_OK;
}

void ProviderStatus::ApplyTo(TableRow* row) const {
  std::lock_guard lock(mutex_);
  for (const TableValue& v : values_) {
    auto same = std::find_if(row->begin(), row->end(), [&](const TableValue& cell) { return cell.tag == v.tag; });
    if (same != row->end()) {
      *same = v;
    } else {
      row->push_back(v);
    }
  }
}

}  // namespace mapishut
