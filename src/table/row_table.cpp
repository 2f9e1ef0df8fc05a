#include "mapishut/row_table.h"

#include <mapicode.h>
#include <mapiguid.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include "mapishut/com_object.h"
#include "mapishut/result.h"

namespace mapishut {

HRESULT CopyTableValue(const TableValue& v, SPropValue* prop, LPALLOCATEMORE allocate_more, void* parent) {
  prop->ulPropTag = v.tag;
  prop->dwAlignPad = 0;
  auto bytes = [&](const void* data, size_t n, void** out) -> HRESULT {
    RETURN_IF_FAILED(allocate_more(static_cast<ULONG>(n ? n : 1), parent, out));
    if (n) std::memcpy(*out, data, n);
    return S_OK;
  };
  switch (v.value.index()) {
    case 0: prop->Value.l = std::get<LONG>(v.value); return S_OK;
    case 1: prop->Value.b = std::get<bool>(v.value) ? 1 : 0; return S_OK;
    case 2: prop->Value.li.QuadPart = std::get<LONGLONG>(v.value); return S_OK;
    case 3: prop->Value.ft = std::get<FILETIME>(v.value); return S_OK;
    case 4: {
      const auto& s = std::get<std::string>(v.value);
      void* p = nullptr;
      RETURN_IF_FAILED(bytes(s.c_str(), s.size() + 1, &p));
      prop->Value.lpszA = static_cast<LPSTR>(p);
      return S_OK;
    }
    case 5: {
      const auto& s = std::get<std::wstring>(v.value);
      void* p = nullptr;
      RETURN_IF_FAILED(bytes(s.c_str(), (s.size() + 1) * sizeof(wchar_t), &p));
      prop->Value.lpszW = static_cast<LPWSTR>(p);
      return S_OK;
    }
    default: {
      const auto& b = std::get<std::vector<BYTE>>(v.value);
      void* p = nullptr;
      RETURN_IF_FAILED(bytes(b.data(), b.size(), &p));
      prop->Value.bin.cb = static_cast<ULONG>(b.size());
      prop->Value.bin.lpb = static_cast<LPBYTE>(p);
      return S_OK;
    }
  }
}

HRESULT GetPropsFromValues(const std::vector<TableValue>& mine, LPSPropTagArray tags, LPALLOCATEBUFFER allocate_buffer,
                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG* count, LPSPropValue* out) {
  RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !count || !out);
  *out = nullptr;
  *count = 0;
  std::vector<ULONG> wanted;
  if (tags) {
    wanted.assign(tags->aulPropTag, tags->aulPropTag + tags->cValues);
  } else {
    for (const auto& v : mine) wanted.push_back(v.tag);
  }
  void* mem = nullptr;
  RETURN_IF_FAILED(allocate_buffer(static_cast<ULONG>(sizeof(SPropValue) * std::max<size_t>(wanted.size(), 1)), &mem));
  auto* values = static_cast<LPSPropValue>(mem);
  bool missing = false;
  for (size_t i = 0; i < wanted.size(); ++i) {
    auto it = std::find_if(mine.begin(), mine.end(), [&](const TableValue& v) { return v.tag == wanted[i]; });
    if (it == mine.end()) {
      values[i].ulPropTag = CHANGE_PROP_TYPE(wanted[i], PT_ERROR);
      values[i].Value.err = MAPI_E_NOT_FOUND;
      missing = true;
      continue;
    }
    const HRESULT hr = CopyTableValue(*it, &values[i], allocate_more, values);
    if (FAILED(hr)) {
      free_buffer(values);
      return hr;
    }
  }
  *count = static_cast<ULONG>(wanted.size());
  *out = values;
  return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

namespace {

class RowTable final : public ComObject<RowTable, IMAPITable> {
 public:
  explicit RowTable(RowTableOptions o) : options_(std::move(o)) {}

  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* e) override {
    if (e) *e = nullptr;
    return S_OK;
  }
  STDMETHODIMP Advise(ULONG, LPMAPIADVISESINK, ULONG_PTR FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Unadvise(ULONG_PTR) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP GetStatus(ULONG FAR* status, ULONG FAR* type) override {
    if (!status || !type) return MAPI_E_INVALID_PARAMETER;
    *status = TBLSTAT_COMPLETE;
    *type = TBLTYPE_DYNAMIC;
    return S_OK;
  }
  STDMETHODIMP SetColumns(LPSPropTagArray tags, ULONG) override {
    if (!tags) return MAPI_E_INVALID_PARAMETER;
    std::lock_guard lock(mutex_);
    columns_.assign(tags->aulPropTag, tags->aulPropTag + tags->cValues);
    columns_set_ = true;
    return S_OK;
  }
  STDMETHODIMP QueryColumns(ULONG, LPSPropTagArray FAR* out) override {
    try {
      if (!out) return MAPI_E_INVALID_PARAMETER;
      *out = nullptr;
      const std::vector<ULONG> cols = Columns(Rows());
      void* p = nullptr;
      RETURN_IF_FAILED(options_.allocate_buffer(static_cast<ULONG>(CbNewSPropTagArray(cols.size())), &p));
      auto* a = static_cast<LPSPropTagArray>(p);
      a->cValues = static_cast<ULONG>(cols.size());
      for (size_t i = 0; i < cols.size(); ++i) a->aulPropTag[i] = cols[i];
      *out = a;
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP GetRowCount(ULONG, ULONG FAR* count) override {
    try {
      if (!count) return MAPI_E_INVALID_PARAMETER;
      *count = static_cast<ULONG>(Rows().size());
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP SeekRow(BOOKMARK origin, LONG count, LONG FAR* sought) override {
    try {
      const LONG total = static_cast<LONG>(Rows().size());
      std::lock_guard lock(mutex_);
      LONG start = origin == BOOKMARK_BEGINNING ? 0 : origin == BOOKMARK_CURRENT ? position_ : origin == BOOKMARK_END ? total : -1;
      if (start < 0) return MAPI_E_INVALID_BOOKMARK;
      LONG target = std::min<LONG>(std::max<LONG>(start + count, 0), total);
      if (sought) *sought = target - start;
      position_ = target;
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP SeekRowApprox(ULONG num, ULONG den) override {
    try {
      if (den == 0) return MAPI_E_INVALID_PARAMETER;
      const ULONG total = static_cast<ULONG>(Rows().size());
      std::lock_guard lock(mutex_);
      position_ = static_cast<LONG>(static_cast<unsigned long long>(total) * num / den);
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP QueryPosition(ULONG FAR* row, ULONG FAR* num, ULONG FAR* den) override {
    try {
      if (!row || !num || !den) return MAPI_E_INVALID_PARAMETER;
      const ULONG total = static_cast<ULONG>(Rows().size());
      std::lock_guard lock(mutex_);
      *row = static_cast<ULONG>(position_);
      *num = static_cast<ULONG>(position_);
      *den = total ? total : 1;
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP FindRow(LPSRestriction, BOOKMARK, ULONG) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP Restrict(LPSRestriction r, ULONG) override { return r ? MAPI_E_NO_SUPPORT : S_OK; }
  STDMETHODIMP CreateBookmark(BOOKMARK FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP FreeBookmark(BOOKMARK) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SortTable(LPSSortOrderSet s, ULONG) override { return (s && s->cSorts) ? MAPI_E_NO_SUPPORT : S_OK; }
  STDMETHODIMP QuerySortOrder(LPSSortOrderSet FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP QueryRows(LONG count, ULONG flags, LPSRowSet FAR* out) override {
    try {
      if (!out || count == 0) return MAPI_E_INVALID_PARAMETER;
      *out = nullptr;
      const std::vector<TableRow> rows = Rows();
      const std::vector<ULONG> cols = Columns(rows);
      std::lock_guard lock(mutex_);
      const LONG total = static_cast<LONG>(rows.size());
      LONG begin = std::min(position_, total), end = begin;
      if (count > 0) {
        end = std::min(total, begin + count);
      } else {
        begin = std::max<LONG>(0, position_ + count);
        end = position_;
      }
      void* set_mem = nullptr;
      RETURN_IF_FAILED(options_.allocate_buffer(static_cast<ULONG>(CbNewSRowSet(std::max<LONG>(end - begin, 1))), &set_mem));
      auto* set = static_cast<LPSRowSet>(set_mem);
      set->cRows = 0;
      for (LONG r = begin; r < end; ++r) {
        void* props_mem = nullptr;
        HRESULT hr = options_.allocate_buffer(static_cast<ULONG>(sizeof(SPropValue) * std::max<size_t>(cols.size(), 1)), &props_mem);
        if (FAILED(hr)) return Free(set, hr);
        auto* props = static_cast<LPSPropValue>(props_mem);
        set->aRow[set->cRows].ulAdrEntryPad = 0;
        set->aRow[set->cRows].cValues = static_cast<ULONG>(cols.size());
        set->aRow[set->cRows].lpProps = props;
        ++set->cRows;
        for (size_t c = 0; c < cols.size(); ++c) {
          const TableValue* v = Find(rows[r], cols[c]);
          if (!v) {
            props[c].ulPropTag = CHANGE_PROP_TYPE(cols[c], PT_ERROR);
            props[c].Value.err = MAPI_E_NOT_FOUND;
            continue;
          }
          hr = CopyTableValue(*v, &props[c], options_.allocate_more, props);
          if (FAILED(hr)) return Free(set, hr);
        }
      }
      if (!(flags & TBL_NOADVANCE)) position_ = count > 0 ? end : begin;
      *out = set;
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP Abort() override { return S_OK; }
  STDMETHODIMP ExpandRow(ULONG, LPBYTE, ULONG, ULONG, LPSRowSet FAR*, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP CollapseRow(ULONG, LPBYTE, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP WaitForCompletion(ULONG, ULONG, ULONG FAR* status) override {
    if (status) *status = TBLSTAT_COMPLETE;
    return S_OK;
  }
  STDMETHODIMP GetCollapseState(ULONG, ULONG, LPBYTE, ULONG FAR*, LPBYTE FAR*) override { return MAPI_E_NO_SUPPORT; }
  STDMETHODIMP SetCollapseState(ULONG, ULONG, LPBYTE, BOOKMARK FAR*) override { return MAPI_E_NO_SUPPORT; }

 private:
  ~RowTable() override = default;

  std::vector<TableRow> Rows() const { return options_.rows ? options_.rows() : std::vector<TableRow>{}; }
  std::vector<ULONG> Columns(const std::vector<TableRow>& rows) {
    std::lock_guard lock(mutex_);
    if (columns_set_) return columns_;
    if (!options_.default_columns.empty()) return options_.default_columns;
    std::vector<ULONG> cols;
    if (!rows.empty()) {
      for (const auto& v : rows.front()) cols.push_back(v.tag);
    }
    return cols;
  }
  static const TableValue* Find(const TableRow& row, ULONG tag) {
    for (const auto& v : row) {
      if (v.tag == tag || (PROP_TYPE(tag) == PT_UNSPECIFIED && PROP_ID(v.tag) == PROP_ID(tag))) return &v;
    }
    return nullptr;
  }
  HRESULT Free(LPSRowSet set, HRESULT hr) {
    for (ULONG i = 0; i < set->cRows; ++i) options_.free_buffer(set->aRow[i].lpProps);
    options_.free_buffer(set);
    return hr;
  }

  RowTableOptions options_;
  std::mutex mutex_;
  std::vector<ULONG> columns_;
  bool columns_set_ = false;
  LONG position_ = 0;
};

}  // namespace

HRESULT CreateRowTable(RowTableOptions options, LPMAPITABLE* out) {
  if (!out || !options.allocate_buffer || !options.allocate_more || !options.free_buffer) return MAPI_E_INVALID_PARAMETER;
  try {
    *out = new RowTable(std::move(options));
    return S_OK;
  }
  CATCH_RETURN();
}

HRESULT CreateStaticRowTable(std::vector<TableRow> rows, LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
                             LPFREEBUFFER free_buffer, LPMAPITABLE* out) {
  RowTableOptions o;
  o.rows = [rows = std::move(rows)] { return rows; };
  o.allocate_buffer = allocate_buffer;
  o.allocate_more = allocate_more;
  o.free_buffer = free_buffer;
  return CreateRowTable(std::move(o), out);
}

}  // namespace mapishut
