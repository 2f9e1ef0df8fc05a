// ShutdownCoordinator on its own, in LevelDB's manner: fake providers in this process, handed to
// the coordinator through its TargetSource; no dlopen, no files, no MAPIInitialize. Each test
// builds its own coordinator, so a fast shutdown here ends nothing for the next test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mapicode.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <future>
#include <thread>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "../shutdown/coordinator.h"
#include "mapishut/com_object.h"
#include "mapishut/subsystem.h"

namespace mapishut {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// A provider object that only speaks IMAPIProviderShutdown, logging "<name>:<step>" calls.
class FakeProvider final : public ComObject<FakeProvider, IMAPIProviderShutdown> {
 public:
  FakeProvider(std::string name, std::vector<std::string>* log, std::mutex* log_mutex)
      : name_(std::move(name)), log_(log), log_mutex_(log_mutex) {}
  HRESULT query_answer = S_OK;
  HRESULT do_answer = S_OK;
  std::function<void()> inside_do;      // runs inside DoFastShutdown, after it is logged
  std::function<void()> inside_notify;  // the same for NotifyProcessShutdown
  STDMETHODIMP QueryFastShutdown() override { return Log("query", query_answer); }
  STDMETHODIMP NotifyProcessShutdown() override {
    const HRESULT hr = Log("notify", S_OK);
    if (inside_notify) inside_notify();
    return hr;
  }
  STDMETHODIMP DoFastShutdown() override {
    const HRESULT hr = Log("do", do_answer);
    if (inside_do) inside_do();
    return hr;
  }

 private:
  HRESULT Log(const char* step, HRESULT hr) {
    std::lock_guard lock(*log_mutex_);
    log_->push_back(name_ + ":" + step);
    return hr;
  }
  std::string name_;
  std::vector<std::string>* log_;
  std::mutex* log_mutex_;
};

// A provider whose QueryInterface takes `think` before it answers, with IMAPIProviderShutdown or
// without it. The sleep is the provider's own work, which the record must charge to it.
class SlowToAnswerProvider final : public ComObject<SlowToAnswerProvider, IMAPIProviderShutdown> {
 public:
  SlowToAnswerProvider(std::chrono::milliseconds think, bool has_interface) : think_(think), has_interface_(has_interface) {}
  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* out) override {
    std::this_thread::sleep_for(think_);
    if (!has_interface_ && riid == IID_IMAPIProviderShutdown) {
      *out = nullptr;
      return E_NOINTERFACE;
    }
    return ComObject::QueryInterface(riid, out);
  }
  STDMETHODIMP QueryFastShutdown() override { return S_OK; }
  STDMETHODIMP NotifyProcessShutdown() override { return S_OK; }
  STDMETHODIMP DoFastShutdown() override { return S_OK; }

 private:
  const std::chrono::milliseconds think_;
  const bool has_interface_;
};

class CoordinatorTest : public ::testing::Test {
 protected:
  CoordinatorTest() : coordinator_([this] { return targets_; }) {}
  ~CoordinatorTest() override {
    for (FakeProvider* p : providers_) p->Release();
  }
  FakeProvider* Add(uint32_t session, ProviderKind kind, const std::string& name) {
    auto* p = new FakeProvider(name, &log_, &log_mutex_);
    providers_.push_back(p);
    targets_.push_back(ShutdownTarget{session, kind, MakeProviderNames(name, "fake.so", "[" + name + "]"), p->identity()});
    return p;
  }
  std::vector<std::string> Log() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }
  std::mutex log_mutex_;
  std::vector<std::string> log_;
  std::vector<FakeProvider*> providers_;
  std::vector<ShutdownTarget> targets_;
  ShutdownCoordinator coordinator_;
};

TEST_F(CoordinatorTest, AsksNotifiesAndTellsEachSessionsTransportsThenAddressBooksThenStores) {
  Add(2, ProviderKind::kStore, "S2");
  Add(1, ProviderKind::kStore, "S1");
  Add(1, ProviderKind::kTransport, "T1");
  Add(1, ProviderKind::kAddressBook, "A1");
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  ASSERT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);
  ASSERT_EQ(coordinator_.DoFastShutdown(), S_OK);
  // Asked in turn; told session by session at the same time, each session in its own order.
  const std::vector<std::string> log = Log();
  ASSERT_EQ(log.size(), 12u);
  EXPECT_THAT(std::vector<std::string>(log.begin(), log.begin() + 4), ElementsAre("T1:query", "A1:query", "S1:query", "S2:query"));
  auto among = [&](std::initializer_list<std::string> names) {
    std::vector<std::string> out;
    for (size_t i = 4; i < log.size(); ++i) {
      if (std::find(names.begin(), names.end(), log[i]) != names.end()) out.push_back(log[i]);
    }
    return out;
  };
  EXPECT_THAT(among({"T1:notify", "A1:notify", "S1:notify", "T1:do", "A1:do", "S1:do"}),
              ElementsAre("T1:notify", "A1:notify", "S1:notify", "T1:do", "A1:do", "S1:do"));
  EXPECT_THAT(among({"S2:notify", "S2:do"}), ElementsAre("S2:notify", "S2:do"));
  EXPECT_LT(std::find(log.begin(), log.end(), "S2:notify"), std::find(log.begin(), log.end(), "T1:do"));  // all told before any exits
  EXPECT_TRUE(coordinator_.ended());
}

// Issue 11, item 3: sessions are told at the same time, each in its own order. Each session's
// store waits inside DoFastShutdown until every session's store is inside it: told one session
// after another, the first would wait out its bound alone and the step would fail.
TEST_F(CoordinatorTest, SessionsAreToldConcurrentlyEachInItsOwnOrderAndEachProviderOnce) {
  constexpr int kSessions = 4;
  std::mutex m;
  std::condition_variable cv;
  int inside = 0;
  for (uint32_t s = 1; s <= kSessions; ++s) {
    Add(s, ProviderKind::kStore, "S" + std::to_string(s))->inside_do = [&] {
      std::unique_lock lock(m);
      ++inside;
      cv.notify_all();
      if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return inside == kSessions; })) throw std::runtime_error("alone");
    };
    Add(s, ProviderKind::kTransport, "T" + std::to_string(s));
  }
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  ASSERT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(coordinator_.DoFastShutdown(), S_OK);
  const std::vector<std::string> log = Log();
  for (int s = 1; s <= kSessions; ++s) {
    const std::string t = "T" + std::to_string(s) + ":do", store = "S" + std::to_string(s) + ":do";
    EXPECT_EQ(std::count(log.begin(), log.end(), t), 1) << t;
    EXPECT_EQ(std::count(log.begin(), log.end(), store), 1) << store;
    EXPECT_LT(std::find(log.begin(), log.end(), t), std::find(log.begin(), log.end(), store)) << "session " << s;
  }
  const ShutdownRecord record = coordinator_.Record();
  EXPECT_EQ(record.providers.size(), 2u * kSessions);
  for (const auto& p : record.providers) EXPECT_EQ(p.calls.size(), 3u) << p.names->display_name;  // query, notify, do
}

// Issue 11, item 3: the threads that told the sessions at NotifyProcessShutdown tell them again
// at DoFastShutdown, so the call after which the client exits starts no thread (300 us each on
// this project's machines). Each call's record names its thread.
TEST_F(CoordinatorTest, DoTellsEachSessionOnTheThreadThatNotifiedIt) {
  constexpr uint32_t kSessions = 5;
  for (uint32_t s = 1; s <= kSessions; ++s) Add(s, ProviderKind::kStore, "S" + std::to_string(s));
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  ASSERT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);
  ASSERT_EQ(coordinator_.DoFastShutdown(), S_OK);
  std::set<unsigned long> threads;
  for (const ProviderRecord& p : coordinator_.Record().providers) {
    ASSERT_EQ(p.calls.size(), 3u) << p.names->display_name;
    EXPECT_EQ(p.calls[1].step, ShutdownStep::kNotifyProcessShutdown);
    EXPECT_EQ(p.calls[2].step, ShutdownStep::kDoFastShutdown);
    EXPECT_EQ(p.calls[2].thread_id, p.calls[1].thread_id) << p.names->display_name;
    threads.insert(p.calls[2].thread_id);
  }
  EXPECT_EQ(threads.size(), kSessions);  // still one thread per session
}

// The sessions' threads end at a normal shutdown (before its providers' libraries could close):
// none outlives the last MAPIUninitialize.
TEST_F(CoordinatorTest, ANormalShutdownEndsTheSessionsThreads) {
  std::mutex m;
  std::vector<long> tids;
  for (uint32_t s = 1; s <= 3; ++s) {
    Add(s, ProviderKind::kStore, "S" + std::to_string(s))->inside_notify = [&] {
      std::lock_guard lock(m);
      tids.push_back(syscall(SYS_gettid));
    };
  }
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  ASSERT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);
  const long self = syscall(SYS_gettid);
  std::vector<long> helpers;
  for (long tid : tids) {
    if (tid != self) helpers.push_back(tid);
  }
  ASSERT_EQ(helpers.size(), 2u);  // sessions 2 and 3
  for (long tid : helpers) EXPECT_TRUE(std::filesystem::exists("/proc/self/task/" + std::to_string(tid)));
  ASSERT_EQ(coordinator_.RunNormalShutdown([] {}), S_OK);
  for (long tid : helpers) EXPECT_FALSE(std::filesystem::exists("/proc/self/task/" + std::to_string(tid))) << tid;
}

// Issue 12, item 4: the administrator's ProviderCallTimeoutMs is the deadline of each provider
// call, over the client's SetProviderCallDeadline.
TEST_F(CoordinatorTest, ThePolicysCallTimeoutIsTheDeadlineOverTheClients) {
  class TimeoutPolicy final : public PolicyReader {
   public:
    PolicyReading Read() const override {
      PolicyReading r;
      r.value = FastShutdownBehavior::kUnlessOptedOut;
      r.provider_call_timeout_ms = PolicySetting{100, "/etc/mapishut/policy.d/10-site.reg", 4};
      return r;
    }
  };
  coordinator_.SetPolicyReader(std::make_shared<TimeoutPolicy>());
  coordinator_.SetDeadline(std::chrono::minutes(10));  // the client's: the policy's wins
  auto released = std::make_shared<std::promise<void>>();
  std::shared_future<void> release = released->get_future().share();
  Add(1, ProviderKind::kStore, "Slow")->inside_do = [release] { release.wait(); };
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  ASSERT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(coordinator_.DoFastShutdown(), MAPI_E_TIMEOUT);  // after 100 ms, not 10 minutes
  const ShutdownRecord record = coordinator_.Record();
  bool named = false;
  for (const auto& line : record.reports) named |= line.find("did not return within 100 ms") != std::string::npos;
  EXPECT_TRUE(named);
  released->set_value();
  while (AbandonedCallsRunning() > 0) std::this_thread::yield();  // the provider returns; its record is patched
}

TEST_F(CoordinatorTest, ASessionThatArrivesAfterTheAnswerAndRefusesMeansNobodyIsTold) {
  Add(1, ProviderKind::kTransport, "T1");
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  Add(2, ProviderKind::kStore, "Late")->query_answer = MAPI_E_NO_SUPPORT;
  EXPECT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(coordinator_.DoFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(Log(), ElementsAre("T1:query", "Late:query"));
  EXPECT_FALSE(coordinator_.ended());
  EXPECT_TRUE(coordinator_.accepts_logons());
}

// The process's coordinator reuses a phase's targets until a logon or a logoff runs (targets
// change only inside those activities): a session that logs on after the answer is still asked
// before anyone is told, and one that logs off between the phases is not told to exit.
TEST_F(CoordinatorTest, TargetsReusedBetweenPhasesAreAskedAgainAfterALogonOrALogoff) {
  ShutdownCoordinator coordinator([this] { return targets_; }, ShutdownCoordinator::TargetChanges::kInsideActivities);
  Add(1, ProviderKind::kTransport, "T1");
  Add(2, ProviderKind::kStore, "S2");
  ASSERT_EQ(coordinator.QueryFastShutdown(), S_OK);
  ASSERT_EQ(coordinator.AdmitSession([&] {
    Add(3, ProviderKind::kStore, "Late");
    return S_OK;
  }), S_OK);
  EXPECT_EQ(coordinator.NotifyProcessShutdown(), S_OK);
  ASSERT_EQ(coordinator.RunNormalShutdown([&] { targets_.erase(targets_.begin() + 1); }), S_OK);  // S2 logs off
  EXPECT_EQ(coordinator.DoFastShutdown(), S_OK);
  EXPECT_THAT(Log(), UnorderedElementsAre("T1:query", "S2:query", "Late:query", "T1:notify", "S2:notify", "Late:notify",
                                          "T1:do", "Late:do"));
}

// Issue 11, item 2: calls made one after another read the clock once each: a call's end is the
// next one's start, so the record still accounts for every moment of the step. (In the query
// step each provider's QueryInterface comes between, on the record only when it overran.) With
// a deadline too, where each call runs on a thread of its own.
TEST_F(CoordinatorTest, EachCallOfAStepStartsWhereThePreviousEnded) {
  for (int i = 0; i < 4; ++i) Add(1, ProviderKind::kStore, "S" + std::to_string(i));
  for (const bool deadline : {false, true}) {
    ShutdownCoordinator coordinator([this] { return targets_; });
    if (deadline) coordinator.SetDeadline(std::chrono::seconds(10));
    ASSERT_EQ(coordinator.QueryFastShutdown(), S_OK);
    ASSERT_EQ(coordinator.NotifyProcessShutdown(), S_OK);
    ASSERT_EQ(coordinator.DoFastShutdown(), S_OK);
    const ShutdownRecord record = coordinator.Record();
    ASSERT_EQ(record.providers.size(), 4u);
    for (size_t step = 0; step < 3; ++step) {
      for (size_t i = 1; i < record.providers.size(); ++i) {
        const ProviderCallRecord& before = record.providers[i - 1].calls.at(step);
        const ProviderCallRecord& after = record.providers[i].calls.at(step);
        const auto end = before.started + before.duration;
        if (after.step == ShutdownStep::kQueryFastShutdown) {
          EXPECT_GE(after.started, end) << "provider " << i;
        } else {
          EXPECT_EQ(after.started, end) << ShutdownStepName(after.step) << ", provider " << i << ", deadline " << deadline;
        }
      }
    }
  }
}

// The QueryInterface asked before a provider's first step is not timed on its own (issue 11): its
// time counts in that provider's QueryFastShutdown, and a provider without the interface, whose
// QueryInterface no call follows, is not charged to the provider asked after it.
TEST_F(CoordinatorTest, AProvidersQueryInterfaceCountsInItsOwnQueryNeverInTheNextProviders) {
  constexpr auto kThink = std::chrono::milliseconds(100);
  auto* lacking = new SlowToAnswerProvider(kThink, false);
  auto* having = new SlowToAnswerProvider(kThink, true);
  targets_.push_back(ShutdownTarget{1, ProviderKind::kTransport, MakeProviderNames("Lacking", "slow.so", "[Lacking]"),
                                    lacking->identity()});
  Add(1, ProviderKind::kAddressBook, "Quick");
  targets_.push_back(ShutdownTarget{1, ProviderKind::kStore, MakeProviderNames("Having", "slow.so", "[Having]"), having->identity()});
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  const ShutdownRecord record = coordinator_.Record();
  ASSERT_EQ(record.providers.size(), 3u);
  EXPECT_TRUE(record.providers[0].calls.empty());  // no interface: asked nothing
  EXPECT_LT(record.providers[1].calls.at(0).duration, kThink) << "charged the QueryInterface of the provider before it";
  EXPECT_GE(record.providers[2].calls.at(0).duration, kThink) << "its own QueryInterface is not in its QueryFastShutdown";
  coordinator_.ForgetProvider(lacking->identity());
  coordinator_.ForgetProvider(having->identity());
  lacking->Release();
  having->Release();
}

// What the coordinator does between two calls counts in the second only when it is the little
// work of recording the first: a failure's report (whose sink may take its time) is not charged
// to the provider told after it.
TEST_F(CoordinatorTest, AFailuresReportIsNotCountedInTheNextProvidersCall) {
  Add(1, ProviderKind::kTransport, "T1")->do_answer = MAPI_E_DISK_ERROR;
  Add(1, ProviderKind::kStore, "S1");
  constexpr auto kSlowSink = std::chrono::milliseconds(100);
  struct SinkGuard {
    ~SinkGuard() { SetFailureSink({}); }
  } guard;
  SetFailureSink([&](const FailureEvent&) { std::this_thread::sleep_for(kSlowSink); });
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  ASSERT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(coordinator_.DoFastShutdown(), MAPI_E_CALL_FAILED);
  const ShutdownRecord record = coordinator_.Record();
  ASSERT_EQ(record.providers.size(), 2u);
  const ProviderCallRecord& store_do = record.providers[1].calls.at(2);
  ASSERT_EQ(store_do.step, ShutdownStep::kDoFastShutdown);
  EXPECT_LT(store_do.duration, kSlowSink) << "the store's DoFastShutdown was charged the transport's report";
}

// Rule 4 across threads: a client's call reaching a provider while a step overruns its deadline on
// it sees the call still running. The step's thread marks the call left running while clients'
// threads ask about it (EnterClientCall): a race on the entry's tracker under ThreadSanitizer
// before the mark was published under the coordinator's lock.
TEST_F(CoordinatorTest, AClientCallDuringAStepThatOverranSeesTheCallStillRunning) {
  coordinator_.SetDeadline(std::chrono::milliseconds(100));
  auto released = std::make_shared<std::promise<void>>();
  std::shared_future<void> release = released->get_future().share();
  FakeProvider* slow = Add(1, ProviderKind::kStore, "Slow");
  slow->inside_notify = [release] { release.wait(); };
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  std::atomic<bool> stop{false};
  std::thread client([&] {
    while (!stop) {
      if (coordinator_.EnterClientCall(slow->identity()) == S_OK) coordinator_.LeaveClientCall();
    }
  });
  EXPECT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);  // every provider was tried
  stop = true;
  client.join();
  EXPECT_EQ(coordinator_.EnterClientCall(slow->identity()), MAPI_E_TIMEOUT);
  released->set_value();
  while (AbandonedCallsRunning() > 0) std::this_thread::yield();
}

TEST_F(CoordinatorTest, AFailedDoLeavesTheNormalShutdownOpenAndASuccessfulOneClosesIt) {
  FakeProvider* store = Add(1, ProviderKind::kStore, "S1");
  store->do_answer = MAPI_E_DISK_ERROR;
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  EXPECT_EQ(coordinator_.DoFastShutdown(), MAPI_E_CALL_FAILED);
  bool torn_down = false;
  EXPECT_EQ(coordinator_.RunNormalShutdown([&] { torn_down = true; }), S_OK);
  EXPECT_TRUE(torn_down);
}

TEST_F(CoordinatorTest, AfterTheEndNoNormalShutdownRunsAndNoClientCallEnters) {
  Add(1, ProviderKind::kStore, "S1");
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  ASSERT_EQ(coordinator_.DoFastShutdown(), S_OK);
  bool torn_down = false;
  EXPECT_EQ(coordinator_.RunNormalShutdown([&] { torn_down = true; }), MAPI_E_END_OF_SESSION);
  EXPECT_FALSE(torn_down);
  EXPECT_EQ(coordinator_.EnterClientCall(nullptr), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(coordinator_.AdmitSession([] { return S_OK; }), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(coordinator_.QueryFastShutdown(), MAPI_E_END_OF_SESSION);
}

// SPEC.md rule 6 during the later phases: a failure inside the subsystem (here the session list
// running out of memory) fails that call and changes nothing; the client may call it again.
TEST_F(CoordinatorTest, AnExceptionDuringNotifyOrDoFailsThatCallAndTheClientMayCallItAgain) {
  Add(1, ProviderKind::kStore, "S1");
  int calls = 0;
  int fail_at = 2;  // the source's second call is the notify phase's, its third the do phase's
  ShutdownCoordinator coordinator([&]() -> std::vector<ShutdownTarget> {
    if (++calls == fail_at) throw std::bad_alloc();
    return targets_;
  });
  ASSERT_EQ(coordinator.QueryFastShutdown(), S_OK);
  EXPECT_EQ(coordinator.NotifyProcessShutdown(), MAPI_E_NOT_ENOUGH_MEMORY);
  EXPECT_TRUE(coordinator.accepts_logons());  // nobody was told
  EXPECT_EQ(coordinator.NotifyProcessShutdown(), S_OK);
  fail_at = calls + 1;
  EXPECT_EQ(coordinator.DoFastShutdown(), MAPI_E_NOT_ENOUGH_MEMORY);
  EXPECT_FALSE(coordinator.ended());
  EXPECT_EQ(coordinator.DoFastShutdown(), S_OK);
  EXPECT_TRUE(coordinator.ended());
  EXPECT_THAT(Log(), ElementsAre("S1:query", "S1:notify", "S1:do"));
}

TEST_F(CoordinatorTest, AnExceptionFromTheTargetSourceFailsTheStepAndChangesNothing) {
  Add(1, ProviderKind::kStore, "S1");
  ShutdownCoordinator throwing([]() -> std::vector<ShutdownTarget> { throw std::bad_alloc(); });
  EXPECT_EQ(throwing.QueryFastShutdown(), MAPI_E_NOT_ENOUGH_MEMORY);
  EXPECT_EQ(throwing.DoFastShutdown(), MAPI_E_NO_SUPPORT);  // nothing was allowed
  EXPECT_EQ(throwing.RunNormalShutdown([] {}), S_OK);       // and nothing is wedged
}

}  // namespace
}  // namespace mapishut
