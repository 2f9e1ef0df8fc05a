#include "prop_codec.h"

#include <mapicode.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "mapishut/text.h"

namespace mapishut {
namespace {

template <typename T>
std::string Raw(const T& v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
bool Read(const std::string& bytes, T* v) {
  if (bytes.size() != sizeof *v) return false;
  std::memcpy(v, bytes.data(), sizeof *v);
  return true;
}

}  // namespace

bool IsStorableType(ULONG t) {
  switch (t) {
    case PT_LONG: case PT_I8: case PT_BOOLEAN: case PT_SYSTIME: case PT_DOUBLE:
    case PT_UNICODE: case PT_STRING8: case PT_BINARY: case PT_I2:
      return true;
    default:
      return false;
  }
}

bool EncodeProp(const SPropValue& v, std::string* bytes) {
  switch (PROP_TYPE(v.ulPropTag)) {
    case PT_I2: *bytes = Raw(v.Value.i); return true;
    case PT_LONG: *bytes = Raw(v.Value.l); return true;
    case PT_I8: *bytes = Raw(v.Value.li.QuadPart); return true;
    case PT_BOOLEAN: *bytes = std::string(1, v.Value.b ? 1 : 0); return true;
    case PT_DOUBLE: *bytes = Raw(v.Value.dbl); return true;
    case PT_SYSTIME: *bytes = Raw(v.Value.ft.dwLowDateTime) + Raw(v.Value.ft.dwHighDateTime); return true;
    case PT_STRING8: *bytes = v.Value.lpszA ? v.Value.lpszA : ""; return true;
    case PT_UNICODE: {
      const wchar_t* w = v.Value.lpszW ? v.Value.lpszW : L"";
      *bytes = std::string(reinterpret_cast<const char*>(w), std::wcslen(w) * sizeof(wchar_t));
      return true;
    }
    case PT_BINARY:
      *bytes = std::string(reinterpret_cast<const char*>(v.Value.bin.lpb), v.Value.bin.cb);
      return true;
    default:
      return false;
  }
}

std::string ConvertStringBytes(ULONG stored_type, const std::string& bytes) {
  if (stored_type == PT_STRING8) {
    const std::wstring wide = WideFromUtf8(bytes);
    return std::string(reinterpret_cast<const char*>(wide.data()), wide.size() * sizeof(wchar_t));
  }
  return Utf8FromWide(std::wstring_view(reinterpret_cast<const wchar_t*>(bytes.data()), bytes.size() / sizeof(wchar_t)));
}

HRESULT DecodeProp(ULONG tag, const std::string& bytes, LPALLOCATEMORE more, void* parent, SPropValue* out) {
  out->ulPropTag = tag;
  out->dwAlignPad = 0;
  bool ok = true;
  switch (PROP_TYPE(tag)) {
    case PT_I2: ok = Read(bytes, &out->Value.i); break;
    case PT_LONG: ok = Read(bytes, &out->Value.l); break;
    case PT_I8: ok = Read(bytes, &out->Value.li.QuadPart); break;
    case PT_BOOLEAN: ok = bytes.size() == 1; out->Value.b = ok && bytes[0] ? 1 : 0; break;
    case PT_DOUBLE: ok = Read(bytes, &out->Value.dbl); break;
    case PT_SYSTIME:
      ok = bytes.size() == 8;
      if (ok) {
        std::memcpy(&out->Value.ft.dwLowDateTime, bytes.data(), 4);
        std::memcpy(&out->Value.ft.dwHighDateTime, bytes.data() + 4, 4);
      }
      break;
    case PT_STRING8: {
      void* p = nullptr;
      if (FAILED(more(static_cast<ULONG>(bytes.size() + 1), parent, &p))) return MAPI_E_NOT_ENOUGH_MEMORY;
      std::memcpy(p, bytes.data(), bytes.size());
      static_cast<char*>(p)[bytes.size()] = '\0';
      out->Value.lpszA = static_cast<LPSTR>(p);
      break;
    }
    case PT_UNICODE: {
      ok = bytes.size() % sizeof(wchar_t) == 0;
      if (!ok) break;
      void* p = nullptr;
      if (FAILED(more(static_cast<ULONG>(bytes.size() + sizeof(wchar_t)), parent, &p))) return MAPI_E_NOT_ENOUGH_MEMORY;
      std::memcpy(p, bytes.data(), bytes.size());
      static_cast<wchar_t*>(p)[bytes.size() / sizeof(wchar_t)] = L'\0';
      out->Value.lpszW = static_cast<LPWSTR>(p);
      break;
    }
    case PT_BINARY: {
      void* p = nullptr;
      if (FAILED(more(static_cast<ULONG>(bytes.size() ? bytes.size() : 1), parent, &p))) return MAPI_E_NOT_ENOUGH_MEMORY;
      if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
      out->Value.bin.cb = static_cast<ULONG>(bytes.size());
      out->Value.bin.lpb = static_cast<LPBYTE>(p);
      break;
    }
    default:
      ok = false;
  }
  if (!ok) {
    out->ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
    out->Value.err = MAPI_E_CORRUPT_DATA;
  }
  return S_OK;
}

HRESULT DecodeStoredProp(const std::map<uint32_t, std::string>& props, ULONG tag, LPALLOCATEMORE more, void* parent,
                         SPropValue* out) {
  // Stored tags sort by id then type, so one id's values (at most one) start at PROP_TAG(0, id).
  const auto it = props.lower_bound(PROP_TAG(0, PROP_ID(tag)));
  if (it != props.end() && PROP_ID(it->first) == PROP_ID(tag)) {
    const ULONG want = PROP_TYPE(tag), have = PROP_TYPE(it->first);
    if (want == PT_UNSPECIFIED || want == have) return DecodeProp(it->first, it->second, more, parent, out);
    const bool both_strings = (want == PT_STRING8 || want == PT_UNICODE) && (have == PT_STRING8 || have == PT_UNICODE);
    if (both_strings) return DecodeProp(tag, ConvertStringBytes(have, it->second), more, parent, out);
  }
  out->ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
  out->dwAlignPad = 0;
  out->Value.err = MAPI_E_NOT_FOUND;
  return S_OK;
}

namespace {

// `bits` as big-endian bytes, so that byte order is numeric order.
std::string BigEndian(uint64_t bits, int bytes) {
  std::string key(bytes, '\0');
  for (int i = bytes - 1; i >= 0; --i, bits >>= 8) key[i] = static_cast<char>(bits & 0xFF);
  return key;
}

template <typename T>
T As(const std::string& bytes) {
  T v{};
  std::memcpy(&v, bytes.data(), std::min(bytes.size(), sizeof v));
  return v;
}

}  // namespace

std::string OrderKey(ULONG stored_type, const std::string& bytes) {
  switch (stored_type) {
    case PT_I2: return BigEndian(static_cast<uint16_t>(As<int16_t>(bytes)) ^ 0x8000u, 2);  // sign flipped
    case PT_LONG: return BigEndian(static_cast<uint32_t>(As<int32_t>(bytes)) ^ 0x80000000u, 4);
    case PT_I8: return BigEndian(static_cast<uint64_t>(As<int64_t>(bytes)) ^ (uint64_t{1} << 63), 8);
    case PT_SYSTIME: {
      const uint64_t low = As<uint32_t>(bytes), high = bytes.size() == 8 ? As<uint32_t>(bytes.substr(4)) : 0;
      return BigEndian(high << 32 | low, 8);
    }
    case PT_DOUBLE: {
      // IEEE 754: flip every bit of a negative number, only the sign bit of a positive one.
      const uint64_t bits = std::bit_cast<uint64_t>(As<double>(bytes));
      return BigEndian(bits >> 63 ? ~bits : bits | (uint64_t{1} << 63), 8);
    }
    case PT_UNICODE:
    case PT_STRING8: {
      std::string text = stored_type == PT_UNICODE ? ConvertStringBytes(PT_UNICODE, bytes) : bytes;
      for (char& c : text) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      return text;
    }
    default:
      return bytes;
  }
}

}  // namespace mapishut
