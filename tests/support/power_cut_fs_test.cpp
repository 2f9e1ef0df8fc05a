// The power-cut filesystem keeps exactly what was synced and loses the rest (power_cut_fs.h).
// Every durability test that cuts the power relies on this, so it is pinned here on its own.
#include "power_cut_fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace mapishut::test {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Put(int fd, const std::string& bytes, off_t at) {
  ASSERT_EQ(pwrite(fd, bytes.data(), bytes.size(), at), static_cast<ssize_t>(bytes.size()));
}

std::string ReadThrough(int fd, size_t max) {
  std::string out(max, '\0');
  const ssize_t n = pread(fd, out.data(), max, 0);
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

class PowerCutFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = PowerCutFs::WhyUnavailable();
    if (!why.empty()) GTEST_SKIP() << why;
    char tmpl[] = "/tmp/mapishut-powercut-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    std::filesystem::create_directory(backing());
    std::filesystem::create_directory(mnt());
    std::string why_not;
    ASSERT_TRUE(fs_.Mount(backing(), mnt(), &why_not)) << why_not;
  }
  void TearDown() override {
    if (fs_.mounted()) {
      std::string ignored;
      fs_.Unmount(&ignored);
    }
    if (!root_.empty()) std::filesystem::remove_all(root_);
  }
  std::string backing() const { return root_ + "/backing"; }
  std::string mnt() const { return root_ + "/mnt"; }
  int Create(const std::string& name) { return open((mnt() + "/" + name).c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600); }
  void Cut(bool tear = false, unsigned seed = 0) {
    std::string why;
    ASSERT_TRUE(fs_.Cut(&why, tear, seed)) << why;
  }

  std::string root_;
  PowerCutFs fs_;
};

TEST_F(PowerCutFsTest, KeepsWhatWasFsyncedAndLosesWhatWasNot) {
  const int a = Create("a");
  ASSERT_GE(a, 0);
  Put(a, "synced", 0);
  ASSERT_EQ(fsync(a), 0);
  Put(a, " and not", 6);
  const int b = Create("b");
  Put(b, "never synced", 0);
  // The programs under test see everything they wrote...
  EXPECT_EQ(ReadThrough(a, 100), "synced and not");
  EXPECT_EQ(ReadThrough(b, 100), "never synced");
  long long bytes = 0, files = 0;
  std::string why;
  ASSERT_TRUE(fs_.Pending(&bytes, &files, &why)) << why;
  EXPECT_EQ(bytes, 8 + 12);
  EXPECT_EQ(files, 2);
  close(a);
  close(b);
  Cut();
  // ...and the disk has only what was synced. Directory entries are not modelled: b exists, empty.
  EXPECT_EQ(Slurp(backing() + "/a"), "synced");
  EXPECT_EQ(Slurp(backing() + "/b"), "");
}

TEST_F(PowerCutFsTest, FdatasyncMakesDataDurableToo) {
  const int a = Create("a");
  Put(a, "data", 0);
  ASSERT_EQ(fdatasync(a), 0);
  close(a);
  Cut();
  EXPECT_EQ(Slurp(backing() + "/a"), "data");
}

TEST_F(PowerCutFsTest, AnUnsyncedTruncationIsUndoneByTheCut) {
  const int a = Create("a");
  Put(a, "0123456789", 0);
  ASSERT_EQ(fsync(a), 0);
  ASSERT_EQ(ftruncate(a, 3), 0);
  Put(a, "X", 5);  // past the new end: a hole of zeros in between
  EXPECT_EQ(ReadThrough(a, 100), std::string("012\0\0X", 6));
  close(a);
  Cut();
  EXPECT_EQ(Slurp(backing() + "/a"), "0123456789");
}

TEST_F(PowerCutFsTest, ACleanUnmountWritesEverythingBack) {
  const int a = Create("a");
  Put(a, "kept by a clean shutdown", 0);
  close(a);
  std::string why;
  ASSERT_TRUE(fs_.Unmount(&why)) << why;
  EXPECT_EQ(Slurp(backing() + "/a"), "kept by a clean shutdown");
}

TEST_F(PowerCutFsTest, TearingKeepsSomeButNotAllOfTheLastUnsyncedWrite) {
  const int a = Create("a");
  Put(a, "head", 0);
  ASSERT_EQ(fsync(a), 0);
  // Within one page: the kernel hands a write that crosses pages to the daemon in pieces.
  const std::string last(3000, 'w');
  Put(a, last, 4);
  close(a);
  Cut(/*tear=*/true, /*seed=*/7);
  const std::string disk = Slurp(backing() + "/a");
  ASSERT_GT(disk.size(), 4u) << "nothing of the torn write reached the disk";
  EXPECT_LT(disk.size(), 4u + last.size()) << "the torn write reached the disk whole";
  EXPECT_EQ(disk.substr(0, 4), "head");
  EXPECT_EQ(disk.substr(4), std::string(disk.size() - 4, 'w'));
}

// Random overlapping writes and truncations, read back through the mount and, after an fsync,
// from the disk: both must equal a plain model of the file.
TEST_F(PowerCutFsTest, OverlappingWritesAndTruncationsReadBackAsAPlainFileWould) {
  std::mt19937 rng(20261203);
  const int a = Create("a");
  std::string model;
  for (int step = 0; step < 400; ++step) {
    if (rng() % 8 == 0) {
      const size_t size = rng() % 3000;
      ASSERT_EQ(ftruncate(a, static_cast<off_t>(size)), 0);
      model.resize(size, '\0');
    } else {
      const size_t at = rng() % 3000;
      std::string bytes(1 + rng() % 300, static_cast<char>('a' + step % 26));
      Put(a, bytes, static_cast<off_t>(at));
      if (model.size() < at + bytes.size()) model.resize(at + bytes.size(), '\0');
      model.replace(at, bytes.size(), bytes);
    }
    if (step % 97 == 0) {
      ASSERT_EQ(fsync(a), 0);
    }
    ASSERT_EQ(ReadThrough(a, 8192), model) << "after step " << step;
  }
  ASSERT_EQ(fsync(a), 0);
  close(a);
  Cut();
  EXPECT_EQ(Slurp(backing() + "/a"), model);
}

}  // namespace
}  // namespace mapishut::test
