// An in-memory IMAPITable over rows the owner supplies, for providers (a folder's contents, an
// address list) and for the subsystem (a session's message stores). The rows are read from the
// source each time the table is read, so a row count reflects the data now.
#pragma once

#include <mapidefs.h>

#include <functional>
#include <string>
#include <variant>
#include <vector>

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

// A table over a fixed set of rows.
HRESULT CreateStaticRowTable(std::vector<TableRow> rows, LPALLOCATEBUFFER allocate_buffer, LPALLOCATEMORE allocate_more,
                             LPFREEBUFFER free_buffer, LPMAPITABLE* out);

// Copies `value` into `*prop`, allocating strings and binaries with allocate_more on `parent`.
HRESULT CopyTableValue(const TableValue& value, SPropValue* prop, LPALLOCATEMORE allocate_more, void* parent);

// Answers IMAPIProp::GetProps from `values`: the requested tags in order (every value when `tags`
// is null); a tag with no value comes back as PT_ERROR / MAPI_E_NOT_FOUND, and the call returns
// MAPI_W_ERRORS_RETURNED. *out is one MAPI buffer the caller frees.
HRESULT GetPropsFromValues(const std::vector<TableValue>& values, LPSPropTagArray tags, LPALLOCATEBUFFER allocate_buffer,
                           LPALLOCATEMORE allocate_more, LPFREEBUFFER free_buffer, ULONG* count, LPSPropValue* out);

}  // namespace mapishut
