// A filesystem that forgets what was not synced, for tests that prove durability against power
// loss rather than SIGKILL (a killed process leaves its writes in the kernel's page cache, so a
// missing fsync passes every kill test; a power cut does not forgive it). LazyFS does the same
// for databases; this one is small enough to read in one sitting (power_cut_fsd.cpp).
//
// PowerCutFs mounts a FUSE filesystem over a backing directory. File data written through the
// mount and not yet fsync'ed or fdatasync'ed stays in the daemon's memory: programs read it back
// as usual. Cut() drops all of it (optionally tearing the last unsynced write: a seeded prefix of
// it reaches the disk, the rest does not) and unmounts; the backing directory then holds exactly
// what a machine that lost power would find on its disk, and Mount() again is the reboot.
//
// What it models: file data and file size (writes, truncations) per inode, kept until that
// file's fsync/fdatasync; a clean unmount writes everything back. What it does not model:
// directory entries (create, rename, unlink, mkdir take effect on the backing directory at once,
// as if every directory fsync had happened: a missing directory fsync is not caught), metadata
// (modes, times), mmap'ed writes before they reach the daemon (SQLite's -shm, which is rebuilt
// on open), reordering among synced writes, and torn writes other than the last one (the last
// as the daemon received it: the kernel hands a write that crosses pages over in pieces).
#pragma once

#include <sys/types.h>

#include <string>

namespace mapishut::test {

class PowerCutFs {
 public:
  PowerCutFs() = default;
  PowerCutFs(const PowerCutFs&) = delete;
  PowerCutFs& operator=(const PowerCutFs&) = delete;
  // Unmounts (writing back, as a clean unmount) if still mounted.
  ~PowerCutFs();

  // Why this machine cannot run power-cut tests ("" when it can): no /dev/fuse, no daemon, no
  // permission to mount. Tests skip with this message.
  static std::string WhyUnavailable();

  // Mounts a fresh filesystem over `backing` at `mount_point` (both existing directories) and
  // returns once the mount is usable; false with `*why` naming the reason otherwise.
  bool Mount(const std::string& backing, const std::string& mount_point, std::string* why);
  // The power cut: everything not synced is lost (with `tear`, a prefix chosen by `seed` of the
  // last unsynced write is kept), every later call on the mount fails with EIO, then the
  // filesystem is unmounted. Call it only when no process still uses the mount.
  bool Cut(std::string* why, bool tear = false, unsigned seed = 0);
  // Unmounts cleanly: unsynced data is written back first, as a clean shutdown would.
  bool Unmount(std::string* why);

  // The daemon's unsynced bytes and the number of files holding them (for its own tests).
  bool Pending(long long* bytes, long long* files, std::string* why) const;

  const std::string& mount_point() const { return mount_point_; }
  const std::string& backing() const { return backing_; }
  bool mounted() const { return daemon_ > 0; }

 private:
  bool StopDaemon(std::string* why);
  std::string backing_;
  std::string mount_point_;
  pid_t daemon_ = -1;
  int daemon_errors_ = -1;  // the daemon's stderr, read when it ends badly
};

}  // namespace mapishut::test
