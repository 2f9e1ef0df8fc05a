// The provider SDK's background work: nonessential jobs stop at notify, essential ones go on.
#include "mapishut/background_work.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>

namespace mapishut {
namespace {

using namespace std::chrono_literals;

TEST(BackgroundWork, EssentialJobsRunAndDrainWaitsForThem) {
  BackgroundWork work;
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(work.Schedule("save", JobKind::kEssential, [&](std::stop_token) { ++ran; }));
  work.Drain();
  EXPECT_EQ(ran.load(), 5);
  EXPECT_EQ(work.StartedCounts()["save"], 5);
}

TEST(BackgroundWork, PeriodicJobsCanBeTriggeredDeterministically) {
  BackgroundWork work;
  std::atomic<int> polls{0};
  ASSERT_TRUE(work.SchedulePeriodic("poll", 1h, [&](std::stop_token) { ++polls; }));
  ASSERT_TRUE(work.TriggerPeriodicNow("poll"));
  work.Drain();
  EXPECT_EQ(polls.load(), 1);
  EXPECT_FALSE(work.TriggerPeriodicNow("no such job"));
}

TEST(BackgroundWork, AfterStopNonessentialNoNonessentialJobStarts) {
  BackgroundWork work;
  std::atomic<int> polls{0};
  ASSERT_TRUE(work.SchedulePeriodic("poll", 1h, [&](std::stop_token) { ++polls; }));
  work.StopNonessential();
  EXPECT_TRUE(work.nonessential_stopped());
  EXPECT_FALSE(work.TriggerPeriodicNow("poll"));
  EXPECT_FALSE(work.Schedule("index", JobKind::kNonessential, [&](std::stop_token) { ++polls; }));
  EXPECT_FALSE(work.SchedulePeriodic("compact", 1ms, [&](std::stop_token) { ++polls; }));
  std::atomic<bool> saved{false};
  EXPECT_TRUE(work.Schedule("save", JobKind::kEssential, [&](std::stop_token) { saved = true; }));
  work.Drain();
  EXPECT_TRUE(saved.load());  // saving still happens
  EXPECT_EQ(polls.load(), 0);
  EXPECT_EQ(work.StartedCounts().count("poll"), 0u);
}

TEST(BackgroundWork, QueuedNonessentialJobsAreDroppedAtStop) {
  BackgroundWork work;
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> downloads{0};
  // An essential job holds the worker, so the downloads are still queued when notify comes.
  ASSERT_TRUE(work.Schedule("hold", JobKind::kEssential, [gate](std::stop_token) { gate.wait(); }));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(work.Schedule("download", JobKind::kNonessential, [&](std::stop_token) { ++downloads; }));
  work.StopNonessential();
  release.set_value();
  work.Drain();
  EXPECT_EQ(downloads.load(), 0);
}

TEST(BackgroundWork, RunningNonessentialJobIsAskedToStopCooperatively) {
  BackgroundWork work;
  std::mutex m;
  std::condition_variable_any cv;
  std::promise<void> started;
  std::atomic<bool> saw_stop{false};
  ASSERT_TRUE(work.Schedule("compact", JobKind::kNonessential, [&](std::stop_token stop) {
    started.set_value();
    std::unique_lock lock(m);
    cv.wait(lock, stop, [] { return false; });  // runs until asked to stop
    saw_stop = stop.stop_requested();
  }));
  started.get_future().wait();
  work.StopNonessential();  // returns at once
  work.WaitForNonessentialToStop();
  EXPECT_TRUE(saw_stop.load());
}

TEST(BackgroundWork, DestructorRunsQueuedEssentialJobs) {
  std::atomic<int> saved{0};
  {
    BackgroundWork work;
    for (int i = 0; i < 3; ++i) work.Schedule("save", JobKind::kEssential, [&](std::stop_token) { ++saved; });
  }
  EXPECT_EQ(saved.load(), 3);
}

TEST(BackgroundWork, AThrowingJobDoesNotStopTheWorker) {
  BackgroundWork work;
  std::atomic<bool> after{false};
  work.Schedule("bad", JobKind::kEssential, [](std::stop_token) { throw std::runtime_error("boom"); });
  work.Schedule("good", JobKind::kEssential, [&](std::stop_token) { after = true; });
  work.Drain();
  EXPECT_TRUE(after.load());
}

}  // namespace
}  // namespace mapishut
