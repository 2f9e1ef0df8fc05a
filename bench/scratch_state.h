// Every exit a benchmark makes records itself (src/shutdown/exit_log.h). A ScratchStateHome
// points XDG_STATE_HOME at a directory of its own for the program's life, so a benchmark never
// writes into the user's exit log, and the size of that log (records of thousands of providers
// from an earlier run) is never part of what is measured, whether it runs alone or under
// bench/report.sh.
#pragma once

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

class ScratchStateHome {
 public:
  ScratchStateHome() {
    char dir[] = "/tmp/mapishut-bench-state-XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    dir_ = dir;
    setenv("XDG_STATE_HOME", dir, 1);
  }
  ~ScratchStateHome() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  ScratchStateHome(const ScratchStateHome&) = delete;
  ScratchStateHome& operator=(const ScratchStateHome&) = delete;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};
