// WriteFileDurably: the file is whole under its final name, and a write that cannot happen says
// which file.
#include "mapishut/durable.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "child_process.h"

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
    const test::ChildEnd end = test::RunChild([&](test::ChildPipe& child) {
      if (!WriteFileDurably(dir, "state", "round " + std::to_string(round)).ok()) return 2;
      child.KillHere("written");
    });
    ASSERT_TRUE(end.killed) << end.Describe();
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
