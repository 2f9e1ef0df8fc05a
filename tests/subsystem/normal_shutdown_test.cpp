// The normal shutdown (issue 2, item 5), the shutdown record (item 6) and the client exit helper
// (item 7).
#include "fixture.h"
#include "mapishut/client_exit.h"

using testjournal::Behavior;
using testjournal::Method;

namespace mapishut::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class NormalShutdownTest : public SubsystemTest {};

TEST_F(NormalShutdownTest, LogoffReleasesLogonObjectsThenCallsShutdownThenReleasesTheProvider) {
  WriteProfile("p", {{"Store", Kind::kStore}, {"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  // Logoff of the logon object, its release, then Shutdown, then the provider's release. The
  // address book's logon too, though the gate's wrapper of it (the session's IAddrBook) held it:
  // the session lets go of that wrapper before the provider's gate closes.
  for (const char* provider : {"Mail", "Book"}) {
    std::vector<std::string> calls;
    for (const auto& c : journal().Calls()) {
      if (c.provider == provider && c.method != Method::kLogon) calls.push_back(testjournal::MethodName(c.method));
    }
    EXPECT_THAT(calls, ElementsAre("Logoff", "Destroyed", "Shutdown", "Release", "Destroyed")) << provider;
  }
  // Transports, address books, stores, as in the fast shutdown.
  EXPECT_THAT(Order(Method::kShutdown), ElementsAre("Mail", "Book", "Store"));
  EXPECT_EQ(journal().LiveObjects(), 0);
}

TEST_F(NormalShutdownTest, ReleaseWithoutLogoffStillShutsProvidersDown) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  s.reset();
  EXPECT_EQ(journal().Count("Mail", Method::kShutdown), 1);
  EXPECT_EQ(journal().LiveObjects(), 0);
}

TEST_F(NormalShutdownTest, LastUninitializeShutsDownSessionsStillLoggedOn) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  MAPIUninitialize();
  uninitialize_in_teardown_ = false;
  EXPECT_EQ(journal().Count("Mail", Method::kShutdown), 1);
  EXPECT_EQ(s->Logoff(0, 0, 0), MAPI_E_END_OF_SESSION);  // logged off already
}

TEST_F(NormalShutdownTest, RecordHoldsEveryProviderEveryAnswerAndThePolicySource) {
  journal().SetHasShutdownInterface("Book", false);
  SetPolicyReader(NewFixedPolicyReader(FastShutdownBehavior::kUnlessOptedOut, "test policy"));
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  ASSERT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  const ShutdownRecord r = GetShutdownRecord();
  EXPECT_EQ(r.behavior, FastShutdownBehavior::kUnlessOptedOut);
  EXPECT_THAT(r.behavior_source, HasSubstr("test policy"));
  ASSERT_EQ(r.providers.size(), 2u);
  const ProviderRecord& mail = r.providers[0];
  EXPECT_EQ(mail.kind, ProviderKind::kTransport);
  EXPECT_EQ(mail.names->display_name, "Mail");
  EXPECT_THAT(mail.names->library, HasSubstr("libscripted_provider.so"));
  EXPECT_TRUE(mail.has_shutdown_interface);
  ASSERT_EQ(mail.calls.size(), 3u);  // QueryFastShutdown, then the normal Logoff and Shutdown
  EXPECT_EQ(mail.calls[0].step, ShutdownStep::kQueryFastShutdown);
  EXPECT_EQ(mail.calls[1].step, ShutdownStep::kLogoff);
  EXPECT_EQ(mail.calls[2].step, ShutdownStep::kShutdown);
  EXPECT_FALSE(r.providers[1].has_shutdown_interface);
  EXPECT_THAT(FormatShutdownRecord(r), HasSubstr("\"Book\""));
}

TEST_F(NormalShutdownTest, ExitHelperSaysExitNowWhenFastShutdownSucceeds) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  const ExitDecision d = PrepareToExit(s.get());
  EXPECT_TRUE(d.exit_now);
  EXPECT_FALSE(d.performed_normal_shutdown);
  EXPECT_EQ(journal().Count("Store", Method::kDo), 1);
  (void)s.detach();
}

TEST_F(NormalShutdownTest, ExitHelperShutsDownNormallyWhenFastShutdownIsRefused) {
  journal().Script("Store", Method::kQuery, Behavior{MAPI_E_NO_SUPPORT});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  const ExitDecision d = PrepareToExit(s.get());
  uninitialize_in_teardown_ = false;
  EXPECT_FALSE(d.exit_now);
  EXPECT_TRUE(d.performed_normal_shutdown);
  EXPECT_EQ(d.query, MAPI_E_NO_SUPPORT);
  EXPECT_EQ(journal().Count("Store", Method::kNotify), 0);
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);
}

TEST_F(NormalShutdownTest, ExitHelperFallsBackToNormalShutdownWhenAProviderCannotSave) {
  journal().Script("Store", Method::kDo, Behavior{MAPI_E_CALL_FAILED});
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  const ExitDecision d = PrepareToExit(s.get());
  uninitialize_in_teardown_ = false;
  EXPECT_FALSE(d.exit_now);
  EXPECT_EQ(d.done, MAPI_E_CALL_FAILED);
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);  // it still got its orderly Shutdown
}

}  // namespace
}  // namespace mapishut::test
