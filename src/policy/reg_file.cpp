#include "reg_file.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "mapishut/text.h"

namespace mapishut {
namespace {

// How much of a line a warning quotes, in characters; Printable() cuts it and makes it safe to
// show, since the file's author chose its bytes.
constexpr size_t kQuoted = 40;

// Drops trailing spaces, tabs and line ends in place; costs only what it drops.
void TrimEnd(std::string* s) {
  while (!s->empty() && (s->back() == ' ' || s->back() == '\t' || s->back() == '\r' || s->back() == '\n')) s->pop_back();
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A line, its number, and whether the file is Wine's dialect.
struct Parser {
  RegHive hive;
  bool wine = false;
  std::string current_key;  // lowercased; empty when none or deleted
  bool in_key = false;

  void Warn(int line, std::string message) { hive.warnings.push_back({line, std::move(message)}); }

  // Wine writes keys relative to HKEY_CURRENT_USER with each backslash doubled.
  std::string NormalizeKey(std::string key) const {
    if (wine) {
      std::string single;
      for (size_t i = 0; i < key.size(); ++i) {
        if (key[i] == '\\' && i + 1 < key.size() && key[i + 1] == '\\') ++i;
        single.push_back(key[i]);
      }
      key = "HKEY_CURRENT_USER\\" + single;
    }
    std::string k = Lower(key);
    if (k.rfind("hkcu\\", 0) == 0) k = "hkey_current_user\\" + k.substr(5);
    while (!k.empty() && k.back() == '\\') k.pop_back();
    return k;
  }

  void KeyLine(const std::string& line, int n) {
    const auto close = line.rfind(']');
    if (close == std::string::npos || close < 1) {
      Warn(n, "malformed key line (expected [KEY])");
      in_key = false;
      return;
    }
    std::string name = line.substr(1, close - 1);
    if (!name.empty() && name[0] == '-') {
      const std::string doomed = NormalizeKey(name.substr(1));
      // Deleting a key deletes everything under it.
      for (auto it = hive.keys.begin(); it != hive.keys.end();) {
        if (it->first == doomed || it->first.rfind(doomed + "\\", 0) == 0) {
          it = hive.keys.erase(it);
        } else {
          ++it;
        }
      }
      in_key = false;
      return;
    }
    current_key = NormalizeKey(name);
    hive.keys[current_key];  // a key may exist without values
    in_key = true;
  }

  // Reads a quoted string starting at s[*pos] == '"'; handles \" and \\ escapes.
  static bool Quoted(const std::string& s, size_t* pos, std::string* out) {
    if (*pos >= s.size() || s[*pos] != '"') return false;
    ++*pos;
    out->clear();
    while (*pos < s.size()) {
      const char c = s[(*pos)++];
      if (c == '"') return true;
      if (c == '\\' && *pos < s.size()) {
        const char e = s[(*pos)++];
        if (e == 'n') out->push_back('\n');
        else if (e == 'r') out->push_back('\r');
        else if (e == 't') out->push_back('\t');
        else if (e == '0') out->push_back('\0');
        else out->push_back(e);
        continue;
      }
      out->push_back(c);
    }
    return false;
  }

  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  static bool HexBytes(std::string_view text, std::vector<uint8_t>* out) {
    out->clear();
    out->reserve(text.size() / 3 + 1);
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) ++i;
      if (i >= text.size()) break;
      const int high = HexDigit(text[i]), low = i + 1 < text.size() ? HexDigit(text[i + 1]) : -1;
      if (high < 0 || low < 0) return false;
      out->push_back(static_cast<uint8_t>(high << 4 | low));
      i += 2;
      if (i < text.size() && text[i] != ',' && text[i] != ' ' && text[i] != '\t') return false;
    }
    return true;
  }

  void ValueLine(const std::string& line, int n) {
    if (!in_key) {
      Warn(n, "value outside any key ignored");
      return;
    }
    size_t pos = 0;
    std::string name;
    if (line[0] == '@') {
      pos = 1;
    } else if (!Quoted(line, &pos, &name)) {
      Warn(n, "malformed value name (expected \"Name\"=...)");
      return;
    }
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (pos >= line.size() || line[pos] != '=') {
      Warn(n, "expected '=' after the value name");
      return;
    }
    const std::string data(Trim(line.substr(pos + 1)));
    auto& values = hive.keys[current_key];
    const std::string lname = Lower(name);
    if (data == "-") {
      values.erase(lname);
      return;
    }
    RegValue v;
    v.line = n;
    if (!data.empty() && data[0] == '"') {
      size_t p = 0;
      if (!Quoted(data, &p, &v.text)) {
        Warn(n, "unterminated string value");
        return;
      }
      v.type = RegType::kString;
    } else if (Lower(data.substr(0, 6)) == "dword:") {
      const std::string hex(Trim(data.substr(6)));
      if (hex.empty() || hex.size() > 8 ||
          !std::all_of(hex.begin(), hex.end(), [](unsigned char c) { return std::isxdigit(c); })) {
        Warn(n, "malformed dword value '" + Printable(data, kQuoted) + "' (expected dword:00000000 to dword:ffffffff)");
        return;
      }
      const uint32_t d = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
      v.type = RegType::kDword;
      v.data = {static_cast<uint8_t>(d), static_cast<uint8_t>(d >> 8), static_cast<uint8_t>(d >> 16), static_cast<uint8_t>(d >> 24)};
    } else if (Lower(data.substr(0, 4)) == "hex:" || Lower(data.substr(0, 4)) == "hex(") {
      size_t colon = data.find(':');
      v.type = RegType::kBinary;
      if (data[3] == '(') {
        const size_t close = data.find(')');
        if (close == std::string::npos || close > colon) {
          Warn(n, "malformed hex(N): value");
          return;
        }
        const std::string t = data.substr(4, close - 4);
        if (t.empty() || t.size() > 8 || !std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isxdigit(c); })) {
          Warn(n, "malformed type in hex(" + Printable(t, kQuoted) + "):");
          return;
        }
        v.type = static_cast<RegType>(std::stoul(t, nullptr, 16));
      }
      if (!HexBytes(std::string_view(data).substr(colon + 1), &v.data)) {
        Warn(n, "malformed hex bytes in '" + Printable(data, kQuoted) + "'");
        return;
      }
    } else if (wine && Lower(data.substr(0, 4)) == "str(") {
      v.type = RegType::kOther;  // Wine's typed strings: kept, never a DWORD
    } else {
      Warn(n, "unrecognised value data '" + Printable(data, kQuoted) + "'");
      return;
    }
    values[lname] = std::move(v);
  }
};

}  // namespace

const RegValue* RegHive::Find(const std::string& key, const std::string& name) const {
  auto k = keys.find(Lower(key));
  if (k == keys.end()) return nullptr;
  auto v = k->second.find(Lower(name));
  return v == k->second.end() ? nullptr : &v->second;
}

bool AsDword(const RegValue& v, uint32_t* out) {
  if (v.type != RegType::kDword || v.data.size() != 4) return false;
  *out = v.data[0] | (uint32_t{v.data[1]} << 8) | (uint32_t{v.data[2]} << 16) | (uint32_t{v.data[3]} << 24);
  return true;
}

RegHive ParseRegFile(const std::string& bytes) {
  Parser p;
  const std::string text = TextFromFileBytes(bytes);
  size_t pos = 0;
  int line_no = 0;
  bool header_seen = false;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line(Trim(std::string_view(text).substr(pos, end - pos)));
    ++line_no;
    const int first_line = line_no;
    pos = end + 1;
    // A value continues on the next line when this one ends with a backslash. Each piece is
    // appended to the value read so far, never the value copied again: a value of n bytes over
    // many lines takes time in n, not n squared.
    while (!line.empty() && line.back() == '\\' && line[0] != '[' && pos <= text.size()) {
      line.pop_back();
      size_t next = text.find('\n', pos);
      if (next == std::string::npos) next = text.size();
      line += Trim(std::string_view(text).substr(pos, next - pos));
      TrimEnd(&line);
      ++line_no;
      pos = next + 1;
    }
    if (line.empty() || line[0] == ';' || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      if (line == "Windows Registry Editor Version 5.00" || line == "REGEDIT4") continue;
      if (line.rfind("WINE REGISTRY Version", 0) == 0) {
        p.wine = true;
        continue;
      }
      p.Warn(first_line, "no registry file header (expected 'Windows Registry Editor Version 5.00', 'REGEDIT4' or 'WINE REGISTRY Version 2')");
    }
    if (line[0] == '[') {
      p.KeyLine(line, first_line);
    } else if (line[0] == '"' || line[0] == '@') {
      p.ValueLine(line, first_line);
    } else {
      p.Warn(first_line, "unrecognised line ignored");
    }
  }
  return std::move(p.hive);
}

}  // namespace mapishut
