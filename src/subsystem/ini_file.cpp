#include "ini_file.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "mapishut/text.h"

namespace mapishut {
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  // ASCII only, as INF and .reg names are; views, so comparing with a name in a table of
  // C strings allocates nothing.
  auto lower = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](unsigned char x, unsigned char y) { return lower(x) == lower(y); });
}

const IniEntry* IniSection::Find(const std::string& key) const {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (EqualsIgnoreCase(it->key, key)) return &*it;
  }
  return nullptr;
}

namespace {

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

const IniSection* IniFile::Find(const std::string& name) const {
  const auto it = index.find(LowerAscii(name));
  return it == index.end() ? nullptr : &sections[it->second];
}

std::string IniFile::Where(int line) const { return path + ":" + std::to_string(line); }

Status ParseIni(const std::string& path, const std::string& text, IniFile* out) {
  IniFile file;
  file.path = path;
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  size_t current = SIZE_MAX;  // index of the section the next entry belongs to
  while (std::getline(in, raw)) {
    ++line_no;
    if (line_no == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);  // UTF-8 BOM
    const std::string line = Trim(raw);
    if (line.empty() || line[0] == ';' || line[0] == '#') continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        return Status::Invalid(file.Where(line_no) + ": malformed section header '" + line +
                               "' (expected [Name])");
      }
      const std::string name = Trim(line.substr(1, line.size() - 2));
      const auto [it, added] = file.index.emplace(LowerAscii(name), file.sections.size());
      if (added) file.sections.push_back(IniSection{name, line_no, {}});
      current = it->second;  // a repeated section continues the first one
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::Invalid(file.Where(line_no) + ": expected Key=Value, found '" + line + "'");
    }
    if (current == SIZE_MAX) {
      return Status::Invalid(file.Where(line_no) + ": '" + line + "' comes before any [Section]");
    }
    file.sections[current].entries.push_back(IniEntry{Trim(line.substr(0, eq)), Trim(line.substr(eq + 1)), line_no});
  }
  *out = std::move(file);
  return Status::Ok();
}

Status ReadIniFile(const std::string& path, IniFile* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read " + path);
  return ParseIni(path, TextFromFileBytes(text.str()), out);  // UTF-16 as Windows tools save it, too
}

}  // namespace mapishut
