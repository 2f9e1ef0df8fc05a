// Work done in a fresh child process, its answer brought back through a pipe: a fast shutdown
// ends MAPI for its process, and a measurement in a child of its own never depends on the memory
// an earlier measurement left behind in the parent.
#pragma once

#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>  // strsignal
#include <optional>
#include <type_traits>

// What `child()` returned in a child process (a plain value, copied as bytes), or nullopt, said
// on stderr, when the child died or threw before answering.
template <typename Child>
auto RunInChild(Child child) -> std::optional<decltype(child())> {
  using Answer = decltype(child());
  static_assert(std::is_trivially_copyable_v<Answer>, "the answer crosses a pipe as bytes");
  static_assert(sizeof(Answer) <= PIPE_BUF, "one write, read whole: the pipe never splits it");
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  const pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    close(fds[0]);
    try {
      const Answer answer = child();
      _exit(write(fds[1], &answer, sizeof answer) == sizeof answer ? 0 : 3);
    } catch (...) {
      _exit(4);  // never back into the parent's frames as a second copy of it
    }
  }
  close(fds[1]);
  std::array<unsigned char, sizeof(Answer)> bytes;
  ssize_t n;
  while ((n = read(fds[0], bytes.data(), bytes.size())) < 0 && errno == EINTR) {
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(bytes.size())) {
    if (WIFSIGNALED(status)) {
      std::fprintf(stderr, "the measuring child died of signal %d (%s)\n", WTERMSIG(status), strsignal(WTERMSIG(status)));
    } else {
      std::fprintf(stderr, "the measuring child exited with status %d before answering\n", WEXITSTATUS(status));
    }
    return std::nullopt;
  }
  return std::bit_cast<Answer>(bytes);
}

// Times one step in a fresh child process: `child` does its setup, times only the step, and
// returns the seconds (negative on failure).
template <typename Child>
double TimeInChild(Child child) {
  return RunInChild(child).value_or(-1.0);
}
