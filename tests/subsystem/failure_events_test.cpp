// One failure channel (issue 9, item 3): every failure the subsystem notices is one event with
// what happened, where mapishut noticed it, the provider and the step; the client's
// LastErrorMessage(), the shutdown record and the process's sink read the same event.
#include <mutex>

#include "fixture.h"

namespace mapishut::test {
namespace {

using testjournal::Behavior;
using testjournal::Method;
using ::testing::HasSubstr;

class FailureEventsTest : public SubsystemTest {
 protected:
  void SetUp() override {
    SubsystemTest::SetUp();
    SetFailureSink([this](const FailureEvent& e) {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
    });
  }
  void TearDown() override {
    SetFailureSink(nullptr);
    SubsystemTest::TearDown();
  }
  std::vector<FailureEvent> Events() {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  std::mutex mutex_;
  std::vector<FailureEvent> events_;
};

TEST_F(FailureEventsTest, AFailedCallIsOneEventAndItsTextIsLastErrorMessage) {
  WriteProfile("p", {{"Ghost", Kind::kStore, "libno_such_provider.so"}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_NOT_FOUND);
  const auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].what, LastErrorMessage());
  EXPECT_EQ(events[0].step, "MAPILogonEx");
  EXPECT_EQ(events[0].hr, MAPI_E_NOT_FOUND);
  EXPECT_THAT(events[0].where, HasSubstr("mapi_api.cpp:"));
}

TEST_F(FailureEventsTest, AProviderFailingDoIsOneEventNamingItAndTheStepAndItIsTheRecordsReport) {
  journal().Script("Store", Method::kDo, Behavior{MAPI_E_DISK_ERROR});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_NE(cs->DoFastShutdown(), S_OK);
  const FailureEvent* store = nullptr;
  const auto events = Events();
  for (const auto& e : events) {
    if (e.provider.find("Store") != std::string::npos && e.step == "DoFastShutdown") store = &e;
  }
  ASSERT_NE(store, nullptr) << events.size() << " events, none for Store's DoFastShutdown";
  EXPECT_EQ(store->hr, MAPI_E_DISK_ERROR);
  EXPECT_THAT(store->where, HasSubstr("coordinator.cpp:"));
  EXPECT_TRUE(AnyReportContains(store->what)) << store->what;
}

TEST_F(FailureEventsTest, AProviderCallingItsSupportObjectAfterTheEndIsOneEventNamingIt) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  IMAPISupport* support = journal().Support("Store");
  ASSERT_NE(support, nullptr);
  MAPIUID uid;
  ASSERT_EQ(support->NewUID(&uid), S_OK);  // before the end: an ordinary call, no event
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  ASSERT_EQ(cs->DoFastShutdown(), S_OK);
  EXPECT_EQ(support->NewUID(&uid), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(support->NewUID(&uid), MAPI_E_END_OF_SESSION);  // a poller calls again and again
  EXPECT_EQ(support->CompleteMsg(0, 0, nullptr), MAPI_E_END_OF_SESSION);
  std::vector<FailureEvent> late;
  for (const auto& e : Events()) {
    if (e.step == kLateSupportCallStep) late.push_back(e);
  }
  ASSERT_EQ(late.size(), 1u) << "one event per provider logon, however often it calls";
  EXPECT_THAT(late[0].provider, HasSubstr("\"Store\""));
  EXPECT_THAT(late[0].what, HasSubstr("IMAPISupport::NewUID"));
  EXPECT_EQ(late[0].hr, MAPI_E_END_OF_SESSION);
  EXPECT_TRUE(AnyReportContains(late[0].what)) << late[0].what;
}

}  // namespace
}  // namespace mapishut::test
