// vCard 3.0/4.0, as far as an offline address list needs it: FN, N, EMAIL, UID. Folded lines are
// unfolded, \, \; \n escapes undone; a card the parser cannot use is skipped with a warning
// naming the line, never a crash.
#pragma once

#include <string>
#include <vector>

namespace mapishut {

struct Contact {
  std::string uid;
  std::string name;
  std::string email;

  bool operator==(const Contact&) const = default;
};

struct VcardWarning {
  int line = 0;
  std::string message;
};

std::vector<Contact> ParseVcards(const std::string& text, std::vector<VcardWarning>* warnings);

}  // namespace mapishut
