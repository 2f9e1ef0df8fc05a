#include "check_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

void WriteCheckLine(int fd, std::initializer_list<std::string> fields) {
  std::string line;
  for (const std::string& f : fields) {
    if (!line.empty()) line += '\t';
    for (char c : f) line += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
  }
  line += '\n';
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    p += n;
    left -= static_cast<size_t>(n);
  }
}

std::vector<CheckLine> ChildOutcome::All(const std::string& kind) const {
  std::vector<CheckLine> found;
  for (const CheckLine& l : lines) {
    if (!l.empty() && l[0] == kind) found.push_back(l);
  }
  return found;
}

namespace {

CheckLine Split(const std::string& text) {
  CheckLine fields(1);
  for (char c : text) {
    if (c == '\t') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

ChildOutcome RunInChild(const std::function<void(int fd)>& body, std::chrono::milliseconds deadline,
                        const std::string& dies_after) {
  ChildOutcome out;
  int fds[2];
  // Close-on-exec: a process the provider starts must not hold the pipe open after the child.
  if (pipe2(fds, O_CLOEXEC) != 0) return out;
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return out;
  }
  if (pid == 0) {
    setpgid(0, 0);  // its own group: a kill reaches whatever the provider started too
    close(fds[0]);
    body(fds[1]);
    _exit(0);
  }
  setpgid(pid, pid);  // also here, so the group exists before any kill below
  close(fds[1]);
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::string pending;
  bool death_expected = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      out.overran = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline check above ends the loop
    char buf[4096];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child closed its end: it exited or died
    pending.append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      out.lines.push_back(Split(pending.substr(0, nl)));
      pending.erase(0, nl + 1);
      const CheckLine& l = out.lines.back();
      if (l[0] == "step" && l.size() > 1) out.last_step = l[1];
      if (!dies_after.empty() && l[0] == dies_after) death_expected = true;
    }
  }
  if (out.overran) kill(-pid, SIGKILL);
  // The pipe closed; the child should be gone or going. One that lingers (a provider that closed
  // the descriptor and went on) is still held to the deadline: its pidfd says when it ends.
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));  // glibc 2.36's wrapper lacks C linkage in C++
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    int ready;
    do {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      ready = poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
    } while (ready < 0 && errno == EINTR);
    if (ready == 0 && !out.overran) {
      out.overran = true;
      kill(-pid, SIGKILL);
    }
    close(pidfd);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  close(fds[0]);
  const bool own_end = death_expected && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  if (WIFSIGNALED(status) && !own_end && !out.overran) out.signal = WTERMSIG(status);
  out.finished = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !out.All("done").empty();
  return out;
}
