// WriteFileDurably: the file is whole under its final name, and a write that cannot happen says
// which file.
#include "mapishut/durable.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace mapishut {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Durable, WritesTheWholeFileAndLeavesNoTemporary) {
  char tmpl[] = "/tmp/mapishut-durable-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  ASSERT_TRUE(WriteFileDurably(dir, "a.txt", "first").ok());
  ASSERT_TRUE(WriteFileDurably(dir, "a.txt", "second").ok());
  EXPECT_EQ(Slurp(dir + "/a.txt"), "second");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  std::filesystem::remove_all(dir);
}

TEST(Durable, SurvivesSigkillTheInstantItReturns) {
  char tmpl[] = "/tmp/mapishut-durable-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  for (int round = 0; round < 20; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      const bool ok = WriteFileDurably(dir, "state", "round " + std::to_string(round)).ok();
      const char c = ok ? 'y' : 'n';
      if (write(fds[1], &c, 1) != 1) _exit(2);
      pause();  // the parent kills us here
      _exit(0);
    }
    close(fds[1]);
    char c = 0;
    ASSERT_EQ(read(fds[0], &c, 1), 1);
    close(fds[0]);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    ASSERT_EQ(c, 'y');
    EXPECT_EQ(Slurp(dir + "/state"), "round " + std::to_string(round));
  }
  std::filesystem::remove_all(dir);
}

TEST(Durable, FailureNamesTheFile) {
  const Status s = WriteFileDurably("/nonexistent-dir-for-mapishut", "x", "y");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), ::testing::HasSubstr("/nonexistent-dir-for-mapishut/.x.tmp"));
}

}  // namespace
}  // namespace mapishut
