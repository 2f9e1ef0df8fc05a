// IMAPIClientShutdown (issue 2, item 4): each rule of SPEC.md "The fast shutdown sequence" and
// "Policy", against scripted providers loaded through the real loader.
#include <algorithm>
#include <fstream>
#include <thread>

#include "fixture.h"
#include "mapishut/registry_policy.h"

using testjournal::Behavior;
using testjournal::Method;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace mapishut::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FastShutdownTest : public SubsystemTest {
 protected:
  // A profile with providers listed out of the documented order, to see the subsystem order them.
  void MixedProfile(const std::string& profile, const std::string& suffix) {
    WriteProfile(profile, {{"Store" + suffix, Kind::kStore},
                           {"Mail" + suffix, Kind::kTransport},
                           {"Book" + suffix, Kind::kAddressBook},
                           {"Fax" + suffix, Kind::kTransport}});
  }
};

TEST_F(FastShutdownTest, EverySessionIsAskedTransportsThenAddressBooksThenStores) {
  MixedProfile("one", "1");
  MixedProfile("two", "2");
  com_ptr<IMAPISession> a, b;
  ASSERT_EQ(Logon("one", &a), S_OK);
  ASSERT_EQ(Logon("two", &b), S_OK);
  auto cs = ClientShutdown(b);  // asking through the second session still reaches the first
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  EXPECT_THAT(Order(Method::kQuery), ElementsAre("Mail1", "Fax1", "Book1", "Store1", "Mail2", "Fax2", "Book2", "Store2"));
  // The sessions are told at the same time (issue 11), each in the documented order.
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  ASSERT_EQ(cs->DoFastShutdown(), S_OK);
  for (Method m : {Method::kNotify, Method::kDo}) {
    EXPECT_EQ(Order(m).size(), 8u);
    EXPECT_THAT(OrderAmong(m, {"Store1", "Mail1", "Book1", "Fax1"}), ElementsAre("Mail1", "Fax1", "Book1", "Store1"));
    EXPECT_THAT(OrderAmong(m, {"Store2", "Mail2", "Book2", "Fax2"}), ElementsAre("Mail2", "Fax2", "Book2", "Store2"));
  }
}

TEST_F(FastShutdownTest, TheSessionHandsOutOneClientShutdownObjectWithTheSessionsIdentity) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto first = ClientShutdown(s);
  auto second = ClientShutdown(s);
  EXPECT_EQ(first.get(), second.get());
  com_ptr<IUnknown> session_identity, shutdown_identity;
  ASSERT_EQ(s.query_to(IID_IUnknown, session_identity.put()), S_OK);
  ASSERT_EQ(first.query_to(IID_IUnknown, shutdown_identity.put()), S_OK);
  EXPECT_EQ(session_identity.get(), shutdown_identity.get());
  EXPECT_EQ(first.try_query<IMAPISession>().get(), s.get());
}

TEST_F(FastShutdownTest, Policy0AllowsWhenNoProviderFailsAndIgnoresThoseWithoutTheInterface) {
  Policy(FastShutdownBehavior::kUnlessOptedOut);
  journal().SetHasShutdownInterface("Book", false);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  EXPECT_EQ(cs->QueryFastShutdown(), S_OK);
  EXPECT_THAT(Order(Method::kQuery), ElementsAre("Mail", "Store"));
}

TEST_F(FastShutdownTest, Policy0BlocksWhenAnAskedProviderFails) {
  Policy(FastShutdownBehavior::kUnlessOptedOut);
  journal().Script("Store", Method::kQuery, Behavior{MAPI_E_NO_SUPPORT});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  // The client and the record learn who stands in the way, and what it answered.
  EXPECT_THAT(LastErrorMessage(), HasSubstr("\"Store\""));
  EXPECT_THAT(LastErrorMessage(), HasSubstr("QueryFastShutdown: failed (0x80040102)"));
  EXPECT_TRUE(AnyReportContains("\"Store\""));
  journal().Script("Store", Method::kQuery, Behavior{});
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);
  EXPECT_EQ(LastErrorMessage(), "");  // about the last call, which succeeded
}

TEST_F(FastShutdownTest, Policy1BlocksWhenAProviderLacksTheInterface) {
  Policy(FastShutdownBehavior::kOnlyIfAllOptedIn);
  journal().SetHasShutdownInterface("Book", false);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_TRUE(AnyReportContains("does not implement IMAPIProviderShutdown"));
  EXPECT_THAT(LastErrorMessage(), HasSubstr("\"Book\""));
}

TEST_F(FastShutdownTest, Policy1AllowsWhenEveryProviderOptsIn) {
  Policy(FastShutdownBehavior::kOnlyIfAllOptedIn);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);
}

TEST_F(FastShutdownTest, Policy1BlocksWhenAProviderFails) {
  Policy(FastShutdownBehavior::kOnlyIfAllOptedIn);
  journal().Script("Mail", Method::kQuery, Behavior{MAPI_E_CALL_FAILED});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(Order(Method::kQuery), ElementsAre("Mail", "Store"));  // still asks everyone, for the record
}

TEST_F(FastShutdownTest, Policy2NeverAllowsAndCallsNoProviderMethod) {
  Policy(FastShutdownBehavior::kDisabled);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  EXPECT_EQ(cs->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_EQ(cs->NotifyProcessShutdown(), S_OK);  // MFCMAPI calls it even after a failed query
  EXPECT_EQ(cs->DoFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(journal().Calls(Method::kQuery), IsEmpty());
  EXPECT_THAT(journal().Calls(Method::kNotify), IsEmpty());
  EXPECT_THAT(journal().Calls(Method::kDo), IsEmpty());
}

TEST_F(FastShutdownTest, ClientDefaultAppliesWhenNoPolicyValueIsSet) {
  Policy(std::nullopt);
  SetClientDefaultBehavior(FastShutdownBehavior::kDisabled);
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_EQ(GetShutdownRecord().behavior, FastShutdownBehavior::kDisabled);
  EXPECT_THAT(GetShutdownRecord().behavior_source, HasSubstr("client's declared default"));
}

TEST_F(FastShutdownTest, WithoutPolicyOrClientDefaultTheDefaultIs0) {
  Policy(std::nullopt);
  journal().SetHasShutdownInterface("Mail", false);
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);  // 1 would block on the missing interface
  EXPECT_EQ(GetShutdownRecord().behavior, FastShutdownBehavior::kUnlessOptedOut);
}

TEST_F(FastShutdownTest, PolicyValueOverridesTheClientDefault) {
  Policy(FastShutdownBehavior::kUnlessOptedOut);
  SetClientDefaultBehavior(FastShutdownBehavior::kDisabled);
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);
}

TEST_F(FastShutdownTest, ClientThatIgnoresTheAnswerIsRefusedAndReported) {
  journal().Script("Store", Method::kQuery, Behavior{MAPI_E_NO_SUPPORT});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(cs->DoFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(journal().Calls(Method::kNotify), IsEmpty());
  EXPECT_THAT(journal().Calls(Method::kDo), IsEmpty());
  EXPECT_TRUE(AnyReportContains("client called NotifyProcessShutdown although QueryFastShutdown did not allow"));
  EXPECT_TRUE(AnyReportContains("client called DoFastShutdown although QueryFastShutdown did not allow"));
  // Nothing ended: the normal shutdown still works and reaches the providers.
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);
}

TEST_F(FastShutdownTest, DoWithoutQueryIsRefused) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->DoFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(journal().Calls(Method::kDo), IsEmpty());
  EXPECT_TRUE(AnyReportContains("never called QueryFastShutdown"));
}

// SPEC.md step 2: misuse means notifying without asking too. Nobody is told, the call answers
// S_OK, and the record says why.
TEST_F(FastShutdownTest, NotifyWithoutQueryReachesNoProviderAndIsReported) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->NotifyProcessShutdown(), S_OK);
  EXPECT_THAT(journal().Calls(Method::kNotify), IsEmpty());
  EXPECT_TRUE(AnyReportContains("client called NotifyProcessShutdown although it never called QueryFastShutdown"));
  com_ptr<IMAPISession> later;  // nothing was notified: logons are still accepted
  EXPECT_EQ(Logon("p", &later), S_OK);
}

// SPEC.md step 4: NotifyProcessShutdown returns S_OK once every provider was tried, whatever
// one of them answered, and the one after a failure is still told.
TEST_F(FastShutdownTest, NotifyAnswersSOkAfterTryingEveryProviderEvenWhenOneFails) {
  journal().Script("Book", Method::kNotify, Behavior{MAPI_E_CALL_FAILED});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  EXPECT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_THAT(Order(Method::kNotify), ElementsAre("Mail", "Book", "Store"));
  EXPECT_TRUE(AnyReportContains("\"Book\""));
}

TEST_F(FastShutdownTest, ManyThreadsCauseExactlyOneFanOutOfNotifyAndOfDo) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  std::vector<std::thread> threads;
  std::vector<HRESULT> notify(8, E_FAIL), done(8, E_FAIL);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      notify[i] = cs->NotifyProcessShutdown();
      done[i] = cs->DoFastShutdown();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(notify[i], S_OK);
    EXPECT_EQ(done[i], S_OK);
  }
  EXPECT_THAT(Order(Method::kNotify), ElementsAre("Mail", "Book", "Store"));
  EXPECT_THAT(Order(Method::kDo), ElementsAre("Mail", "Book", "Store"));
  // Every notification happened before any DoFastShutdown.
  EXPECT_LT(journal().Calls(Method::kNotify).back().seq, journal().Calls(Method::kDo).front().seq);
}

TEST_F(FastShutdownTest, AfterDoFastShutdownEveryMapiCallEndsAndReachesNoProvider) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  ASSERT_EQ(cs->DoFastShutdown(), S_OK);
  const size_t calls_before = journal().Calls().size();

  com_ptr<IMAPITable> table;
  EXPECT_EQ(s->GetMsgStoresTable(0, table.put()), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(s->Logoff(0, 0, 0), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(cs->QueryFastShutdown(), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(cs->NotifyProcessShutdown(), S_OK);  // the same answer again, from no provider
  EXPECT_EQ(cs->DoFastShutdown(), S_OK);
  com_ptr<IMAPISession> again;
  EXPECT_EQ(Logon("p", &again), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(MAPIInitialize(nullptr), MAPI_E_END_OF_SESSION);
  MAPIUninitialize();     // tears nothing down
  (void)cs.detach()->Release();
  (void)s.detach()->Release();  // nor does the last Release
  EXPECT_EQ(journal().Calls().size(), calls_before);  // no provider saw any of it
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 0);
  EXPECT_GT(journal().LiveObjects(), 0);
  EXPECT_TRUE(GetShutdownRecord().ended);
}

TEST_F(FastShutdownTest, ProviderThatFailsDoIsNamedAndOthersAreStillTold) {
  journal().Script("Book", Method::kDo, Behavior{MAPI_E_CALL_FAILED});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(cs->DoFastShutdown(), MAPI_E_CALL_FAILED);
  EXPECT_THAT(Order(Method::kDo), ElementsAre("Mail", "Book", "Store"));
  EXPECT_THAT(GetShutdownRecord().culprit, HasSubstr("\"Book\""));
  // Not ended: the client can still shut down normally and give Book its Shutdown.
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);
  EXPECT_EQ(journal().Count("Book", Method::kShutdown), 1);
}

TEST_F(FastShutdownTest, ProviderThatThrowsIsTreatedAsFailingAndNamed) {
  Behavior b;
  b.throws = true;
  journal().Script("Mail", Method::kQuery, b);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  const auto record = GetShutdownRecord();
  ASSERT_EQ(record.providers.size(), 2u);
  EXPECT_EQ(record.providers[0].names->display_name, "Mail");
  EXPECT_EQ(record.providers[0].calls.back().outcome, CallOutcome::kThrew);
  EXPECT_EQ(journal().Count("Store", Method::kQuery), 1);
}

TEST_F(FastShutdownTest, UndocumentedAnswerIsTreatedAsFailingAndNamed) {
  journal().Script("Store", Method::kDo, Behavior{static_cast<HRESULT>(0x12345678)});
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(cs->DoFastShutdown(), MAPI_E_CALL_FAILED);
  const auto record = GetShutdownRecord();
  EXPECT_EQ(record.providers[0].calls.back().outcome, CallOutcome::kUndocumented);
  EXPECT_THAT(record.providers[0].calls.back().note, HasSubstr("0x12345678"));
}

TEST_F(FastShutdownTest, DeadlineNamesTheHungProviderGivesTimeoutAndStillTellsTheOthers) {
  SetProviderCallDeadline(std::chrono::milliseconds(200));
  journal().Script("Book", Method::kDo, testjournal::Hangs());
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(cs->DoFastShutdown(), MAPI_E_TIMEOUT);
  EXPECT_THAT(Order(Method::kDo), ElementsAre("Mail", "Book", "Store"));
  EXPECT_THAT(GetShutdownRecord().culprit, HasSubstr("\"Book\""));
  journal().ReleaseHangs();  // let the abandoned call finish before the test ends
  SetProviderCallDeadline(std::nullopt);
}

TEST_F(FastShutdownTest, ProviderCallingBackInIsRefusedAndNamedWithoutDeadlock) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  Behavior b;
  b.callback = [raw = cs.get()] { return raw->DoFastShutdown(); };
  journal().Script("Mail", Method::kNotify, b);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  EXPECT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_THAT(journal().CallbackResults(), ElementsAre(MAPI_E_CALL_FAILED));
  EXPECT_TRUE(AnyReportContains("\"Mail\""));
  EXPECT_THAT(Order(Method::kNotify), ElementsAre("Mail", "Store"));
  EXPECT_EQ(cs->DoFastShutdown(), S_OK);
}

// A provider calling back in is refused without touching the client's LastErrorMessage: the
// client's own call, which runs the provider, keeps its reason.
TEST_F(FastShutdownTest, AProviderCallingBackInLeavesTheClientsLastErrorAsItWas) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  journal().Script("Mail", Method::kQuery, Behavior{MAPI_E_NO_SUPPORT});  // refuses first
  Behavior calls_back;
  calls_back.callback = [raw = cs.get()] { return raw->QueryFastShutdown(); };
  journal().Script("Store", Method::kQuery, calls_back);  // then calls in from its own call
  EXPECT_EQ(cs->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(journal().CallbackResults(), ElementsAre(MAPI_E_CALL_FAILED));
  EXPECT_THAT(LastErrorMessage(), HasSubstr("\"Mail\""));
}

TEST_F(FastShutdownTest, DoWithoutNotifyNotifiesFirst) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  EXPECT_EQ(cs->DoFastShutdown(), S_OK);
  EXPECT_EQ(journal().Count("Mail", Method::kNotify), 1);
  EXPECT_LT(journal().Calls(Method::kNotify)[0].seq, journal().Calls(Method::kDo)[0].seq);
}

TEST_F(FastShutdownTest, CallsAreSafeFromAnyThread) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  HRESULT q = E_FAIL, n = E_FAIL, d = E_FAIL;
  std::thread::id query_thread, do_thread;
  std::thread([&] { q = cs->QueryFastShutdown(); query_thread = std::this_thread::get_id(); }).join();
  std::thread([&] { n = cs->NotifyProcessShutdown(); }).join();
  std::thread([&] { d = cs->DoFastShutdown(); do_thread = std::this_thread::get_id(); }).join();
  EXPECT_EQ(q, S_OK);
  EXPECT_EQ(n, S_OK);
  EXPECT_EQ(d, S_OK);
  // Without a deadline the provider is called on the client's own thread, whichever it is.
  EXPECT_EQ(journal().Calls(Method::kQuery)[0].thread, query_thread);
  EXPECT_EQ(journal().Calls(Method::kDo)[0].thread, do_thread);
}

}  // namespace
}  // namespace mapishut::test

namespace mapishut::test {
namespace {

// The coordinator reads the administrator's policy at QueryFastShutdown, so a change made while
// the client runs is honoured at its exit, and the record names the file and line in force.
// SPEC.md, policy: a value outside 0..2 counts as absent and is reported as a warning naming
// where it was found: in the record's reports, which reach the failure sink and `mapishut report`.
TEST_F(FastShutdownTest, APolicyValueOutOfRangeCountsAsAbsentAndIsReportedWithItsFileAndLine) {
  RegistryPolicyOptions options;
  options.user_file = dir_ + "/policy.reg";
  SetPolicyReader(NewRegistryPolicyReader(options));
  std::ofstream(options.user_file) << "Windows Registry Editor Version 5.00\n\n"
                                      "[HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\n"
                                      "\"FastShutdownBehavior\"=dword:00000007\n";
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);  // the default, 0
  EXPECT_EQ(GetShutdownRecord().behavior, FastShutdownBehavior::kUnlessOptedOut);
  EXPECT_TRUE(AnyReportContains(options.user_file + ":4"));
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);  // asked again: the same files, one report
  const std::vector<std::string> reports = GetShutdownRecord().reports;
  EXPECT_EQ(std::count_if(reports.begin(), reports.end(),
                          [&](const std::string& r) { return r.find(options.user_file + ":4") != std::string::npos; }),
            1);
}

TEST_F(FastShutdownTest, RegistryPolicyIsReadAtQueryTimeAndTheRecordNamesFileAndLine) {
  RegistryPolicyOptions options;
  options.user_file = dir_ + "/policy.reg";
  SetPolicyReader(NewRegistryPolicyReader(options));
  auto write = [&](int value) {
    std::ofstream(options.user_file) << "Windows Registry Editor Version 5.00\n\n"
                                        "[HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\16.0\\Outlook\\Options\\Shutdown]\n"
                                        "\"FastShutdownBehavior\"=dword:0000000"
                                     << value << "\n";
  };
  write(0);
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  write(2);  // the administrator changes the policy while the client runs
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(journal().Calls(Method::kQuery), IsEmpty());
  EXPECT_EQ(GetShutdownRecord().behavior, FastShutdownBehavior::kDisabled);
  EXPECT_THAT(GetShutdownRecord().behavior_source, HasSubstr(options.user_file + ":4"));
  write(0);
  EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);
}

}  // namespace
}  // namespace mapishut::test
