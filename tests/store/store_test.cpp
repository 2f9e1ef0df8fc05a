// The store provider through the subsystem, the way real clients reach their data (issue 4, item 2).
#include <gmock/gmock.h>
#include <sqlite3.h>
#include <unistd.h>

#include "child_process.h"
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
  // Logs on and opens the default store and its inbox, the way clients reach their data.
  void OpenMailbox() {
    Logon(&session_);
    ASSERT_EQ(OpenDefaultStore(session_.get(), &store_), S_OK);
    ASSERT_EQ(OpenInbox(store_.get(), &inbox_), S_OK);
  }
  // Lets go of the mailbox, logs off and uninitializes (objects the test holds go first).
  void CloseMailbox() {
    inbox_.reset();
    store_.reset();
    EXPECT_EQ(session_->Logoff(0, 0, 0), S_OK);
    session_.reset();
    MAPIUninitialize();
  }
  static std::vector<BYTE> SaveSample(IMAPIFolder* folder, int seed) { return SaveWith(folder, SampleProps(seed).values); }
  // Creates a message with `values`, saves it, and returns its entry ID.
  static std::vector<BYTE> SaveWith(IMAPIFolder* folder, std::vector<SPropValue> values) {
    com_ptr<IMessage> m;
    EXPECT_EQ(folder->CreateMessage(nullptr, 0, m.put()), S_OK);
    EXPECT_EQ(m->SetProps(static_cast<ULONG>(values.size()), values.data(), nullptr), S_OK);
    EXPECT_EQ(m->SaveChanges(KEEP_OPEN_READWRITE), S_OK);
    LPSPropValue id = nullptr;
    EXPECT_EQ(HrGetOneProp(m.get(), PR_ENTRYID, &id), S_OK);
    std::vector<BYTE> eid(id->Value.bin.lpb, id->Value.bin.lpb + id->Value.bin.cb);
    MAPIFreeBuffer(id);
    return eid;
  }
  std::string dir_;
  com_ptr<IMAPISession> session_;
  com_ptr<IMsgStore> store_;
  com_ptr<IMAPIFolder> inbox_;
};

TEST_F(StoreTest, ClientPathSavesAndReopensEveryPropertyType) {
  OpenMailbox();
  com_ptr<IMsgStore>& store = store_;
  com_ptr<IMAPIFolder>& inbox = inbox_;
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
  CloseMailbox();
}

// A message list the way a mail client shows one: subject, sender and date as columns, newest
// first, without opening any message (issue 10, item 8).
TEST_F(StoreTest, ContentsTableServesStoredPropertiesAsColumnsSortedByOne) {
  OpenMailbox();
  com_ptr<IMAPIFolder>& inbox = inbox_;
  struct Mail {
    std::wstring subject;
    DWORD delivered;
    std::string sender;  // empty: the message has none
  };
  const std::vector<Mail> mails = {{L"b", 2, "Bea"}, {L"c", 3, ""}, {L"a", 1, "Al"}};
  std::vector<std::vector<BYTE>> eids;
  for (const Mail& mail : mails) {
    std::vector<SPropValue> v(2);
    v[0].ulPropTag = PR_SUBJECT_W;
    v[0].Value.lpszW = const_cast<wchar_t*>(mail.subject.c_str());
    v[1].ulPropTag = PR_MESSAGE_DELIVERY_TIME;
    v[1].Value.ft = FILETIME{mail.delivered, 0x01DA0000};
    if (!mail.sender.empty()) {
      v.push_back({});
      v.back().ulPropTag = PR_SENDER_NAME_A;  // written in one width, listed in the other
      v.back().Value.lpszA = const_cast<char*>(mail.sender.c_str());
    }
    eids.push_back(SaveWith(inbox.get(), v));
  }
  com_ptr<IMAPITable> contents;
  ASSERT_EQ(inbox->GetContentsTable(0, contents.put()), S_OK);
  SizedSPropTagArray(4, cols) = {4, {PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME, PR_ENTRYID}};
  ASSERT_EQ(contents->SetColumns(reinterpret_cast<LPSPropTagArray>(&cols), 0), S_OK);
  SizedSSortOrderSet(1, newest_first) = {1, 0, 0, {{PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND}}};
  ASSERT_EQ(contents->SortTable(reinterpret_cast<LPSSortOrderSet>(&newest_first), 0), S_OK);

  LPSRowSet rows = nullptr;
  ASSERT_EQ(contents->QueryRows(10, 0, &rows), S_OK);
  ASSERT_EQ(rows->cRows, 3u);
  const int newest_order[] = {1, 0, 2};
  for (ULONG r = 0; r < rows->cRows; ++r) {
    const Mail& want = mails[newest_order[r]];
    const SPropValue* p = rows->aRow[r].lpProps;
    ASSERT_EQ(rows->aRow[r].cValues, 4u);
    EXPECT_EQ(p[0].ulPropTag, PR_SUBJECT_W);
    EXPECT_EQ(std::wstring(p[0].Value.lpszW), want.subject);
    if (want.sender.empty()) {
      EXPECT_EQ(p[1].ulPropTag, CHANGE_PROP_TYPE(PR_SENDER_NAME_W, PT_ERROR));
      EXPECT_EQ(p[1].Value.err, MAPI_E_NOT_FOUND);
    } else {
      EXPECT_EQ(p[1].ulPropTag, PR_SENDER_NAME_W);
      EXPECT_EQ(std::wstring(p[1].Value.lpszW), std::wstring(want.sender.begin(), want.sender.end()));
    }
    EXPECT_EQ(p[2].Value.ft.dwLowDateTime, want.delivered);
    const auto& eid = eids[newest_order[r]];
    EXPECT_EQ(std::vector<BYTE>(p[3].Value.bin.lpb, p[3].Value.bin.lpb + p[3].Value.bin.cb), eid);
  }
  FreeProws(rows);

  SizedSSortOrderSet(1, by_subject) = {1, 0, 0, {{PR_SUBJECT_W, TABLE_SORT_ASCEND}}};
  ASSERT_EQ(contents->SortTable(reinterpret_cast<LPSSortOrderSet>(&by_subject), 0), S_OK);
  LPSSortOrderSet order = nullptr;
  ASSERT_EQ(contents->QuerySortOrder(&order), S_OK);
  ASSERT_EQ(order->cSorts, 1u);
  EXPECT_EQ(order->aSort[0].ulPropTag, PR_SUBJECT_W);
  MAPIFreeBuffer(order);
  ASSERT_EQ(contents->QueryRows(10, 0, &rows), S_OK);  // SortTable moved to the first row
  ASSERT_EQ(rows->cRows, 3u);
  EXPECT_EQ(std::wstring(rows->aRow[0].lpProps[0].Value.lpszW), L"a");
  EXPECT_EQ(std::wstring(rows->aRow[2].lpProps[0].Value.lpszW), L"c");
  FreeProws(rows);

  contents.reset();
  CloseMailbox();
}

// Under write-behind the table counts what the client saved and deleted, committed or not, and a
// client paging through it sees the rows added since its last page.
TEST_F(StoreTest, ContentsTableCountsFollowSavesAndDeletesWhileItIsRead) {
  OpenMailbox();
  com_ptr<IMAPIFolder>& inbox = inbox_;
  std::vector<std::vector<BYTE>> eids;
  for (int i = 0; i < 5; ++i) eids.push_back(SaveSample(inbox.get(), i));
  com_ptr<IMAPITable> contents;
  ASSERT_EQ(inbox->GetContentsTable(0, contents.put()), S_OK);
  LPSRowSet rows = nullptr;
  ASSERT_EQ(contents->QueryRows(2, 0, &rows), S_OK);
  EXPECT_EQ(rows->cRows, 2u);
  FreeProws(rows);

  SaveSample(inbox.get(), 5);
  ULONG count = 0;
  ASSERT_EQ(contents->GetRowCount(0, &count), S_OK);
  EXPECT_EQ(count, 6u);
  SBinary gone{static_cast<ULONG>(eids[4].size()), eids[4].data()};
  ENTRYLIST list{1, &gone};
  ASSERT_EQ(inbox->DeleteMessages(&list, 0, nullptr, 0), S_OK);
  ASSERT_EQ(contents->GetRowCount(0, &count), S_OK);
  EXPECT_EQ(count, 5u);
  LPSPropValue n = nullptr;
  ASSERT_EQ(HrGetOneProp(inbox.get(), PR_CONTENT_COUNT, &n), S_OK);
  EXPECT_EQ(n->Value.l, 5);
  MAPIFreeBuffer(n);
  // Every property of the folder, in its order; the count among them.
  ULONG props = 0;
  ASSERT_EQ(inbox->GetProps(nullptr, 0, &props, &n), S_OK);
  ASSERT_EQ(props, 5u);
  EXPECT_EQ(n[0].ulPropTag, PR_ENTRYID);
  EXPECT_EQ(n[3].ulPropTag, PR_CONTENT_COUNT);
  EXPECT_EQ(n[3].Value.l, 5);
  EXPECT_EQ(n[4].ulPropTag, PR_DISPLAY_NAME_A);
  MAPIFreeBuffer(n);
  ASSERT_EQ(contents->QueryRows(10, 0, &rows), S_OK);
  EXPECT_EQ(rows->cRows, 3u);  // rows 3 to 5 of 5
  FreeProws(rows);

  contents.reset();
  CloseMailbox();
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
  const ChildEnd end = RunChild([](ChildPipe&) {
    com_ptr<IMAPISession> s;
    if (MAPIInitialize(nullptr) != S_OK) return 2;
    char profile[] = "p";
    if (MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()) != S_OK) return 3;
    com_ptr<IMsgStore> store;
    com_ptr<IMAPIFolder> inbox;
    if (OpenDefaultStore(s.get(), &store) != S_OK || OpenInbox(store.get(), &inbox) != S_OK) return 4;
    for (int i = 0; i < 25; ++i) SaveSample(inbox.get(), i);
    com_ptr<IMAPIClientShutdown> cs;
    if (s.query_to(IID_IMAPIClientShutdown, cs.put()) != S_OK) return 5;
    if (cs->QueryFastShutdown() != S_OK || cs->NotifyProcessShutdown() != S_OK || cs->DoFastShutdown() != S_OK) return 6;
    _exit(0);  // no normal shutdown, no destructor, no checkpoint
  });
  ASSERT_TRUE(end.exited && end.exit_code == 0) << end.Describe();
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
