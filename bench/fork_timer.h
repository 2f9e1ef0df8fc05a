// Times one step in a fresh child process (a fast shutdown ends MAPI for its process): `child`
// does its setup, times only the step, and returns the seconds (negative on failure), which
// come back through a pipe.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

template <typename Child>
double TimeInChild(Child child) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const double seconds = child();
    if (write(fds[1], &seconds, sizeof seconds) != sizeof seconds) _exit(3);
    _exit(seconds < 0 ? 1 : 0);
  }
  close(fds[1]);
  double seconds = -1;
  if (read(fds[0], &seconds, sizeof seconds) != sizeof seconds) seconds = -1;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return seconds;
}
