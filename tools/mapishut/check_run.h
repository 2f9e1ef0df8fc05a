// `mapishut check`: one run of a provider in a child process of its own. The child reports what
// it is about to call and what it saw as lines of tab-separated fields on a pipe; the parent
// reads them until the child ends, dies of a signal, or overruns the run's deadline (then the
// child is killed and the last call it started is the one that hung).
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

using CheckLine = std::vector<std::string>;

// The child's side: one line. A line up to PIPE_BUF (4096 bytes) goes to the pipe in one write(),
// whole, so neither a SIGKILL nor another thread's line tears it; a longer one (a long error
// text) is written in as many pieces as the pipe takes, and a kill may cut it.
void WriteCheckLine(int fd, std::initializer_list<std::string> fields);

struct ChildOutcome {
  std::vector<CheckLine> lines;
  bool finished = false;     // the child wrote "done" and exited 0
  int signal = 0;            // the signal it died of (0: none, or the parent's SIGKILL on purpose)
  bool overran = false;      // killed by the parent at the run's deadline
  std::string last_step;     // the last "step" line: the call under way when it died or hung
  // The lines whose first field is `kind`.
  std::vector<CheckLine> All(const std::string& kind) const;
};

// Runs `body(fd)` in a forked child (it must _exit). With `dies_after` set, a SIGKILL after a
// line of that kind is the child's own end, not a crash: it kills itself the instant it may
// exit, which no kill sent from here could match.
ChildOutcome RunInChild(const std::function<void(int fd)>& body, std::chrono::milliseconds deadline,
                        const std::string& dies_after = {});
