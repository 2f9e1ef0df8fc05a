#include "ini_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "mapishut/text.h"

namespace mapishut {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  // ASCII only, as INF and .reg names are; views, so comparing with a name in a table of
  // C strings allocates nothing.
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return LowerAscii(x) == LowerAscii(y); });
}

const IniEntry* IniSection::Find(std::string_view key) const {
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (EqualsIgnoreCase(it->key, key)) return &*it;
  }
  return nullptr;
}

size_t IgnoreCaseHash::operator()(std::string_view text) const {
  size_t h = 14695981039346656037ull;  // FNV-1a over the folded bytes
  for (char c : text) h = (h ^ static_cast<unsigned char>(LowerAscii(c))) * 1099511628211ull;
  return h;
}

bool IgnoreCaseEqual::operator()(std::string_view a, std::string_view b) const { return EqualsIgnoreCase(a, b); }

const IniSection* IniFile::Find(std::string_view name) const {
  const auto it = index.find(name);
  return it == index.end() ? nullptr : &sections[it->second];
}

std::string IniFile::Where(int line) const { return path + ":" + std::to_string(line); }

Status ParseIni(const std::string& path, std::string text, IniFile* out) {
  IniFile file;
  file.path = path;
  file.text = std::make_shared<const std::string>(std::move(text));
  std::string_view rest = *file.text;
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // UTF-8 BOM
  // Sections counted first (a line starting with '['): the vector and the index never grow.
  const size_t headers = static_cast<size_t>(std::count(rest.begin(), rest.end(), '['));
  file.sections.reserve(headers);
  file.index.reserve(headers);
  int line_no = 0;
  size_t current = SIZE_MAX;  // index of the section the next entry belongs to
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    const std::string_view raw = rest.substr(0, newline);
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty() || line[0] == ';' || line[0] == '#') continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        return Status::Invalid(file.Where(line_no) + ": malformed section header '" + std::string(line) +
                               "' (expected [Name])");
      }
      const std::string_view name = Trim(line.substr(1, line.size() - 2));
      const auto [it, added] = file.index.emplace(name, file.sections.size());
      if (added) file.sections.push_back(IniSection{name, line_no, {}});
      current = it->second;  // a repeated section continues the first one
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Status::Invalid(file.Where(line_no) + ": expected Key=Value, found '" + std::string(line) + "'");
    }
    if (current == SIZE_MAX) {
      return Status::Invalid(file.Where(line_no) + ": '" + std::string(line) + "' comes before any [Section]");
    }
    file.sections[current].entries.push_back(IniEntry{Trim(line.substr(0, eq)), Trim(line.substr(eq + 1)), line_no});
  }
  *out = std::move(file);
  return Status::Ok();
}

Status ReadIniFile(const std::string& path, IniFile* out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::NotFound("cannot open " + path);
  std::string bytes;
  const bool read = ReadAll(fd, &bytes);  // in one allocation: a profile of 10,000 services is megabytes
  ::close(fd);
  if (!read) return Status::IoError("cannot read " + path);
  return ParseIni(path, TextFromFileBytes(std::move(bytes)), out);  // UTF-16 as Windows tools save it, too
}

}  // namespace mapishut
