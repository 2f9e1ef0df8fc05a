#include "power_cut_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace mapishut::test {
namespace {

constexpr int kMountTimeoutMs = 10000;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Runs `fusermount3 -u` on `mount_point`: the unprivileged way out of a FUSE mount.
bool FuserUnmount(const std::string& mount_point) {
  const pid_t pid = fork();
  if (pid == 0) {
    execlp("fusermount3", "fusermount3", "-u", "-q", mount_point.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool UnmountPath(const std::string& mount_point, std::string* why) {
  if (umount2(mount_point.c_str(), 0) == 0) return true;
  if (errno == EPERM && FuserUnmount(mount_point)) return true;
  *why = Errno("cannot unmount " + mount_point);
  return false;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[512];
  ssize_t n = 0;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

PowerCutFs::~PowerCutFs() {
  if (!mounted()) return;
  std::string ignored;
  if (!Unmount(&ignored)) {
    umount2(mount_point_.c_str(), MNT_DETACH);
    kill(daemon_, SIGKILL);
    waitpid(daemon_, nullptr, 0);
    close(daemon_errors_);
  }
}

std::string PowerCutFs::WhyUnavailable() {
  if (access("/dev/fuse", R_OK | W_OK) != 0) return Errno("power-cut tests need FUSE, and /dev/fuse is not usable");
  if (access(MAPISHUT_POWER_CUT_FSD, X_OK) != 0) return Errno(std::string("no power-cut daemon at ") + MAPISHUT_POWER_CUT_FSD);
  return "";
}

bool PowerCutFs::Mount(const std::string& backing, const std::string& mount_point, std::string* why) {
  if (mounted()) {
    *why = "already mounted at " + mount_point_;
    return false;
  }
  int ready[2];
  int errors[2];
  if (pipe(ready) != 0 || pipe2(errors, O_CLOEXEC) != 0) {
    *why = Errno("pipe");
    return false;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    *why = Errno("fork");
    return false;
  }
  if (pid == 0) {
    close(ready[0]);
    dup2(errors[1], STDERR_FILENO);
    const std::string fd = std::to_string(ready[1]);
    execl(MAPISHUT_POWER_CUT_FSD, "power_cut_fsd", backing.c_str(), mount_point.c_str(), fd.c_str(),
          static_cast<char*>(nullptr));
    std::fprintf(stderr, "cannot run %s: %s\n", MAPISHUT_POWER_CUT_FSD, std::strerror(errno));
    _exit(127);
  }
  close(ready[1]);
  close(errors[1]);
  // The daemon writes one byte once the kernel has mounted it and asked it to start.
  pollfd p{ready[0], POLLIN, 0};
  char ok = 0;
  const bool up = poll(&p, 1, kMountTimeoutMs) == 1 && read(ready[0], &ok, 1) == 1;
  close(ready[0]);
  if (!up) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    *why = "the power-cut filesystem did not mount at " + mount_point + ": " + ReadAll(errors[0]);
    close(errors[0]);
    return false;
  }
  daemon_ = pid;
  daemon_errors_ = errors[0];
  backing_ = backing;
  mount_point_ = mount_point;
  return true;
}

bool PowerCutFs::Cut(std::string* why, bool tear, unsigned seed) {
  const std::string control = mount_point_ + "/.powercut";
  const std::string command = tear ? "tear " + std::to_string(seed) : "cut";
  const int fd = open(control.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    *why = Errno("cannot open " + control);
    return false;
  }
  const bool sent = write(fd, command.data(), command.size()) == static_cast<ssize_t>(command.size());
  if (!sent) *why = Errno("cannot cut the power of " + mount_point_);
  close(fd);
  return sent && StopDaemon(why);
}

bool PowerCutFs::Unmount(std::string* why) { return StopDaemon(why); }

bool PowerCutFs::StopDaemon(std::string* why) {
  if (!UnmountPath(mount_point_, why)) return false;
  int status = 0;
  waitpid(daemon_, &status, 0);
  daemon_ = -1;
  const std::string said = ReadAll(daemon_errors_);  // it has exited: this ends
  close(daemon_errors_);
  daemon_errors_ = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *why = "the power-cut daemon for " + mount_point_ + " ended badly (status " + std::to_string(status) + "): " + said;
    return false;
  }
  return true;
}

bool PowerCutFs::Pending(long long* bytes, long long* files, std::string* why) const {
  const std::string control = mount_point_ + "/.powercut";
  const int fd = open(control.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *why = Errno("cannot open " + control);
    return false;
  }
  const std::string status = ReadAll(fd);
  close(fd);
  if (std::sscanf(status.c_str(), "pending %lld %lld", bytes, files) != 2) {
    *why = "unexpected status from " + control + ": " + status;
    return false;
  }
  return true;
}

}  // namespace mapishut::test
