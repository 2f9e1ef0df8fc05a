// `mapishut check`'s reading of each thread's CPU time (tools/mapishut/thread_ticks.h).
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../../tools/mapishut/thread_ticks.h"

namespace {

namespace fs = std::filesystem;

TEST(ThreadTicks, ReadsEveryThreadOfThisProcess) {
  const auto ticks = ThreadTicks();
  const auto self = ticks.find(static_cast<long>(syscall(SYS_gettid)));
  ASSERT_NE(self, ticks.end());
  EXPECT_FALSE(self->second.first.empty());  // its name
  EXPECT_GE(self->second.second, 0);
}

// Seen in CI: a thread ended after its stat file was opened, the read failed (ESRCH), and the
// stream threw out of the check, which reported a crash of the provider under test. A stat that
// opens but cannot be read (here a directory: EISDIR) is the same failure, made on purpose.
TEST(ThreadTicks, AThreadWhoseStatCannotBeReadIsLeftOut) {
  const fs::path dir = fs::temp_directory_path() / ("mapishut-thread-ticks-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "100" / "stat");  // opens, fails to read
  fs::create_directories(dir / "200");
  // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  std::ofstream(dir / "200" / "stat") << "200 (worker one) S 1 1 1 0 -1 0 0 0 0 0 7 5 0 0\n";
  std::map<long, std::pair<std::string, long>> ticks;
  EXPECT_NO_THROW(ticks = ThreadTicks(dir.string()));
  EXPECT_EQ(ticks.count(100), 0u);
  ASSERT_EQ(ticks.count(200), 1u);
  EXPECT_EQ(ticks[200].first, "worker one");
  EXPECT_EQ(ticks[200].second, 12);
  fs::remove_all(dir);
}

}  // namespace
