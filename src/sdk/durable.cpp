#include "mapishut/durable.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "mapishut/text.h"

namespace mapishut {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Status FsyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open directory", dir);
  // Without this, a rename can be lost on power failure even though the file's data is on disk.
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Errno("cannot fsync directory", dir);
}

Status WriteNewFileSynced(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot create", path);
  if (!WriteAll(fd, bytes)) {
    const Status s = Errno("cannot write", path);
    ::close(fd);
    ::unlink(path.c_str());
    return s;
  }
  // The data must be on disk before anyone makes it visible under another name.
  if (::fsync(fd) != 0) {
    const Status s = Errno("cannot fsync", path);
    ::close(fd);
    ::unlink(path.c_str());
    return s;
  }
  ::close(fd);
  return Status::Ok();
}

Status WriteFileDurably(const std::string& dir, const std::string& name, const std::string& bytes) {
  const std::string tmp = dir + "/." + name + ".tmp";
  const std::string final_path = dir + "/" + name;
  ::unlink(tmp.c_str());  // a leftover of a crash in the middle of an earlier write
  MAPISHUT_RETURN_IF_ERROR(WriteNewFileSynced(tmp, bytes));
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) return Errno("cannot rename into", final_path);
  return FsyncDirectory(dir);
}

}  // namespace mapishut
