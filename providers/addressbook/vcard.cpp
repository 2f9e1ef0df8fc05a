#include "vcard.h"

#include <algorithm>
#include <cctype>

namespace mapishut {
namespace {

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string Unescape(const std::string& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      const char e = v[++i];
      out.push_back(e == 'n' || e == 'N' ? '\n' : e);
    } else {
      out.push_back(v[i]);
    }
  }
  return out;
}

}  // namespace

std::vector<Contact> ParseVcards(const std::string& text, std::vector<VcardWarning>* warnings) {
  // Unfold: a line starting with a space or tab continues the previous one.
  std::vector<std::pair<int, std::string>> lines;
  size_t pos = 0;
  int n = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !lines.empty()) {
      lines.back().second += line.substr(1);
    } else {
      lines.emplace_back(n, line);
    }
  }
  std::vector<Contact> contacts;
  bool in_card = false;
  int card_line = 0;
  Contact c;
  for (const auto& [line_no, line] : lines) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      if (!line.empty() && warnings) warnings->push_back({line_no, "not a vCard property line"});
      continue;
    }
    const std::string head = Upper(line.substr(0, colon));
    const std::string name = head.substr(0, head.find(';'));
    const std::string value = line.substr(colon + 1);
    if (name == "BEGIN" && Upper(value) == "VCARD") {
      if (in_card && warnings) warnings->push_back({card_line, "vCard without END:VCARD skipped"});
      in_card = true;
      card_line = line_no;
      c = Contact{};
    } else if (name == "END" && Upper(value) == "VCARD") {
      if (!in_card) continue;
      in_card = false;
      if (c.name.empty() && c.email.empty()) {
        if (warnings) warnings->push_back({card_line, "vCard with neither FN nor EMAIL skipped"});
        continue;
      }
      if (c.uid.empty()) c.uid = c.email.empty() ? c.name : c.email;
      contacts.push_back(c);
    } else if (in_card) {
      const std::string v = Unescape(value);
      if (name == "FN") c.name = v;
      else if (name == "EMAIL" && c.email.empty()) c.email = v;
      else if (name == "UID") c.uid = v;
      else if (name == "N" && c.name.empty()) {
        // N:Family;Given;... -> "Given Family"
        const size_t semi = value.find(';');
        const std::string family = Unescape(value.substr(0, semi));
        const std::string given = semi == std::string::npos ? "" : Unescape(value.substr(semi + 1, value.find(';', semi + 1) - semi - 1));
        c.name = given.empty() ? family : given + " " + family;
      }
    }
  }
  if (in_card && warnings) warnings->push_back({card_line, "vCard without END:VCARD skipped"});
  return contacts;
}

}  // namespace mapishut
