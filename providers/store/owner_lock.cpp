#include "owner_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mapishut {

Status OwnerLock::Acquire(const std::string& database, std::unique_ptr<OwnerLock>* out) {
  out->reset();
  const std::string path = database + ".lock";
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot open " + path + " to lock the store: " + std::strerror(errno));
  // flock, not fcntl: its lock belongs to this open file, so a second open in the same process
  // conflicts too (and SQLite's own fcntl locks on the database are left alone).
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char holder[32] = {};
    const ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
    close(fd);
    if (err != EWOULDBLOCK) return Status::IoError("cannot lock " + path + ": " + std::strerror(err));
    std::string who = n > 0 ? std::string(holder, static_cast<size_t>(n)) : "";
    while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
    const bool self = who == std::to_string(getpid());
    return Status::Busy("store database " + database + " is already open in " +
                        (self ? "this process (pid " + who + "; is the store service listed twice in the profile?)"
                              : who.empty() ? "another process" : "process " + who) +
                        "; one store database has one owner (lock: " + path + ")");
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    close(fd);
    return Status::IoError("cannot write " + path + ": " + std::strerror(err));
  }
  out->reset(new OwnerLock(fd));
  return Status::Ok();
}

OwnerLock::~OwnerLock() { close(fd_); }

}  // namespace mapishut
