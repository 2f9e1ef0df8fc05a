#include "mapishut/row_table.h"

#include <mapicode.h>
#include <mapiguid.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include "mapishut/com_object.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/last_error.h"
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

HRESULT GetPropsWith(LPSPropTagArray tags, const std::vector<ULONG>& all, const FillProp& fill,
                     LPALLOCATEBUFFER allocate_buffer, LPFREEBUFFER free_buffer, ULONG* count, LPSPropValue* out) {
  RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !count || !out);
  *out = nullptr;
  *count = 0;
  const std::vector<ULONG> wanted = tags ? std::vector<ULONG>(tags->aulPropTag, tags->aulPropTag + tags->cValues) : all;
  void* mem = nullptr;
  RETURN_IF_FAILED(allocate_buffer(static_cast<ULONG>(sizeof(SPropValue) * std::max<size_t>(wanted.size(), 1)), &mem));
  auto* values = static_cast<LPSPropValue>(mem);
  bool missing = false;
  for (size_t i = 0; i < wanted.size(); ++i) {
    values[i].dwAlignPad = 0;
    const HRESULT hr = fill(wanted[i], values, &values[i]);
    if (FAILED(hr)) {
      free_buffer(values);
      return hr;
    }
    missing = missing || PROP_TYPE(values[i].ulPropTag) == PT_ERROR;
  }
  *count = static_cast<ULONG>(wanted.size());
  *out = values;
  return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

HRESULT GetPropsFromValues(const std::vector<TableValue>& mine, LPSPropTagArray tags, LPALLOCATEBUFFER allocate_buffer,
                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG* count, LPSPropValue* out) {
  std::vector<ULONG> all;
  for (const auto& v : mine) all.push_back(v.tag);
  auto fill = [&](ULONG tag, void* parent, SPropValue* value) -> HRESULT {
    auto it = std::find_if(mine.begin(), mine.end(), [&](const TableValue& v) { return v.tag == tag; });
    if (it != mine.end()) return CopyTableValue(*it, value, allocate_more, parent);
    value->ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
    value->Value.err = MAPI_E_NOT_FOUND;
    return S_OK;
  };
  return GetPropsWith(tags, all, fill, allocate_buffer, free_buffer, count, out);
}

namespace {

// The rows the owner holds in memory, read again at every Count().
class VectorSource final : public TableSource {
 public:
  explicit VectorSource(RowSource rows, std::vector<ULONG> default_columns)
      : read_(std::move(rows)), default_columns_(std::move(default_columns)) {}

  // The tags of the first row as of the last Count(), which the table calls first.
  std::vector<ULONG> DefaultColumns() override {
    if (!default_columns_.empty()) return default_columns_;
    std::vector<ULONG> cols;
    if (!rows_.empty()) {
      for (const auto& v : rows_.front()) cols.push_back(v.tag);
    }
    return cols;
  }
  Status Count(ULONG* rows) override {
    rows_ = read_ ? read_() : std::vector<TableRow>{};
    *rows = static_cast<ULONG>(rows_.size());
    return Status::Ok();
  }
  HRESULT FillRow(ULONG row, const std::vector<ULONG>& columns, LPALLOCATEMORE more, void* parent,
                  SPropValue* props) override {
    for (size_t c = 0; c < columns.size(); ++c) {
      const TableValue* v = Find(rows_.at(row), columns[c]);
      if (!v) {
        props[c].ulPropTag = CHANGE_PROP_TYPE(columns[c], PT_ERROR);
        props[c].Value.err = MAPI_E_NOT_FOUND;
        continue;
      }
      RETURN_IF_FAILED(CopyTableValue(*v, &props[c], more, parent));
    }
    return S_OK;
  }

 private:
  static const TableValue* Find(const TableRow& row, ULONG tag) {
    for (const auto& v : row) {
      if (v.tag == tag || (PROP_TYPE(tag) == PT_UNSPECIFIED && PROP_ID(v.tag) == PROP_ID(tag))) return &v;
    }
    return nullptr;
  }

  RowSource read_;
  std::vector<ULONG> default_columns_;
  std::vector<TableRow> rows_;  // as of the last Count()
};

class RowTable final : public ComObject<RowTable, MAPITableDefaults<IMAPITable>> {
 public:
  RowTable(std::unique_ptr<TableSource> source, LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
           LPFREEBUFFER free_buffer)
      : source_(std::move(source)), allocate_buffer_(allocate_buffer), allocate_more_(allocate_more), free_buffer_(free_buffer) {}

  STDMETHODIMP GetLastError(HRESULT hr, ULONG, LPMAPIERROR FAR* e) override {
    return last_error_.Get(hr, allocate_buffer_, e);
  }
  STDMETHODIMP GetStatus(ULONG FAR* status, ULONG FAR* type) override {
    if (!status || !type) return MAPI_E_INVALID_PARAMETER;
    *status = TBLSTAT_COMPLETE;
    *type = TBLTYPE_DYNAMIC;
    return S_OK;
  }
  STDMETHODIMP SetColumns(LPSPropTagArray tags, ULONG) override {
    try {
      if (!tags) return MAPI_E_INVALID_PARAMETER;
      std::lock_guard lock(mutex_);
      columns_.assign(tags->aulPropTag, tags->aulPropTag + tags->cValues);
      columns_set_ = true;
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP QueryColumns(ULONG, LPSPropTagArray FAR* out) override {
    try {
      if (!out) return MAPI_E_INVALID_PARAMETER;
      *out = nullptr;
      std::lock_guard lock(mutex_);
      ULONG rows = 0;
      RETURN_IF_FAILED_EXPECTED(Count(&rows));  // a source's default columns may depend on its rows now
      const std::vector<ULONG> cols = Columns();
      void* p = nullptr;
      RETURN_IF_FAILED(allocate_buffer_(static_cast<ULONG>(CbNewSPropTagArray(cols.size())), &p));
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
      std::lock_guard lock(mutex_);
      return Count(count);
    }
    CATCH_RETURN();
  }
  STDMETHODIMP SeekRow(BOOKMARK origin, LONG count, LONG FAR* sought) override {
    try {
      std::lock_guard lock(mutex_);
      ULONG rows = 0;
      RETURN_IF_FAILED_EXPECTED(Count(&rows));
      const LONG total = static_cast<LONG>(rows);
      LONG start = origin == BOOKMARK_BEGINNING ? 0 : origin == BOOKMARK_CURRENT ? std::min(position_, total)
                                                    : origin == BOOKMARK_END     ? total
                                                                                 : -1;
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
      std::lock_guard lock(mutex_);
      ULONG total = 0;
      RETURN_IF_FAILED_EXPECTED(Count(&total));
      position_ = static_cast<LONG>(std::min<unsigned long long>(static_cast<unsigned long long>(total) * num / den, total));
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP QueryPosition(ULONG FAR* row, ULONG FAR* num, ULONG FAR* den) override {
    try {
      if (!row || !num || !den) return MAPI_E_INVALID_PARAMETER;
      std::lock_guard lock(mutex_);
      ULONG total = 0;
      RETURN_IF_FAILED_EXPECTED(Count(&total));
      *row = static_cast<ULONG>(position_);
      *num = static_cast<ULONG>(position_);
      *den = total ? total : 1;
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP Restrict(LPSRestriction r, ULONG) override { return r ? MAPI_E_NO_SUPPORT : S_OK; }
  STDMETHODIMP SortTable(LPSSortOrderSet set, ULONG) override {
    try {
      if (!set) return MAPI_E_INVALID_PARAMETER;
      if (set->cCategories != 0) return MAPI_E_TOO_COMPLEX;  // no categorized views
      std::vector<SSortOrder> keys(set->aSort, set->aSort + set->cSorts);
      std::lock_guard lock(mutex_);
      RETURN_IF_FAILED_EXPECTED(source_->Sort(keys));
      sort_ = std::move(keys);
      position_ = 0;  // a sorted table is read from its first row
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP QuerySortOrder(LPSSortOrderSet FAR* out) override {
    try {
      if (!out) return MAPI_E_INVALID_PARAMETER;
      std::lock_guard lock(mutex_);
      void* p = nullptr;
      RETURN_IF_FAILED(allocate_buffer_(static_cast<ULONG>(CbNewSSortOrderSet(sort_.size())), &p));
      auto* set = static_cast<LPSSortOrderSet>(p);
      set->cSorts = static_cast<ULONG>(sort_.size());
      set->cCategories = 0;
      set->cExpanded = 0;
      for (size_t i = 0; i < sort_.size(); ++i) set->aSort[i] = sort_[i];
      *out = set;
      return S_OK;
    }
    CATCH_RETURN();
  }
  // Reads only the rows returned: a page costs the same at the start and the end of a big table.
  STDMETHODIMP QueryRows(LONG count, ULONG flags, LPSRowSet FAR* out) override {
    try {
      if (!out || count == 0) return MAPI_E_INVALID_PARAMETER;
      *out = nullptr;
      std::lock_guard lock(mutex_);
      ULONG rows = 0;
      RETURN_IF_FAILED_EXPECTED(Count(&rows));  // once: the rows FillRow reads
      const LONG total = static_cast<LONG>(rows);
      const std::vector<ULONG> cols = Columns();
      LONG begin = std::min(position_, total), end = begin;
      if (count > 0) {
        end = begin + std::min(total - begin, count);
      } else {
        begin = std::max<LONG>(0, begin + count);
      }
      RETURN_IF_FAILED_EXPECTED(last_error_.Set(source_->Prefetch(static_cast<ULONG>(begin), static_cast<ULONG>(end), cols)));
      void* set_mem = nullptr;
      RETURN_IF_FAILED(allocate_buffer_(static_cast<ULONG>(CbNewSRowSet(std::max<LONG>(end - begin, 1))), &set_mem));
      auto* set = static_cast<LPSRowSet>(set_mem);
      set->cRows = 0;
      for (LONG r = begin; r < end; ++r) {
        void* props_mem = nullptr;
        HRESULT hr = allocate_buffer_(static_cast<ULONG>(sizeof(SPropValue) * std::max<size_t>(cols.size(), 1)), &props_mem);
        if (FAILED(hr)) return Free(set, hr);
        auto* props = static_cast<LPSPropValue>(props_mem);
        set->aRow[set->cRows].ulAdrEntryPad = 0;
        set->aRow[set->cRows].cValues = static_cast<ULONG>(cols.size());
        set->aRow[set->cRows].lpProps = props;
        ++set->cRows;
        hr = source_->FillRow(static_cast<ULONG>(r), cols, allocate_more_, props, props);
        if (FAILED(hr)) return Free(set, hr);
      }
      if (!(flags & TBL_NOADVANCE)) position_ = count > 0 ? end : begin;
      *out = set;
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP Abort() override { return S_OK; }
  STDMETHODIMP WaitForCompletion(ULONG, ULONG, ULONG FAR* status) override {
    if (status) *status = TBLSTAT_COMPLETE;
    return S_OK;
  }

 private:
  ~RowTable() override = default;

  std::vector<ULONG> Columns() { return columns_set_ ? columns_ : source_->DefaultColumns(); }  // mutex_ held
  HRESULT Count(ULONG* rows) { return last_error_.Set(source_->Count(rows)); }                  // mutex_ held
  HRESULT Free(LPSRowSet set, HRESULT hr) {
    for (ULONG i = 0; i < set->cRows; ++i) free_buffer_(set->aRow[i].lpProps);
    free_buffer_(set);
    return hr;
  }

  const std::unique_ptr<TableSource> source_;
  const LPALLOCATEBUFFER allocate_buffer_;
  const LPALLOCATEMORE allocate_more_;
  const LPFREEBUFFER free_buffer_;
  std::mutex mutex_;  // one call at a time reaches the source
  std::vector<ULONG> columns_;
  bool columns_set_ = false;
  std::vector<SSortOrder> sort_;
  LONG position_ = 0;
  LastError last_error_{"mapishut table"};  // the source's reason for the last failed read
};

}  // namespace

HRESULT CreateSourceTable(std::unique_ptr<TableSource> source, LPALLOCATEBUFFER allocate_buffer,
                          LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, LPMAPITABLE* out) {
  if (!out || !source || !allocate_buffer || !allocate_more || !free_buffer) return MAPI_E_INVALID_PARAMETER;
  try {
    *out = new RowTable(std::move(source), allocate_buffer, allocate_more, free_buffer);
    return S_OK;
  }
  CATCH_RETURN();
}

HRESULT CreateRowTable(RowTableOptions o, LPMAPITABLE* out) {
  try {
    return CreateSourceTable(std::make_unique<VectorSource>(std::move(o.rows), std::move(o.default_columns)),
                             o.allocate_buffer, o.allocate_more, o.free_buffer, out);
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
