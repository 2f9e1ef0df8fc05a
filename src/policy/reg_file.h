// Registry text files as regedit and Wine write them, read into a small hive.
//
// Formats: "Windows Registry Editor Version 5.00" (regedit writes UTF-16LE with a BOM; UTF-8 is
// accepted too), "REGEDIT4", and Wine's "WINE REGISTRY Version 2" (user.reg: keys relative to
// HKEY_CURRENT_USER, with doubled backslashes and a timestamp after the key). The parser takes
// what real files contain: comments, CRLF or LF, BOMs, quoted names with escapes, hex: and
// hex(N): values continued over lines with '\', deleted keys ([-HKEY_...]) and values
// ("Name"=-), repeated keys (the last value wins). A line it cannot read becomes a warning naming
// the file and the line; it never throws, never crashes, never loops on any input.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mapishut {

enum class RegType : uint32_t { kString = 1, kExpandString = 2, kBinary = 3, kDword = 4, kMultiString = 7, kQword = 11, kOther = 0xFFFFFFFF };

struct RegValue {
  RegType type = RegType::kOther;
  std::vector<uint8_t> data;  // as the registry stores it (a DWORD is 4 bytes, little-endian)
  std::string text;           // for string values
  int line = 0;               // where it was set
};

struct RegWarning {
  int line = 0;
  std::string message;
};

// Keys are full paths from the hive root, e.g. "HKEY_CURRENT_USER\Software\Policies\...",
// compared case-insensitively (stored lowercased). Value names likewise.
struct RegHive {
  std::map<std::string, std::map<std::string, RegValue>> keys;
  std::vector<RegWarning> warnings;

  // The value, or nullptr.
  const RegValue* Find(const std::string& key, const std::string& name) const;
};

// Parses the bytes of one file (`path` is only used in messages). Wine's keys are placed under
// HKEY_CURRENT_USER.
RegHive ParseRegFile(const std::string& bytes);

// A DWORD's value from a REG_DWORD (dword: or hex(4): of exactly four bytes); false otherwise.
bool AsDword(const RegValue& v, uint32_t* out);

}  // namespace mapishut
