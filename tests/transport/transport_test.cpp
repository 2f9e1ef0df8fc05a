// The Maildir transport through the subsystem: a message submitted in the store is spooled
// durably to the outbox by the time SubmitMessage returns, also when the process is SIGKILLed
// right after (issue 4, items 4 and 5) and when the power goes then (issue 13, item 2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mapicode.h>
#include <mapitags.h>
#include <mapix.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "../store/store_client.h"
#include "child_process.h"
#include "durability_round.h"
#include "maildir_files.h"
#include "mapishut/subsystem.h"

namespace mapishut::test {
namespace {

namespace fs = std::filesystem;

// The profile's directory; the store and the Maildir server are in `data_dir` (default: in it).
std::string MakeProfile(const std::string& data_dir = "") {
  char tmpl[] = "/tmp/mapishut-xp-XXXXXX";
  if (!mkdtemp(tmpl)) return {};
  const std::string dir = tmpl;
  const std::string data = data_dir.empty() ? dir : data_dir;
  std::ofstream(dir + "/mapisvc.inf")
      << "[Services]\nStore=Store\nMail=Mail\n"
         "[Store]\nProviders=Store Provider\n[Store Provider]\nPR_PROVIDER_DLL_NAME=libmapishut_store.so\n"
         "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\nPR_DISPLAY_NAME=Store\nPR_MAPISHUT_DATA_PATH=" << data << "/store.db\n"
      << "[Mail]\nProviders=Mail Provider\n[Mail Provider]\nPR_PROVIDER_DLL_NAME=libmapishut_maildir.so\n"
         "PR_RESOURCE_TYPE=MAPI_TRANSPORT_PROVIDER\nPR_DISPLAY_NAME=Maildir\nPR_MAPISHUT_REMOTE_PATH=" << data << "/server\n"
         "PR_MAPISHUT_POLL_INTERVAL=10\n";
  std::ofstream(dir + "/profiles.inf") << "[Profiles]\nDefault=p\n[Profile p]\nServices=Store, Mail\n";
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
  SetConfigDirectory(dir);
  SetPolicyReader(NewFixedPolicyReader(std::nullopt, "test"));
  return dir;
}

size_t Count(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().filename().string()[0] != '.';
  return n;
}

// A client logged on to the profile, its default store and inbox open, as a mail client is.
struct Client {
  com_ptr<IMAPISession> s;
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
};

void OpenClient(Client* c) {
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  char profile[] = "p";
  ASSERT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, c->s.put()), S_OK) << LastErrorMessage();
  ASSERT_EQ(OpenDefaultStore(c->s.get(), &c->store), S_OK);
  ASSERT_EQ(OpenInbox(c->store.get(), &c->inbox), S_OK);
}

// Logs off and uninitializes (objects the test still holds go first), then removes `dir`.
void CloseClient(Client* c, const std::string& dir) {
  c->inbox.reset();
  c->store.reset();
  c->s->Logoff(0, 0, 0);
  c->s.reset();
  MAPIUninitialize();
  fs::remove_all(dir);
}

HRESULT Submit(IMAPIFolder* folder, int i) {
  com_ptr<IMessage> m;
  RETURN_IF_FAILED_EXPECTED(folder->CreateMessage(nullptr, 0, m.put()));
  std::wstring subject = L"message " + std::to_wstring(i);
  std::wstring to = L"bob@example.org";
  SPropValue p[2];
  p[0].ulPropTag = PR_SUBJECT_W;
  p[0].Value.lpszW = subject.data();
  p[1].ulPropTag = PR_DISPLAY_TO_W;
  p[1].Value.lpszW = to.data();
  RETURN_IF_FAILED_EXPECTED(m->SetProps(2, p, nullptr));
  return m->SubmitMessage(0);
}

TEST(Transport, SubmittedMessageIsInTheOutboxWhenSubmitReturnsAndLeavesTheQueue) {
  const std::string dir = MakeProfile();
  Client c;
  ASSERT_NO_FATAL_FAILURE(OpenClient(&c));
  com_ptr<IMsgStore>& store = c.store;
  com_ptr<IMAPIFolder>& inbox = c.inbox;
  ASSERT_EQ(Submit(inbox.get(), 1), S_OK);
  ASSERT_EQ(Count(dir + "/server/outbox/new"), 1u);
  EXPECT_EQ(Count(dir + "/server/outbox/tmp"), 0u);
  std::ifstream in(fs::directory_iterator(dir + "/server/outbox/new")->path());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("Subject: message 1"), std::string::npos);
  EXPECT_NE(text.str().find("To: bob@example.org"), std::string::npos);
  com_ptr<IMAPITable> queue;
  ASSERT_EQ(store->GetOutgoingQueue(0, queue.put()), S_OK);
  ULONG queued = 99;
  ASSERT_EQ(queue->GetRowCount(0, &queued), S_OK);
  EXPECT_EQ(queued, 0u);  // FinishedMsg took it out of the queue
  queue.reset();
  CloseClient(&c, dir);
}

// MAPI clients set strings in either width: a message written with PT_STRING8 properties
// (PR_SUBJECT_A ...) goes out with its subject, body and recipients, not empty.
TEST(Transport, AMessageWrittenWithAnsiPropertiesIsSentComplete) {
  const std::string dir = MakeProfile();
  Client c;
  ASSERT_NO_FATAL_FAILURE(OpenClient(&c));
  com_ptr<IMAPIFolder>& inbox = c.inbox;
  com_ptr<IMessage> m;
  ASSERT_EQ(inbox->CreateMessage(nullptr, 0, m.put()), S_OK);
  std::string subject = "caf\xC3\xA9 at nine", body = "see you there", to = "bob@example.org", from = "alice@example.org";
  SPropValue p[4];
  p[0].ulPropTag = PR_SUBJECT_A;
  p[0].Value.lpszA = subject.data();
  p[1].ulPropTag = PR_BODY_A;
  p[1].Value.lpszA = body.data();
  p[2].ulPropTag = PR_DISPLAY_TO_A;
  p[2].Value.lpszA = to.data();
  p[3].ulPropTag = PR_SENDER_EMAIL_ADDRESS_A;
  p[3].Value.lpszA = from.data();
  ASSERT_EQ(m->SetProps(4, p, nullptr), S_OK);
  ASSERT_EQ(m->SubmitMessage(0), S_OK);
  ASSERT_EQ(Count(dir + "/server/outbox/new"), 1u);
  std::ifstream in(fs::directory_iterator(dir + "/server/outbox/new")->path());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("Subject: " + subject), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("To: bob@example.org"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("From: alice@example.org"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("see you there"), std::string::npos) << text.str();
  m.reset();
  CloseClient(&c, dir);
}

// A message the transport cannot write stays queued in the store (nothing is lost), and the
// client can read why: the outbox path and the system's reason (issue 10, item 6).
TEST(Transport, AMessageTheTransportCannotWriteStaysQueuedAndTheClientIsToldWhy) {
  const std::string dir = MakeProfile();
  Client c;
  ASSERT_NO_FATAL_FAILURE(OpenClient(&c));
  com_ptr<IMsgStore>& store = c.store;
  com_ptr<IMAPIFolder>& inbox = c.inbox;
  fs::remove_all(dir + "/server/outbox/tmp");
  std::ofstream(dir + "/server/outbox/tmp") << "a file where the Maildir's tmp/ should be";

  EXPECT_EQ(Submit(inbox.get(), 1), S_OK);  // queued in the store: accepted, to be sent later
  EXPECT_NE(LastErrorMessage().find(dir + "/server/outbox/tmp"), std::string::npos) << LastErrorMessage();
  EXPECT_NE(LastErrorMessage().find("Not a directory"), std::string::npos) << LastErrorMessage();
  com_ptr<IMAPITable> queue;
  ASSERT_EQ(store->GetOutgoingQueue(0, queue.put()), S_OK);
  ULONG queued = 0;
  ASSERT_EQ(queue->GetRowCount(0, &queued), S_OK);
  EXPECT_EQ(queued, 1u);
  queue.reset();
  CloseClient(&c, dir);
}

// A Maildir that cannot be made fails the logon with the path and the system's reason.
TEST(Transport, ALogonThatCannotMakeItsMaildirSaysWhichPathAndWhy) {
  const std::string dir = MakeProfile();
  std::ofstream(dir + "/server") << "a file where the Maildir should be";
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  com_ptr<IMAPISession> s;
  char profile[] = "p";
  EXPECT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()), MAPI_E_DISK_ERROR);
  EXPECT_NE(LastErrorMessage().find("IXPProvider::TransportLogon"), std::string::npos) << LastErrorMessage();
  EXPECT_NE(LastErrorMessage().find(dir + "/server"), std::string::npos) << LastErrorMessage();
  EXPECT_NE(LastErrorMessage().find("Not a directory"), std::string::npos) << LastErrorMessage();
  MAPIUninitialize();
  fs::remove_all(dir);
}

// Every message whose SubmitMessage returned is in outbox/new however the process dies.
class TransportKill : public ::testing::TestWithParam<Ending> {};

TEST_P(TransportKill, KilledAtAnyMomentNoSubmittedMessageIsLost) {
  if (const std::string why = DurabilityRound::WhyUnavailable(GetParam()); !why.empty()) GTEST_SKIP() << why;
  std::mt19937 rng(7);
  const int rounds = GetParam() == Ending::kSigkill ? 30 : 12;
  for (int round = 0; round < rounds; ++round) {
    DurabilityRound disk(GetParam());
    std::string why;
    ASSERT_TRUE(disk.Start(&why)) << why;
    const std::string dir = MakeProfile(disk.data());
    const bool fast = round % 3 == 0;
    const int kill_after = static_cast<int>(rng() % 6);
    // The child reports each submit and goes on; the parent kills it after `kill_after` of them,
    // or the instant DoFastShutdown returned.
    const ChildEnd end = RunChild(
        [fast](ChildPipe& child) {
          com_ptr<IMAPISession> s;
          char profile[] = "p";
          if (MAPIInitialize(nullptr) != S_OK || MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()) != S_OK) return 2;
          com_ptr<IMsgStore> store;
          com_ptr<IMAPIFolder> inbox;
          if (OpenDefaultStore(s.get(), &store) != S_OK || OpenInbox(store.get(), &inbox) != S_OK) return 3;
          for (int i = 1; i <= 5; ++i) {
            if (Submit(inbox.get(), i) != S_OK) return 4;
            child.Report("submitted");
          }
          if (!fast) child.KillHere("submitted all");
          com_ptr<IMAPIClientShutdown> cs;
          if (s.query_to(IID_IMAPIClientShutdown, cs.put()) != S_OK || cs->QueryFastShutdown() != S_OK ||
              cs->NotifyProcessShutdown() != S_OK || cs->DoFastShutdown() != S_OK) {
            return 6;
          }
          child.KillHere("DoFastShutdown returned");
        },
        [&](const std::vector<std::string>& reports) { return !fast && static_cast<int>(reports.size()) >= kill_after; });
    ASSERT_TRUE(disk.End(&why, static_cast<unsigned>(round))) << why;
    ASSERT_TRUE(end.killed) << "round " << round << ": " << end.Describe();
    if (fast) {
      ASSERT_EQ(end.reports.back(), "DoFastShutdown returned") << "the child did not finish its fast shutdown";
    }
    const auto submitted = std::count(end.reports.begin(), end.reports.end(), "submitted");
    std::vector<std::string> torn;
    const std::set<std::string> spooled = WholeMessages(disk.disk() + "/server/outbox/new", &torn);
    EXPECT_THAT(torn, ::testing::IsEmpty()) << "round " << round << ": new/ must only ever hold whole messages";
    for (int i = 1; i <= submitted; ++i) {
      EXPECT_EQ(spooled.count("message " + std::to_string(i)), 1u) << "round " << round << ": submitted message " << i << " lost";
    }
    fs::remove_all(dir);
    if (HasFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Endings, TransportKill, AllEndings(), EndingName);

TEST(Transport, ThePollerTakesNewMailFromTheInbox) {
  const std::string dir = MakeProfile();
  fs::create_directories(dir + "/server/inbox/new");
  std::ofstream(dir + "/server/inbox/new/1.test.host") << "Subject: hello\r\n\r\nbody\r\n";
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  com_ptr<IMAPISession> s;
  char profile[] = "p";
  ASSERT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()), S_OK) << LastErrorMessage();
  // The poller runs on its own schedule (every 10 ms here); wait, with a bound, for its visible
  // effect: the message moved into cur/.
  for (int i = 0; i < 2000 && !fs::exists(dir + "/server/inbox/cur/1.test.host:2,"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(fs::exists(dir + "/server/inbox/cur/1.test.host:2,"));
  s->Logoff(0, 0, 0);
  s.reset();
  MAPIUninitialize();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mapishut::test
