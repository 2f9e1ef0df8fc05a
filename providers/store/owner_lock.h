// One store database, one owner (issue 10, item 2). Two stores writing one SQLite file each keep
// their own idea of the next message id and overwrite each other's messages, so the store takes
// an exclusive lock on "<database>.lock" for as long as it is open. A second open, from another
// process or from this one (a store service listed twice in a profile), is refused with a message
// naming the file and the process that holds it. The kernel drops the lock when its holder dies,
// SIGKILL included, so a crash never leaves the store locked.
#pragma once

#include <memory>
#include <string>

#include "mapishut/status.h"

namespace mapishut {

class OwnerLock {
 public:
  // Takes the lock for `database`, or returns Status::Busy naming the holder.
  static Status Acquire(const std::string& database, std::unique_ptr<OwnerLock>* out);
  ~OwnerLock();
  OwnerLock(const OwnerLock&) = delete;
  OwnerLock& operator=(const OwnerLock&) = delete;

 private:
  explicit OwnerLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mapishut
