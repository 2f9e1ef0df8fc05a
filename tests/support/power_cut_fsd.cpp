// power_cut_fsd BACKING MOUNTPOINT READY_FD: the daemon behind PowerCutFs (power_cut_fs.h, which
// says what it models and what it does not). A FUSE filesystem that passes every call to BACKING
// but keeps file data that was not yet fsync'ed (or fdatasync'ed) in its own memory, as a kernel
// keeps dirty pages; reads see it, so the programs under test notice nothing. Writing "cut" to
// /.powercut drops all of it, as a power cut would; "tear SEED" first writes a seeded prefix of
// the last unsynced write, as a disk that lost power in the middle of it. After a cut every call
// fails with EIO (the machine is off) until the filesystem is unmounted. Reading /.powercut tells
// "pending BYTES FILES". Unmounted without a cut, it writes everything back, as a clean unmount.
//
// Single-threaded (-s): one request at a time, so the state below needs no lock.
#define FUSE_USE_VERSION 31
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr const char* kControl = "/.powercut";

// What a file holds beyond its backing file: the unsynced writes and truncations since its last
// fsync. Reading the file is: the backing bytes below `backing_limit`, zeros above, the extents
// over them, all cut at `size`.
struct Unsynced {
  int fd = -1;                          // our own descriptor: keeps the inode (and its number) alive
  std::map<off_t, std::string> extents;  // non-overlapping, by offset
  off_t size = 0;                        // the file's size as programs see it
  off_t backing_limit = 0;               // backing bytes at or above this were truncated away
};

struct LastWrite {
  ino_t ino = 0;
  off_t offset = 0;
  std::string bytes;
};

struct State {
  std::string backing;
  int ready_fd = -1;
  std::map<ino_t, Unsynced> files;
  LastWrite last;  // the most recent unsynced write (bytes empty once synced or cut)
  bool cut = false;
};

State& S() {
  static State s;
  return s;
}

std::string Backing(const char* path) { return S().backing + path; }
bool IsControl(const char* path) { return std::strcmp(path, kControl) == 0; }

// The unsynced state of the file open on `fd`, created on first use.
Unsynced& UnsyncedFor(int fd) {
  struct stat st {};
  ::fstat(fd, &st);
  auto [it, fresh] = S().files.try_emplace(st.st_ino);
  if (fresh) {
    it->second.fd = ::dup(fd);
    it->second.size = st.st_size;
    it->second.backing_limit = st.st_size;
  }
  return it->second;
}

Unsynced* Find(ino_t ino) {
  auto it = S().files.find(ino);
  return it == S().files.end() ? nullptr : &it->second;
}

void AddExtent(Unsynced& u, off_t offset, std::string bytes) {
  const off_t end = offset + static_cast<off_t>(bytes.size());
  // Keep the parts of overlapped extents that stick out on either side.
  auto it = u.extents.lower_bound(offset);
  if (it != u.extents.begin()) --it;
  std::string head, tail;
  off_t head_at = 0;
  while (it != u.extents.end() && it->first < end) {
    const off_t e_start = it->first;
    const off_t e_end = e_start + static_cast<off_t>(it->second.size());
    if (e_end <= offset) {
      ++it;
      continue;
    }
    if (e_start < offset) {
      head = it->second.substr(0, static_cast<size_t>(offset - e_start));
      head_at = e_start;
    }
    if (e_end > end) tail = it->second.substr(static_cast<size_t>(end - e_start));
    it = u.extents.erase(it);
  }
  if (!head.empty()) u.extents.emplace(head_at, std::move(head));
  if (!tail.empty()) u.extents.emplace(end, std::move(tail));
  u.extents.emplace(offset, std::move(bytes));
  u.size = std::max(u.size, end);
}

void Truncate(Unsynced& u, off_t size) {
  for (auto it = u.extents.lower_bound(size); it != u.extents.end();) it = u.extents.erase(it);
  auto it = u.extents.lower_bound(size);
  if (it != u.extents.begin()) {
    --it;
    const off_t e_end = it->first + static_cast<off_t>(it->second.size());
    if (e_end > size) it->second.resize(static_cast<size_t>(size - it->first));
  }
  u.backing_limit = std::min(u.backing_limit, size);
  u.size = size;
}

int WriteAll(int fd, const char* data, size_t n, off_t offset) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, data, n, offset);
    if (w < 0) return -errno;
    data += w;
    n -= static_cast<size_t>(w);
    offset += w;
  }
  return 0;
}

// Writes the file's unsynced state to its backing file and fsyncs it: what fsync promises.
int WriteBack(ino_t ino) {
  Unsynced* u = Find(ino);
  if (u == nullptr) return 0;  // nothing unsynced: the backing file already holds it all
  struct stat st {};
  ::fstat(u->fd, &st);
  int rc = 0;
  if (u->backing_limit < st.st_size && ::ftruncate(u->fd, u->backing_limit) != 0) rc = -errno;
  for (const auto& [offset, bytes] : u->extents) {
    if (rc == 0) rc = WriteAll(u->fd, bytes.data(), bytes.size(), offset);
  }
  if (rc == 0 && ::ftruncate(u->fd, u->size) != 0) rc = -errno;
  if (rc == 0 && ::fsync(u->fd) != 0) rc = -errno;
  if (rc != 0) return rc;  // a failed write-back keeps the data unsynced, as the kernel does
  ::close(u->fd);
  S().files.erase(ino);
  if (S().last.ino == ino) S().last.bytes.clear();
  return 0;
}

void PowerCut(bool tear, unsigned seed) {
  State& s = S();
  if (tear && !s.last.bytes.empty() && s.last.bytes.size() > 1) {
    if (Unsynced* u = Find(s.last.ino)) {
      std::mt19937 rng(seed);
      const size_t kept = 1 + rng() % (s.last.bytes.size() - 1);  // some, never all
      (void)WriteAll(u->fd, s.last.bytes.data(), kept, s.last.offset);
      ::fsync(u->fd);
    }
  }
  for (auto& [ino, u] : s.files) ::close(u.fd);
  s.files.clear();
  s.last = {};
  s.cut = true;
}

std::string Status() {
  size_t bytes = 0;
  for (const auto& [ino, u] : S().files) {
    for (const auto& [offset, data] : u.extents) bytes += data.size();
  }
  return "pending " + std::to_string(bytes) + " " + std::to_string(S().files.size()) + "\n";
}

#define POWERED() \
  if (S().cut) return -EIO

int FsGetattr(const char* path, struct stat* st, fuse_file_info* fi) {
  POWERED();
  if (IsControl(path)) {
    *st = {};
    st->st_mode = S_IFREG | 0600;
    st->st_nlink = 1;
    return 0;
  }
  const int rc = fi != nullptr ? ::fstat(static_cast<int>(fi->fh), st) : ::lstat(Backing(path).c_str(), st);
  if (rc != 0) return -errno;
  if (const Unsynced* u = Find(st->st_ino)) st->st_size = u->size;
  return 0;
}

int FsReadlink(const char* path, char* buf, size_t size) {
  POWERED();
  const ssize_t n = ::readlink(Backing(path).c_str(), buf, size - 1);
  if (n < 0) return -errno;
  buf[n] = '\0';
  return 0;
}

int FsMkdir(const char* path, mode_t mode) {
  POWERED();
  return ::mkdir(Backing(path).c_str(), mode) == 0 ? 0 : -errno;
}
int FsUnlink(const char* path) {
  POWERED();
  return ::unlink(Backing(path).c_str()) == 0 ? 0 : -errno;
}
int FsRmdir(const char* path) {
  POWERED();
  return ::rmdir(Backing(path).c_str()) == 0 ? 0 : -errno;
}
int FsSymlink(const char* target, const char* path) {
  POWERED();
  return ::symlink(target, Backing(path).c_str()) == 0 ? 0 : -errno;
}
int FsRename(const char* from, const char* to, unsigned int flags) {
  POWERED();
  if (flags != 0) return -EINVAL;
  return ::rename(Backing(from).c_str(), Backing(to).c_str()) == 0 ? 0 : -errno;
}
int FsLink(const char* from, const char* to) {
  POWERED();
  return ::link(Backing(from).c_str(), Backing(to).c_str()) == 0 ? 0 : -errno;
}
int FsChmod(const char* path, mode_t mode, fuse_file_info*) {
  POWERED();
  return ::chmod(Backing(path).c_str(), mode) == 0 ? 0 : -errno;
}
int FsChown(const char* path, uid_t uid, gid_t gid, fuse_file_info*) {
  POWERED();
  return ::lchown(Backing(path).c_str(), uid, gid) == 0 ? 0 : -errno;
}
int FsUtimens(const char* path, const struct timespec tv[2], fuse_file_info*) {
  POWERED();
  return ::utimensat(AT_FDCWD, Backing(path).c_str(), tv, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : -errno;
}

int FsTruncate(const char* path, off_t size, fuse_file_info* fi) {
  POWERED();
  if (IsControl(path)) return 0;
  int fd = fi != nullptr ? static_cast<int>(fi->fh) : ::open(Backing(path).c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return -errno;
  Truncate(UnsyncedFor(fd), size);
  if (fi == nullptr) ::close(fd);
  return 0;
}

int OpenBacking(const char* path, int flags, mode_t mode, fuse_file_info* fi) {
  // Read-write always: a write-back may need to read; O_APPEND's offsets come from the kernel.
  int fd = ::open(Backing(path).c_str(), (flags & ~(O_ACCMODE | O_APPEND | O_TRUNC)) | O_RDWR | O_CLOEXEC, mode);
  if (fd < 0 && errno == EACCES) fd = ::open(Backing(path).c_str(), (flags & ~(O_APPEND | O_TRUNC)) | O_CLOEXEC, mode);
  if (fd < 0) return -errno;
  fi->fh = static_cast<uint64_t>(fd);
  if ((flags & O_TRUNC) != 0) Truncate(UnsyncedFor(fd), 0);
  return 0;
}

int FsOpen(const char* path, fuse_file_info* fi) {
  POWERED();
  if (IsControl(path)) {
    fi->direct_io = 1;
    fi->fh = static_cast<uint64_t>(-1);
    return 0;
  }
  return OpenBacking(path, fi->flags, 0, fi);
}

int FsCreate(const char* path, mode_t mode, fuse_file_info* fi) {
  POWERED();
  return OpenBacking(path, fi->flags | O_CREAT, mode, fi);
}

int FsRead(const char* path, char* buf, size_t size, off_t offset, fuse_file_info* fi) {
  POWERED();
  if (IsControl(path)) {
    const std::string status = Status();
    if (offset >= static_cast<off_t>(status.size())) return 0;
    const size_t n = std::min(size, status.size() - static_cast<size_t>(offset));
    std::memcpy(buf, status.data() + offset, n);
    return static_cast<int>(n);
  }
  const int fd = static_cast<int>(fi->fh);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return -errno;
  const Unsynced* u = Find(st.st_ino);
  const off_t size_seen = u != nullptr ? u->size : st.st_size;
  if (offset >= size_seen) return 0;
  const size_t n = static_cast<size_t>(std::min<off_t>(static_cast<off_t>(size), size_seen - offset));
  std::memset(buf, 0, n);
  const off_t backing_end = std::min<off_t>(st.st_size, u != nullptr ? u->backing_limit : st.st_size);
  if (offset < backing_end) {
    const size_t want = static_cast<size_t>(std::min<off_t>(static_cast<off_t>(n), backing_end - offset));
    size_t got = 0;
    while (got < want) {
      const ssize_t r = ::pread(fd, buf + got, want - got, offset + static_cast<off_t>(got));
      if (r < 0) return -errno;
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
  }
  if (u != nullptr) {
    const off_t end = offset + static_cast<off_t>(n);
    auto it = u->extents.lower_bound(offset);
    if (it != u->extents.begin()) --it;
    for (; it != u->extents.end() && it->first < end; ++it) {
      const off_t from = std::max(offset, it->first);
      const off_t to = std::min(end, it->first + static_cast<off_t>(it->second.size()));
      if (from < to) std::memcpy(buf + (from - offset), it->second.data() + (from - it->first), static_cast<size_t>(to - from));
    }
  }
  return static_cast<int>(n);
}

int FsWrite(const char* path, const char* buf, size_t size, off_t offset, fuse_file_info* fi) {
  POWERED();
  if (IsControl(path)) {
    const std::string command(buf, size);
    unsigned seed = 0;
    if (command.rfind("cut", 0) == 0) {
      PowerCut(false, 0);
    } else if (std::sscanf(command.c_str(), "tear %u", &seed) == 1) {
      PowerCut(true, seed);
    } else {
      return -EINVAL;
    }
    return static_cast<int>(size);
  }
  Unsynced& u = UnsyncedFor(static_cast<int>(fi->fh));
  struct stat st {};
  ::fstat(u.fd, &st);
  AddExtent(u, offset, std::string(buf, size));
  S().last = LastWrite{st.st_ino, offset, std::string(buf, size)};
  return static_cast<int>(size);
}

int FsStatfs(const char*, struct statvfs* st) {
  POWERED();
  return ::statvfs(S().backing.c_str(), st) == 0 ? 0 : -errno;
}

int FsRelease(const char* path, fuse_file_info* fi) {
  if (!IsControl(path)) ::close(static_cast<int>(fi->fh));
  return 0;
}

int FsFsync(const char* path, int, fuse_file_info* fi) {
  POWERED();
  if (IsControl(path)) return 0;
  struct stat st {};
  if (::fstat(static_cast<int>(fi->fh), &st) != 0) return -errno;
  return WriteBack(st.st_ino);
}

int FsReaddir(const char* path, void* buf, fuse_fill_dir_t fill, off_t, fuse_file_info*, fuse_readdir_flags) {
  POWERED();
  DIR* d = ::opendir(Backing(path).c_str());
  if (d == nullptr) return -errno;
  while (dirent* e = ::readdir(d)) fill(buf, e->d_name, nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  ::closedir(d);
  return 0;
}

int FsFsyncdir(const char* path, int, fuse_file_info*) {
  POWERED();
  const int fd = ::open(Backing(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -errno;
  const int rc = ::fsync(fd) == 0 ? 0 : -errno;
  ::close(fd);
  return rc;
}

int FsAccess(const char* path, int mask) {
  POWERED();
  if (IsControl(path)) return 0;
  return ::access(Backing(path).c_str(), mask) == 0 ? 0 : -errno;
}

void* FsInit(fuse_conn_info* conn, fuse_config* cfg) {
  // Every write must reach us as it is made, not buffered and merged in the kernel: write-through.
  conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
  cfg->use_ino = 1;
  // The kernel is mounted and asking: tell the parent the mount is usable.
  if (S().ready_fd >= 0) {
    const char ok = '1';
    (void)!::write(S().ready_fd, &ok, 1);
    ::close(S().ready_fd);
    S().ready_fd = -1;
  }
  return nullptr;
}

void FsDestroy(void*) {
  if (S().cut) return;
  std::vector<ino_t> inos;
  for (const auto& [ino, u] : S().files) inos.push_back(ino);
  for (ino_t ino : inos) (void)WriteBack(ino);
}

// fuse_main's steps, but with the session's end judged here: when the test unmounts after a
// cut, the kernel may end the connection as aborted (ECONNABORTED) rather than gone (ENODEV),
// and both are the end of this filesystem's life, not a failure of it.
int Serve(fuse_args* args, const fuse_operations* ops, const char* mount_point) {
  fuse* fs = fuse_new(args, ops, sizeof *ops, nullptr);
  if (fs == nullptr) return 3;
  if (fuse_mount(fs, mount_point) != 0) {
    fuse_destroy(fs);
    return 4;
  }
  fuse_session* session = fuse_get_session(fs);
  if (fuse_set_signal_handlers(session) != 0) {
    fuse_unmount(fs);
    fuse_destroy(fs);
    return 6;
  }
  int res = fuse_loop(fs);  // single-threaded: the daemon's state needs no locks
  if (res == -ECONNABORTED || res == -ENODEV) res = 0;
  fuse_remove_signal_handlers(session);
  fuse_unmount(fs);
  fuse_destroy(fs);  // runs FsDestroy: a clean unmount writes everything back
  if (res != 0) std::fprintf(stderr, "power_cut_fsd: the session ended with %d\n", res);
  return res == 0 ? 0 : 8;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: power_cut_fsd BACKING MOUNTPOINT READY_FD\n");
    return 2;
  }
  char* real = ::realpath(argv[1], nullptr);
  if (real == nullptr) {
    std::fprintf(stderr, "power_cut_fsd: %s: %s\n", argv[1], std::strerror(errno));
    return 2;
  }
  S().backing = real;
  std::free(real);
  S().ready_fd = std::atoi(argv[3]);

  fuse_operations ops{};
  ops.getattr = FsGetattr;
  ops.readlink = FsReadlink;
  ops.mkdir = FsMkdir;
  ops.unlink = FsUnlink;
  ops.rmdir = FsRmdir;
  ops.symlink = FsSymlink;
  ops.rename = FsRename;
  ops.link = FsLink;
  ops.chmod = FsChmod;
  ops.chown = FsChown;
  ops.truncate = FsTruncate;
  ops.open = FsOpen;
  ops.read = FsRead;
  ops.write = FsWrite;
  ops.statfs = FsStatfs;
  ops.release = FsRelease;
  ops.fsync = FsFsync;
  ops.readdir = FsReaddir;
  ops.fsyncdir = FsFsyncdir;
  ops.init = FsInit;
  ops.destroy = FsDestroy;
  ops.access = FsAccess;
  ops.create = FsCreate;
  ops.utimens = FsUtimens;
  char name[] = "power_cut_fsd";
  char o[] = "-o";
  char options[] = "fsname=powercut,subtype=powercut,default_permissions";
  char* fuse_argv[] = {name, o, options, nullptr};
  fuse_args args = FUSE_ARGS_INIT(3, fuse_argv);
  const int status = Serve(&args, &ops, argv[2]);
  fuse_opt_free_args(&args);  // fuse_new copies what it parses into args' own memory
  return status;
}
