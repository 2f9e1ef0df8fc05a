// Turning a Status into what a MAPI caller can act on: an HRESULT, and a MAPIERROR with the
// message for people (the file and the reason), as the documented LPMAPIERROR out-parameters
// (IMSProvider::Logon, IXPProvider::TransportLogon, ...) and GetLastError hand back.
//
//   const Status s = MessageDb::Open(path, &db);
//   if (!s.ok()) return FailWithError(s, "mapishut store", allocate_buffer, lppMAPIError);
#pragma once

#include <mapidefs.h>

#include "mapishut/status.h"

namespace mapishut {

// kBusy -> MAPI_E_BUSY, kIoError -> MAPI_E_DISK_ERROR, kCorrupt -> MAPI_E_CORRUPT_DATA,
// kNotFound -> MAPI_E_NOT_FOUND, kInvalid -> MAPI_E_INVALID_PARAMETER, kUnsupported ->
// MAPI_E_NO_SUPPORT, kAborted -> MAPI_E_CALL_FAILED, kTooBig -> MAPI_E_TOO_BIG,
// kNoSpace -> MAPI_E_NOT_ENOUGH_DISK; S_OK for an OK status.
HRESULT HresultFromStatus(const Status& status);

// Returns HresultFromStatus(status); when `out` is given, *out receives a MAPIERROR allocated
// with `allocate_buffer` (the caller frees it with MAPIFreeBuffer), ANSI strings, or null when
// allocation failed.
HRESULT FailWithError(const Status& status, const char* component, LPALLOCATEBUFFER allocate_buffer, LPMAPIERROR* out);

}  // namespace mapishut
