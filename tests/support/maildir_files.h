// What a Maildir directory holds, for the tests that check the spool after a kill, a power cut
// or an I/O error.
#pragma once

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace mapishut::test {

// The subjects ("message N") of the whole messages in a Maildir directory; a file that is not a
// whole message (cut short by a power loss) is named in `torn`.
inline std::set<std::string> WholeMessages(const std::string& dir, std::vector<std::string>* torn) {
  std::set<std::string> subjects;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string m = text.str();
    const size_t at = m.find("\r\nSubject: ");
    const std::string end = "charset=utf-8\r\n\r\n\r\n";  // the header's last line and the empty body
    if (at == std::string::npos || m.size() < end.size() || m.compare(m.size() - end.size(), end.size(), end) != 0) {
      torn->push_back(e.path().filename().string() + " (" + std::to_string(m.size()) + " bytes)");
      continue;
    }
    subjects.insert(m.substr(at + 11, m.find("\r\n", at + 2) - at - 11));
  }
  return subjects;
}

}  // namespace mapishut::test
