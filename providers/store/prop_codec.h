// MAPI property values <-> the bytes the store engine keeps. One encoding per type, fixed for
// the life of a database file.
#pragma once

#include <mapidefs.h>

#include <cstdint>
#include <map>
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

// The value a client asking for `tag` gets from a message's stored properties (tag -> bytes): the
// stored one of that id in the type asked for (PT_UNSPECIFIED: as stored; strings converted to the
// width asked for), or PT_ERROR with MAPI_E_NOT_FOUND.
HRESULT DecodeStoredProp(const std::map<uint32_t, std::string>& props, ULONG tag, LPALLOCATEMORE more, void* parent,
                         SPropValue* out);

// Bytes that compare (as unsigned bytes, shorter first on a tie) the way the value of that type
// orders for SortTable: numbers and times by value, strings by their UTF-8 text with ASCII letters
// folded to lower case, binaries byte by byte.
std::string OrderKey(ULONG stored_type, const std::string& bytes);

}  // namespace mapishut
