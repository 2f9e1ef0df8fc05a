// Work done in a fresh child process, its answer brought back through a pipe: a fast shutdown
// ends MAPI for its process, and a measurement in a child of its own never depends on the memory
// an earlier measurement left behind in the parent.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <type_traits>

// What `child()` returned in a child process (a plain value, copied as bytes), or nullopt when
// the child died before answering.
template <typename Child>
auto RunInChild(Child child) -> std::optional<decltype(child())> {
  using Answer = decltype(child());
  static_assert(std::is_trivially_copyable_v<Answer>, "the answer crosses a pipe as bytes");
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  const pid_t pid = fork();
  if (pid < 0) std::abort();
  if (pid == 0) {
    close(fds[0]);
    const Answer answer = child();
    _exit(write(fds[1], &answer, sizeof answer) == sizeof answer ? 0 : 3);
  }
  close(fds[1]);
  std::optional<Answer> answer;
  Answer read_back;
  if (read(fds[0], &read_back, sizeof read_back) == sizeof read_back) answer = read_back;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return answer;
}

// Times one step in a fresh child process: `child` does its setup, times only the step, and
// returns the seconds (negative on failure).
template <typename Child>
double TimeInChild(Child child) {
  return RunInChild(child).value_or(-1.0);
}
