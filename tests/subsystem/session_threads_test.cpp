// SessionThreads on its own (src/shutdown/session_threads.h): every work once per Run, each on
// its own thread, the same thread from one Run to the next, whatever the counts do in between.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "../shutdown/session_threads.h"

namespace mapishut {
namespace {

// The thread each work ran on, by index, for one Run.
std::vector<std::thread::id> RunAndSee(SessionThreads& threads, size_t count) {
  std::mutex m;
  std::vector<std::thread::id> ran(count);
  std::vector<int> times(count, 0);
  threads.Run(count, [&](size_t i) {
    std::lock_guard lock(m);
    ran[i] = std::this_thread::get_id();
    ++times[i];
  });
  EXPECT_THAT(times, ::testing::Each(1)) << count << " works";
  return ran;
}

TEST(SessionThreads, EachWorkRunsOnceOnAThreadOfItsOwnAndTheFirstOnTheCallers) {
  SessionThreads threads;
  const std::vector<std::thread::id> ran = RunAndSee(threads, 9);
  EXPECT_EQ(ran[0], std::this_thread::get_id());
  EXPECT_EQ(std::set<std::thread::id>(ran.begin(), ran.end()).size(), 9u);
}

TEST(SessionThreads, OneWorkStartsNoThread) {
  SessionThreads threads;
  EXPECT_EQ(RunAndSee(threads, 1)[0], std::this_thread::get_id());
  threads.Run(0, [](size_t) { ADD_FAILURE() << "no work to run"; });
}

TEST(SessionThreads, EachIndexKeepsItsThreadAsTheCountShrinksAndGrows) {
  SessionThreads threads;
  const std::vector<std::thread::id> first = RunAndSee(threads, 7);
  const std::vector<std::thread::id> fewer = RunAndSee(threads, 3);  // threads 3..6 wait this one out
  const std::vector<std::thread::id> more = RunAndSee(threads, 12);  // 7..11 start, 1..6 are woken
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(fewer[i], first[i]) << i;
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(more[i], first[i]) << i;
  EXPECT_EQ(std::set<std::thread::id>(more.begin(), more.end()).size(), 12u);
}

// Whether this process still has a thread of kernel id `tid`.
bool TaskAlive(long tid) { return std::filesystem::exists("/proc/self/task/" + std::to_string(tid)); }

TEST(SessionThreads, StopEndsEveryThreadAndTheNextRunStartsThemAgain) {
  SessionThreads threads;
  std::mutex m;
  std::vector<long> tids;
  auto record = [&](size_t i) {
    if (i == 0) return;  // the caller's
    std::lock_guard lock(m);
    tids.push_back(syscall(SYS_gettid));
  };
  threads.Run(4, record);
  ASSERT_EQ(tids.size(), 3u);
  for (long tid : tids) EXPECT_TRUE(TaskAlive(tid)) << tid;  // kept between Runs
  threads.Stop();
  for (long tid : tids) EXPECT_FALSE(TaskAlive(tid)) << tid;
  EXPECT_EQ(RunAndSee(threads, 4).size(), 4u);  // once each again, on new threads
}

}  // namespace
}  // namespace mapishut
