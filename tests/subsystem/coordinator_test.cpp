// ShutdownCoordinator on its own, in LevelDB's manner: fake providers in this process, handed to
// the coordinator through its TargetSource; no dlopen, no files, no MAPIInitialize. Each test
// builds its own coordinator, so a fast shutdown here ends nothing for the next test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mapicode.h>

#include <string>
#include <vector>

#include "../shutdown/coordinator.h"
#include "mapishut/com_object.h"

namespace mapishut {
namespace {

using ::testing::ElementsAre;

// A provider object that only speaks IMAPIProviderShutdown, logging "<name>:<step>" calls.
class FakeProvider final : public ComObject<FakeProvider, IMAPIProviderShutdown> {
 public:
  FakeProvider(std::string name, std::vector<std::string>* log) : name_(std::move(name)), log_(log) {}
  HRESULT query_answer = S_OK;
  HRESULT do_answer = S_OK;
  STDMETHODIMP QueryFastShutdown() override { return Log("query", query_answer); }
  STDMETHODIMP NotifyProcessShutdown() override { return Log("notify", S_OK); }
  STDMETHODIMP DoFastShutdown() override { return Log("do", do_answer); }

 private:
  HRESULT Log(const char* step, HRESULT hr) {
    log_->push_back(name_ + ":" + step);
    return hr;
  }
  std::string name_;
  std::vector<std::string>* log_;
};

class CoordinatorTest : public ::testing::Test {
 protected:
  CoordinatorTest() : coordinator_([this] { return targets_; }) {}
  ~CoordinatorTest() override {
    for (FakeProvider* p : providers_) p->Release();
  }
  FakeProvider* Add(uint32_t session, ProviderKind kind, const std::string& name) {
    auto* p = new FakeProvider(name, &log_);
    providers_.push_back(p);
    targets_.push_back(ShutdownTarget{session, kind, name, "fake.so", "[" + name + "]", p->identity()});
    return p;
  }
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
  EXPECT_THAT(log_, ElementsAre("T1:query", "A1:query", "S1:query", "S2:query", "T1:notify", "A1:notify", "S1:notify",
                                "S2:notify", "T1:do", "A1:do", "S1:do", "S2:do"));
  EXPECT_TRUE(coordinator_.ended());
}

TEST_F(CoordinatorTest, ASessionThatArrivesAfterTheAnswerAndRefusesMeansNobodyIsTold) {
  Add(1, ProviderKind::kTransport, "T1");
  ASSERT_EQ(coordinator_.QueryFastShutdown(), S_OK);
  Add(2, ProviderKind::kStore, "Late")->query_answer = MAPI_E_NO_SUPPORT;
  EXPECT_EQ(coordinator_.NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(coordinator_.DoFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(log_, ElementsAre("T1:query", "Late:query"));
  EXPECT_FALSE(coordinator_.ended());
  EXPECT_TRUE(coordinator_.accepts_logons());
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

TEST_F(CoordinatorTest, AnExceptionFromTheTargetSourceFailsTheStepAndChangesNothing) {
  Add(1, ProviderKind::kStore, "S1");
  ShutdownCoordinator throwing([]() -> std::vector<ShutdownTarget> { throw std::bad_alloc(); });
  EXPECT_EQ(throwing.QueryFastShutdown(), MAPI_E_NOT_ENOUGH_MEMORY);
  EXPECT_EQ(throwing.DoFastShutdown(), MAPI_E_NO_SUPPORT);  // nothing was allowed
  EXPECT_EQ(throwing.RunNormalShutdown([] {}), S_OK);       // and nothing is wedged
}

}  // namespace
}  // namespace mapishut
