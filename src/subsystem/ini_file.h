// Reads the INI dialect of MAPISVC.INF: [Section] headers, Key=Value lines, ';' comments.
// Sections and keys keep their order (profile order matters to the shutdown sequence) and
// their line numbers (every configuration error names the file and the line).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mapishut/status.h"

namespace mapishut {

// Keys, values and names are views into the file's text, which the IniFile holds: parsing a
// profile of thousands of services copies no line.
struct IniEntry {
  std::string_view key;
  std::string_view value;
  int line = 0;
};

struct IniSection {
  std::string_view name;
  int line = 0;
  std::vector<IniEntry> entries;

  // The value of `key` (case-insensitive, last one wins), or nullptr.
  const IniEntry* Find(std::string_view key) const;
};

// ASCII case folding for the section index: names are looked up without a lower-cased copy.
struct IgnoreCaseHash {
  size_t operator()(std::string_view text) const;
};
struct IgnoreCaseEqual {
  bool operator()(std::string_view a, std::string_view b) const;
};

struct IniFile {
  std::string path;
  // The whole text; shared, so that moving the IniFile never moves what the views point into.
  std::shared_ptr<const std::string> text;
  std::vector<IniSection> sections;
  // Section name (any case) -> its index in `sections`: a profile of 10,000 services is looked
  // up 10,000 times, each in constant time.
  std::unordered_map<std::string_view, size_t, IgnoreCaseHash, IgnoreCaseEqual> index;

  // The section called `name` (case-insensitive), or nullptr. Repeated sections are merged
  // when parsed, as Windows' profile APIs do.
  const IniSection* Find(std::string_view name) const;
  // "path:line", for messages.
  std::string Where(int line) const;
};

// Parses `text` read from `path`. Fails (naming file and line) on a line that is neither a
// section header, a Key=Value pair, a comment nor blank, and on an entry before any section.
Status ParseIni(const std::string& path, std::string text, IniFile* out);
// Reads and parses the file at `path`.
Status ReadIniFile(const std::string& path, IniFile* out);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace mapishut
