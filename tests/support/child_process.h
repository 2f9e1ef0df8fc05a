// A test's second process: fork, let the child work and report, SIGKILL it the instant it says
// (or when its reports say), wait, and tell how it ended. The durability tests prove their
// promise this way - a process killed right after a call returned loses nothing - so the kill
// must land at a known point, found through a pipe, never guessed with a sleep.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mapishut::test {

// The child's end of the pipe to the parent.
class ChildPipe {
 public:
  explicit ChildPipe(int fd) : fd_(fd) {}

  // Tells the parent the child got here (one line, no '\n'), and goes on working: the parent may
  // kill the child at any moment from now, which is how a test kills at a random point.
  void Report(std::string_view line);

  // Tells the parent, then waits to be SIGKILLed: nothing after this runs, not even an exit,
  // the way a client that may exit now is killed before it does anything else.
  [[noreturn]] void KillHere(std::string_view line);

 private:
  void Send(char kind, std::string_view line);
  int fd_;
};

// How the child ended.
struct ChildEnd {
  bool killed = false;     // the parent SIGKILLed it, at KillHere or when `kill_after` said so
  bool exited = false;     // it left by itself: the body returned `exit_code` or called _exit
  int exit_code = 0;
  int signal = 0;          // the signal that ended it (SIGKILL when `killed`)
  std::vector<std::string> reports;  // every line it reported before the kill, KillHere's last

  // "killed after 3 reports", "exited with 4 after 1 report": for assertion messages.
  std::string Describe() const;
};

// Forks. The child runs `body` and leaves with _exit(what body returned): it never returns into
// GoogleTest and runs no atexit handler or static destructor (a body that must skip its own
// locals' destructors too calls _exit or KillHere itself); an exception in it exits 125. The parent
// reads the child's reports and SIGKILLs it at KillHere or as soon as `kill_after(reports so
// far)` is true, then waits for it. Without either the parent just waits for the child to exit.
ChildEnd RunChild(const std::function<int(ChildPipe&)>& body,
                  const std::function<bool(const std::vector<std::string>&)>& kill_after = nullptr);

}  // namespace mapishut::test
