// A Maildir (tmp/, new/, cur/), written the crash-safe way: a message is written under tmp/,
// fsynced, renamed into new/, and new/ is fsynced; only then does Deliver return. A crash leaves
// a message either wholly in new/ or only in tmp/, which is never taken for delivered mail.
#pragma once

#include <string>
#include <vector>

#include "mapishut/status.h"

namespace mapishut {

class Maildir {
 public:
  explicit Maildir(std::string root) : root_(std::move(root)) {}
  const std::string& root() const { return root_; }

  // Creates root/{tmp,new,cur} when missing.
  Status Create() const;
  // Writes `message` durably into new/; *name is its file name.
  Status Deliver(const std::string& message, std::string* name) const;
  // Names in new/, oldest first (Maildir names start with the time).
  std::vector<std::string> ListNew() const;
  // Moves a message the reader accepted from new/ to cur/ (with the ":2," info suffix). A crash
  // between reading and this rename means the message is read again: never lost, at worst twice.
  Status Accept(const std::string& name) const;

 private:
  std::string root_;
};

// A small RFC 5322 message.
std::string FormatRfc5322(const std::string& from, const std::string& to, const std::string& subject,
                          const std::string& body, const std::string& date, const std::string& message_id);

}  // namespace mapishut
