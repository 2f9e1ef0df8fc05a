// IMAPITable for providers and the subsystem: one cursor, column set and sort order over a
// TableSource, which supplies only the rows asked for (a folder of a million messages is read a
// page at a time). RowTableOptions is the simple case: rows held in memory, read from the owner
// each time the table is read, so a row count reflects the data now.
#pragma once

#include <mapicode.h>
#include <mapidefs.h>

#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "mapishut/status.h"

namespace mapishut {

// One property of a row, owning its data.
struct TableValue {
  ULONG tag = PR_NULL;
  std::variant<LONG, bool, LONGLONG, FILETIME, std::string, std::wstring, std::vector<BYTE>> value;

  static TableValue Long(ULONG tag, LONG v) { return {tag, v}; }
  static TableValue Bool(ULONG tag, bool v) { return {tag, v}; }
  static TableValue I8(ULONG tag, LONGLONG v) { return {tag, v}; }
  static TableValue Time(ULONG tag, FILETIME v) { return {tag, v}; }
  static TableValue String8(ULONG tag, std::string v) { return {tag, std::move(v)}; }
  static TableValue Unicode(ULONG tag, std::wstring v) { return {tag, std::move(v)}; }
  static TableValue Binary(ULONG tag, std::vector<BYTE> v) { return {tag, std::move(v)}; }
};
using TableRow = std::vector<TableValue>;
using RowSource = std::function<std::vector<TableRow>()>;

struct RowTableOptions {
  RowSource rows;
  std::vector<ULONG> default_columns;  // empty: the tags of the first row
  LPALLOCATEBUFFER allocate_buffer = nullptr;
  LPALLOCATEMORE allocate_more = nullptr;
  LPFREEBUFFER free_buffer = nullptr;
};

// Creates the table; *out holds one reference on success, nullptr on failure.
HRESULT CreateRowTable(RowTableOptions options, LPMAPITABLE* out);

// Where a table's rows come from. The table calls one method at a time (under its own lock), and
// Count() first in every call that reads rows: a source refreshes there when its data changed.
// Count and Prefetch read the data and may fail with a reason (the file, say): the table's call
// then fails with HresultFromStatus of it, and its GetLastError hands the reason back.
class TableSource {
 public:
  virtual ~TableSource() = default;
  // The columns of a table whose client set none; asked after Count().
  virtual std::vector<ULONG> DefaultColumns() = 0;
  // The number of rows now, in *rows.
  virtual Status Count(ULONG* rows) = 0;
  // Called before FillRow for rows [begin, end) (< the last Count()): a source that reads from a
  // database reads the page together here.
  virtual Status Prefetch(ULONG begin, ULONG end, const std::vector<ULONG>& columns) { return Status::Ok(); }
  // Row `row` (< the last Count()) as `columns`: one value per column in `props`, a missing one as
  // PT_ERROR with MAPI_E_NOT_FOUND; strings and binaries allocated with `more` on `parent`.
  virtual HRESULT FillRow(ULONG row, const std::vector<ULONG>& columns, LPALLOCATEMORE more, void* parent,
                          SPropValue* props) = 0;
  // Orders the rows by `keys` (empty: the source's natural order); MAPI_E_TOO_COMPLEX for an order
  // the source cannot give.
  virtual HRESULT Sort(const std::vector<SSortOrder>& keys) { return keys.empty() ? S_OK : MAPI_E_TOO_COMPLEX; }
};

HRESULT CreateSourceTable(std::unique_ptr<TableSource> source, LPALLOCATEBUFFER allocate_buffer,
                          LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, LPMAPITABLE* out);

// A table over a fixed set of rows.
HRESULT CreateStaticRowTable(std::vector<TableRow> rows, LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
                             LPFREEBUFFER free_buffer, LPMAPITABLE* out);

// Copies `value` into `*prop`, allocating strings and binaries with allocate_more on `parent`.
HRESULT CopyTableValue(const TableValue& value, SPropValue* prop, LPALLOCATEMORE allocate_more, void* parent);

// The one skeleton of IMAPIProp::GetProps: the requested tags in order (every tag of `all` when
// `tags` is null), each filled by `fill(tag, parent, value)` with strings and binaries allocated
// onto `parent`; a value left as PT_ERROR makes the call return MAPI_W_ERRORS_RETURNED. *out is
// one MAPI buffer the caller frees.
using FillProp = std::function<HRESULT(ULONG tag, void* parent, SPropValue* value)>;
HRESULT GetPropsWith(LPSPropTagArray tags, const std::vector<ULONG>& all, const FillProp& fill,
                     LPALLOCATEBUFFER allocate_buffer, LPFREEBUFFER free_buffer, ULONG* count, LPSPropValue* out);

// Answers IMAPIProp::GetProps from `values`: the requested tags in order (every value when `tags`
// is null); a tag with no value comes back as PT_ERROR / MAPI_E_NOT_FOUND, and the call returns
// MAPI_W_ERRORS_RETURNED. *out is one MAPI buffer the caller frees.
HRESULT GetPropsFromValues(const std::vector<TableValue>& values, LPSPropTagArray tags, LPALLOCATEBUFFER allocate_buffer,
                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG* count, LPSPropValue* out);

}  // namespace mapishut
