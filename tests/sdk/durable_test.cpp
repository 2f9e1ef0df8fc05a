// WriteFileDurably: the file is whole under its final name, and a write that cannot happen says
// which file.
#include "mapishut/durable.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "child_process.h"
#include "durability_round.h"

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

// Killed the instant it returns, and then, for the power-cut endings, the power goes: the file
// holds this round's bytes, whole, under its name.
class DurableKill : public ::testing::TestWithParam<test::Ending> {};

TEST_P(DurableKill, TheFileSurvivesTheInstantItReturns) {
  if (const std::string why = test::DurabilityRound::WhyUnavailable(GetParam()); !why.empty()) GTEST_SKIP() << why;
  for (int round = 0; round < 20; ++round) {
    test::DurabilityRound disk(GetParam());
    std::string why;
    ASSERT_TRUE(disk.Start(&why)) << why;
    // The last round's file, written durably before this one replaces it.
    ASSERT_TRUE(WriteFileDurably(disk.data(), "state", "the round before").ok());
    const test::ChildEnd end = test::RunChild([&](test::ChildPipe& child) {
      if (!WriteFileDurably(disk.data(), "state", "round " + std::to_string(round)).ok()) return 2;
      child.KillHere("written");
    });
    ASSERT_TRUE(disk.End(&why, static_cast<unsigned>(round))) << why;
    ASSERT_TRUE(end.killed) << end.Describe();
    EXPECT_EQ(Slurp(disk.disk() + "/state"), "round " + std::to_string(round));
  }
}

INSTANTIATE_TEST_SUITE_P(Endings, DurableKill, test::AllEndings(), test::EndingName);

TEST(Durable, FailureNamesTheFile) {
  const Status s = WriteFileDurably("/nonexistent-dir-for-mapishut", "x", "y");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), ::testing::HasSubstr("/nonexistent-dir-for-mapishut/.x.tmp"));
}

}  // namespace
}  // namespace mapishut
