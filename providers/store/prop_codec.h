// MAPI property values <-> the bytes the store engine keeps. One encoding per type, fixed for
// the life of a database file.
#pragma once

#include <mapidefs.h>

#include <string>

namespace mapishut {

// The property types the store keeps.
bool IsStorableType(ULONG prop_type);
// Encodes `value`; false for a type the store does not keep.
bool EncodeProp(const SPropValue& value, std::string* bytes);
// Decodes into *out for `tag`, allocating strings and binaries with `more` on `parent`.
// A string property's bytes in the other width (PT_STRING8, taken as UTF-8, and PT_UNICODE):
// MAPI clients read strings in whichever width they ask for, whatever width was written.
std::string ConvertStringBytes(ULONG stored_type, const std::string& bytes);

HRESULT DecodeProp(ULONG tag, const std::string& bytes, LPALLOCATEMORE more, void* parent, SPropValue* out);

}  // namespace mapishut
