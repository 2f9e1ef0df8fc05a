#include "maildir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>

#include "mapishut/durable.h"

namespace mapishut {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

// time.pid_seq.host, unique within this host.
std::string UniqueName() {
  static std::atomic<unsigned> seq{0};
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()) + ".P" + std::to_string(getpid()) +
         "Q" + std::to_string(seq++) + "M" +
         std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(now).count() % 1000000) + "." + host;
}

}  // namespace

Status Maildir::Create() const {
  for (const char* sub : {"", "/tmp", "/new", "/cur"}) {
    const std::string dir = root_ + sub;
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Errno("cannot create", dir);
  }
  return Status::Ok();
}

Status Maildir::Deliver(const std::string& message, std::string* name) const {
  const std::string unique = UniqueName();
  const std::string tmp = root_ + "/tmp/" + unique;
  const std::string fresh = root_ + "/new/" + unique;
  // Written and fsynced under tmp/ first: new/ only ever holds whole messages.
  MAPISHUT_RETURN_IF_ERROR(WriteNewFileSynced(tmp, message));
  if (::rename(tmp.c_str(), fresh.c_str()) != 0) return Errno("cannot move into", fresh);
  // And the rename must be on disk before we say the message was accepted.
  MAPISHUT_RETURN_IF_ERROR(FsyncDirectory(root_ + "/new"));
  if (name) *name = unique;
  return Status::Ok();
}

std::vector<std::string> Maildir::ListNew() const {
  std::vector<std::string> names;
  if (DIR* d = ::opendir((root_ + "/new").c_str())) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] != '.') names.push_back(e->d_name);
    }
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status Maildir::Accept(const std::string& name) const {
  const std::string from = root_ + "/new/" + name;
  const std::string to = root_ + "/cur/" + name + ":2,";
  if (::rename(from.c_str(), to.c_str()) != 0) return Errno("cannot move into", to);
  return FsyncDirectory(root_ + "/cur");
}

std::string FormatRfc5322(const std::string& from, const std::string& to, const std::string& subject,
                          const std::string& body, const std::string& date, const std::string& message_id) {
  std::string m;
  m += "From: " + from + "\r\n";
  m += "To: " + to + "\r\n";
  m += "Subject: " + subject + "\r\n";
  m += "Date: " + date + "\r\n";
  m += "Message-ID: <" + message_id + ">\r\n";
  m += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
  m += body + "\r\n";
  return m;
}

}  // namespace mapishut
