// The store provider through the subsystem, the way real clients reach their data (issue 4, item 2).
#include <gmock/gmock.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mapishut/result.h"
#include "store_client.h"
#include "store_fixture.h"

namespace mapishut::test {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeStoreProfile();
    UseStoreProfile(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Logon(com_ptr<IMAPISession>* s) {
    ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
    char profile[] = "p";
    ASSERT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED | MAPI_EXPLICIT_PROFILE, s->put()), S_OK) << LastErrorMessage();
  }
  static std::vector<BYTE> SaveSample(IMAPIFolder* folder, int seed) {
    com_ptr<IMessage> m;
    EXPECT_EQ(folder->CreateMessage(nullptr, 0, m.put()), S_OK);
    SampleProps props(seed);
    EXPECT_EQ(m->SetProps(static_cast<ULONG>(props.values.size()), props.values.data(), nullptr), S_OK);
    EXPECT_EQ(m->SaveChanges(KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue id = nullptr;
    EXPECT_EQ(HrGetOneProp(m.get(), PR_ENTRYID, &id), S_OK);
    std::vector<BYTE> eid(id->Value.bin.lpb, id->Value.bin.lpb + id->Value.bin.cb);
    MAPIFreeBuffer(id);
    return eid;
  }
  std::string dir_;
};

TEST_F(StoreTest, ClientPathSavesAndReopensEveryPropertyType) {
  com_ptr<IMAPISession> s;
  Logon(&s);
  com_ptr<IMsgStore> store;
  ASSERT_EQ(OpenDefaultStore(s.get(), &store), S_OK);
  com_ptr<IMAPIFolder> inbox;
  ASSERT_EQ(OpenInbox(store.get(), &inbox), S_OK);
  const std::vector<BYTE> eid = SaveSample(inbox.get(), 7);

  com_ptr<IMessage> again;
  ULONG type = 0;
  ASSERT_EQ(store->OpenEntry(static_cast<ULONG>(eid.size()), reinterpret_cast<LPENTRYID>(const_cast<BYTE*>(eid.data())),
                             nullptr, 0, &type, again.put_as<IUnknown>()),
            S_OK);
  EXPECT_EQ(type, static_cast<ULONG>(MAPI_MESSAGE));
  ULONG count = 0;
  LPSPropValue props = nullptr;
  ASSERT_EQ(again->GetProps(nullptr, 0, &count, &props), S_OK);
  EXPECT_TRUE(SameProps(SampleProps(7), count, props));
  MAPIFreeBuffer(props);

  com_ptr<IMAPITable> contents;
  ASSERT_EQ(inbox->GetContentsTable(0, contents.put()), S_OK);
  ULONG rows = 0;
  ASSERT_EQ(contents->GetRowCount(0, &rows), S_OK);
  EXPECT_EQ(rows, 1u);
  SaveSample(inbox.get(), 8);
  ASSERT_EQ(contents->GetRowCount(0, &rows), S_OK);
  EXPECT_EQ(rows, 2u);  // the table reflects the folder now

  SizedSPropTagArray(1, gone) = {1, {PR_SUBJECT_W}};
  ASSERT_EQ(again->DeleteProps(reinterpret_cast<LPSPropTagArray>(&gone), nullptr), S_OK);
  ASSERT_EQ(again->SaveChanges(0), S_OK);
  LPSPropValue subject = nullptr;
  EXPECT_EQ(HrGetOneProp(again.get(), PR_SUBJECT_W, &subject), MAPI_E_NOT_FOUND);
  again.reset();
  contents.reset();
  inbox.reset();
  store.reset();
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);
  s.reset();
  MAPIUninitialize();
}

TEST_F(StoreTest, RootFolderOpensWithoutAnEntryId) {
  com_ptr<IMAPISession> s;
  Logon(&s);
  com_ptr<IMsgStore> store;
  ASSERT_EQ(OpenDefaultStore(s.get(), &store), S_OK);
  com_ptr<IMAPIFolder> root;
  ULONG type = 0;
  ASSERT_EQ(store->OpenEntry(0, nullptr, nullptr, 0, &type, root.put_as<IUnknown>()), S_OK);
  EXPECT_EQ(type, static_cast<ULONG>(MAPI_FOLDER));
  SaveSample(root.get(), 1);
  LPSPropValue n = nullptr;
  ASSERT_EQ(HrGetOneProp(root.get(), PR_CONTENT_COUNT, &n), S_OK);
  EXPECT_EQ(n->Value.l, 1);
  MAPIFreeBuffer(n);
  root.reset();
  store.reset();
  s.reset();
  MAPIUninitialize();
}

// After DoFastShutdown returns S_OK the saved messages are committed: another process sees them
// in the database file even though this one never shut down normally.
TEST_F(StoreTest, FastShutdownCommitsEverythingAcknowledged) {
  const pid_t pid = fork();
  if (pid == 0) {
    com_ptr<IMAPISession> s;
    if (MAPIInitialize(nullptr) != S_OK) _exit(2);
    char profile[] = "p";
    if (MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()) != S_OK) _exit(3);
    com_ptr<IMsgStore> store;
    com_ptr<IMAPIFolder> inbox;
    if (OpenDefaultStore(s.get(), &store) != S_OK || OpenInbox(store.get(), &inbox) != S_OK) _exit(4);
    for (int i = 0; i < 25; ++i) SaveSample(inbox.get(), i);
    com_ptr<IMAPIClientShutdown> cs;
    if (s.query_to(IID_IMAPIClientShutdown, cs.put()) != S_OK) _exit(5);
    if (cs->QueryFastShutdown() != S_OK || cs->NotifyProcessShutdown() != S_OK || cs->DoFastShutdown() != S_OK) _exit(6);
    _exit(0);  // no normal shutdown, no destructor, no checkpoint
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/store.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM messages WHERE folder=2", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 25);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(StoreTest, AfterTheFastShutdownTheStoreTouchesNothing) {
  com_ptr<IMAPISession> s;
  Logon(&s);
  com_ptr<IMsgStore> store;
  ASSERT_EQ(OpenDefaultStore(s.get(), &store), S_OK);
  com_ptr<IMAPIFolder> inbox;
  ASSERT_EQ(OpenInbox(store.get(), &inbox), S_OK);
  com_ptr<IMAPIClientShutdown> cs;
  ASSERT_EQ(s.query_to(IID_IMAPIClientShutdown, cs.put()), S_OK);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  ASSERT_EQ(cs->DoFastShutdown(), S_OK);
  com_ptr<IMessage> m;
  EXPECT_EQ(inbox->CreateMessage(nullptr, 0, m.put()), MAPI_E_END_OF_SESSION);
  // The process would exit here. Released instead so the test ends clean under LeakSanitizer;
  // the session stays (after the end its Release tears nothing down).
  inbox.reset();
  store.reset();
  cs.reset();
  (void)s.detach();
}

}  // namespace
}  // namespace mapishut::test
