#include "child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

namespace mapishut::test {

namespace {

// Each line on the pipe starts with its kind, so the parent knows a KillHere from a Report.
constexpr char kReport = 'r';
constexpr char kKillHere = 'k';

// Exit codes of a child that failed in the helper rather than in its body.
constexpr int kPipeBroken = 124;
constexpr int kBodyThrew = 125;

}  // namespace

void ChildPipe::Send(char kind, std::string_view line) {
  std::string framed(1, kind);
  framed.append(line);
  framed.push_back('\n');
  // One write: the parent never sees half a line from a child killed mid-report.
  if (write(fd_, framed.data(), framed.size()) != static_cast<ssize_t>(framed.size())) _exit(kPipeBroken);
}

void ChildPipe::Report(std::string_view line) { Send(kReport, line); }

void ChildPipe::KillHere(std::string_view line) {
  Send(kKillHere, line);
  for (;;) pause();  // the parent's SIGKILL ends this
}

std::string ChildEnd::Describe() const {
  std::string how;
  if (killed) {
    how = "killed";
  } else if (exited) {
    how = "exited with " + std::to_string(exit_code);
  } else if (signal != 0) {
    how = "died of signal " + std::to_string(signal);
  } else {
    return "could not be started";
  }
  how += " after " + std::to_string(reports.size()) + (reports.size() == 1 ? " report" : " reports");
  if (!reports.empty()) how += ", the last \"" + reports.back() + "\"";
  return how;
}

ChildEnd RunChild(const std::function<int(ChildPipe&)>& body,
                  const std::function<bool(const std::vector<std::string>&)>& kill_after) {
  ChildEnd end;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return end;
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return end;
  }
  if (pid == 0) {
    close(fds[0]);
    ChildPipe child(fds[1]);
    int code = kBodyThrew;
    try {
      code = body(child);
    } catch (...) {
    }
    _exit(code);  // never back into GoogleTest, which would run the rest of the tests here too
  }
  close(fds[1]);

  bool sent_kill = false;
  FILE* in = fdopen(fds[0], "r");
  char* line = nullptr;
  size_t capacity = 0;
  ssize_t n;
  while (!sent_kill && (n = getline(&line, &capacity, in)) > 0) {
    std::string text(line + 1, static_cast<size_t>(n) - 1);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    end.reports.push_back(std::move(text));
    if (line[0] == kKillHere || (kill_after && kill_after(end.reports))) {
      kill(pid, SIGKILL);  // the instant the report arrived
      sent_kill = true;
    }
  }
  free(line);
  fclose(in);

  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return end;
  }
  if (WIFEXITED(status)) {
    end.exited = true;
    end.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    end.signal = WTERMSIG(status);
    // A child that crashed or exited before our signal arrived is reported as it ended.
    end.killed = sent_kill && end.signal == SIGKILL;
  }
  return end;
}

}  // namespace mapishut::test
