// The store at the edges SIGKILL does not reach (issue 10; SPEC.md "The edges of the contract",
// rule 7): a second owner of one database, a value too large to store.
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <sqlite3.h>

#include "mapishut/client_exit.h"
#include "mapishut/com_ptr.h"
#include "../support/page_damage.h"
#include "store_client.h"
#include "store_fixture.h"

namespace mapishut::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Runs the probe (a second client process) against `dir`; its one line of output.
std::string SecondClientLogon(const std::string& dir) {
  const std::string command = std::string(MAPISHUT_BINARY_DIR "/tests/store/logon_probe ") + dir;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  char line[1024] = {};
  const bool read = fgets(line, sizeof line, pipe) != nullptr;
  pclose(pipe);
  return read ? line : "no output";
}

class StoreFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeStoreProfile();
    UseStoreProfile(dir_);
    ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  }
  void TearDown() override { MAPIUninitialize(); }
  HRESULT LogonDefault(com_ptr<IMAPISession>* s) {
    return MAPILogonEx(0, nullptr, nullptr, MAPI_EXTENDED | MAPI_USE_DEFAULT, s->put());
  }
  // Logs on to the default profile and opens its store and inbox (with ASSERT_NO_FATAL_FAILURE).
  void OpenMailbox(com_ptr<IMAPISession>* s, com_ptr<IMsgStore>* store, com_ptr<IMAPIFolder>* inbox) {
    ASSERT_EQ(LogonDefault(s), S_OK);
    ASSERT_EQ(OpenDefaultStore(s->get(), store), S_OK);
    ASSERT_EQ(OpenInbox(store->get(), inbox), S_OK);
  }
  // Logs on, runs `save` on the inbox and logs off normally, which checkpoints into the database
  // file (use with ASSERT_NO_FATAL_FAILURE).
  void SaveAndLogoff(const std::function<void(IMAPIFolder*)>& save) {
    com_ptr<IMAPISession> s;
    com_ptr<IMsgStore> store;
    com_ptr<IMAPIFolder> inbox;
    ASSERT_NO_FATAL_FAILURE(OpenMailbox(&s, &store, &inbox));
    ASSERT_NO_FATAL_FAILURE(save(inbox.get()));
    inbox.reset();
    store.reset();
    ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  }
  std::string dir_;
};

TEST_F(StoreFaultsTest, ASecondProcessOnTheSameStoreIsRefusedNamingTheFileAndTheHolder) {
  com_ptr<IMAPISession> s;
  ASSERT_EQ(LogonDefault(&s), S_OK);
  const std::string answer = SecondClientLogon(dir_);
  EXPECT_THAT(answer, StartsWith("0x8004010B"));  // MAPI_E_BUSY
  EXPECT_THAT(answer, HasSubstr(dir_ + "/store.db"));
  EXPECT_THAT(answer, HasSubstr("process " + std::to_string(getpid())));
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  s.reset();
  EXPECT_THAT(SecondClientLogon(dir_), StartsWith("0x00000000"));  // free again once closed
}

TEST_F(StoreFaultsTest, AStoreServiceListedTwiceInAProfileIsRefusedAtLogon) {
  std::ofstream(dir_ + "/profiles.inf") << "[Profiles]\nDefault=p\n[Profile p]\nServices=Store, Store\n";
  com_ptr<IMAPISession> s;
  EXPECT_EQ(LogonDefault(&s), MAPI_E_BUSY);
  EXPECT_THAT(LastErrorMessage(), HasSubstr(dir_ + "/store.db"));
  EXPECT_THAT(LastErrorMessage(), HasSubstr("this process"));
}

constexpr ULONG kBytesTag = PROP_TAG(PT_BINARY, 0x6702);

// Saves a new message in `inbox` holding `size` bytes under kBytesTag; its entry id in *eid.
HRESULT SaveBytes(IMAPIFolder* inbox, ULONG size, std::vector<BYTE>* eid = nullptr) {
  com_ptr<IMessage> m;
  std::string bytes(size, 'x');
  SPropValue value;
  value.ulPropTag = kBytesTag;
  value.Value.bin.cb = size;
  value.Value.bin.lpb = reinterpret_cast<BYTE*>(bytes.data());
  HRESULT hr = inbox->CreateMessage(nullptr, 0, m.put());
  if (SUCCEEDED(hr)) hr = m->SetProps(1, &value, nullptr);
  if (SUCCEEDED(hr)) hr = m->SaveChanges(0);
  LPSPropValue id = nullptr;
  if (SUCCEEDED(hr) && eid && SUCCEEDED(hr = HrGetOneProp(m.get(), PR_ENTRYID, &id))) {
    eid->assign(id->Value.bin.lpb, id->Value.bin.lpb + id->Value.bin.cb);
    MAPIFreeBuffer(id);
  }
  return hr;
}

// The store's cap on one value (PR_MAPISHUT_MAX_VALUE_SIZE), at its edge: a value of exactly the
// cap is acknowledged and on disk after the exit; one byte more fails SaveChanges, naming the
// cap.
TEST_F(StoreFaultsTest, AValueOfTheStoresCapIsKeptAndOneByteMoreFailsSaveChanges) {
  constexpr ULONG kCap = 100'000;
  std::ofstream(dir_ + "/mapisvc.inf", std::ios::app) << "PR_MAPISHUT_MAX_VALUE_SIZE=" << kCap << "\n";
  com_ptr<IMAPISession> s;
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
  ASSERT_NO_FATAL_FAILURE(OpenMailbox(&s, &store, &inbox));
  EXPECT_EQ(SaveBytes(inbox.get(), kCap + 1), MAPI_E_TOO_BIG);
  EXPECT_THAT(LastErrorMessage(), HasSubstr(std::to_string(kCap) + " bytes per value"));
  EXPECT_THAT(LastErrorMessage(), HasSubstr(dir_ + "/store.db"));  // SPEC.md rule 7: the file, too
  ASSERT_EQ(SaveBytes(inbox.get(), kCap), S_OK);
  inbox.reset();
  store.reset();
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ + "/store.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* lengths = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT length(value) FROM props WHERE tag=?", -1, &lengths, nullptr), SQLITE_OK);
  sqlite3_bind_int64(lengths, 1, kBytesTag);
  std::vector<int64_t> stored;
  while (sqlite3_step(lengths) == SQLITE_ROW) stored.push_back(sqlite3_column_int64(lengths, 0));
  sqlite3_finalize(lengths);
  sqlite3_close(db);
  EXPECT_EQ(stored, std::vector<int64_t>{kCap});  // the acknowledged one, whole; the refused one never
}

// A cap set after larger values were stored limits new saves only: what the store already
// keeps stays readable (SQLite's own limit also applies to reading a value, so it stays as it is).
TEST_F(StoreFaultsTest, ACapLoweredLaterStillReadsTheLargerValuesSavedBeforeIt) {
  constexpr ULONG kSize = 200'000;
  std::vector<BYTE> eid;
  ASSERT_NO_FATAL_FAILURE(SaveAndLogoff([&](IMAPIFolder* inbox) { ASSERT_EQ(SaveBytes(inbox, kSize, &eid), S_OK); }));
  std::ofstream(dir_ + "/mapisvc.inf", std::ios::app) << "PR_MAPISHUT_MAX_VALUE_SIZE=" << kSize / 2 << "\n";
  com_ptr<IMAPISession> s;
  ASSERT_EQ(LogonDefault(&s), S_OK);
  com_ptr<IMsgStore> store;
  ASSERT_EQ(OpenDefaultStore(s.get(), &store), S_OK);
  com_ptr<IMessage> m;
  ULONG type = 0;
  ASSERT_EQ(store->OpenEntry(static_cast<ULONG>(eid.size()), reinterpret_cast<LPENTRYID>(eid.data()), nullptr, 0, &type,
                             m.put_as<IUnknown>()),
            S_OK);
  LPSPropValue value = nullptr;
  ASSERT_EQ(HrGetOneProp(m.get(), kBytesTag, &value), S_OK) << LastErrorMessage();
  EXPECT_EQ(value->Value.bin.cb, kSize);
  MAPIFreeBuffer(value);
  m.reset();
  store.reset();
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);
}

TEST_F(StoreFaultsTest, ADamagedDatabaseIsRefusedAtLogonAndLeftUntouched) {
  ASSERT_NO_FATAL_FAILURE(SaveAndLogoff([](IMAPIFolder* inbox) {
    for (int i = 0; i < 200; ++i) {
      com_ptr<IMessage> m;
      ASSERT_EQ(inbox->CreateMessage(nullptr, 0, m.put()), S_OK);
      SampleProps props(i);
      ASSERT_EQ(m->SetProps(static_cast<ULONG>(props.values.size()), props.values.data(), nullptr), S_OK);
      ASSERT_EQ(m->SaveChanges(0), S_OK);
    }
  }));
  // Random bytes over a few pages past the header, as a failing disk or a stray write leaves them.
  const std::string db = dir_ + "/store.db";
  const auto size = std::filesystem::file_size(db);
  ASSERT_GT(size, 8u * 4096u);
  {
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    std::mt19937 rng(11);
    for (uint64_t page : {2u, 3u, 5u}) {  // whole pages past the first (the header stays readable)
      f.seekp(static_cast<std::streamoff>(page * 4096));
      for (int i = 0; i < 4096; ++i) f.put(static_cast<char>(rng()));
    }
  }
  std::ifstream before_in(db, std::ios::binary);
  const std::string before((std::istreambuf_iterator<char>(before_in)), std::istreambuf_iterator<char>());
  com_ptr<IMAPISession> s;
  EXPECT_EQ(LogonDefault(&s), MAPI_E_CORRUPT_DATA);
  EXPECT_THAT(LastErrorMessage(), HasSubstr(db));
  EXPECT_THAT(LastErrorMessage(), HasSubstr("damaged"));
  std::ifstream after_in(db, std::ios::binary);
  const std::string after((std::istreambuf_iterator<char>(after_in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(before == after) << "a damaged database must not be written";
}

// Damage after the logon's check (a failing disk, a stray write into the file) is met by a read,
// and the read fails naming the file: a message is never opened with the properties read before
// the damage, since its next SaveChanges would then delete the rest for good. Once the page is
// whole again the message is there as it was saved: nothing was rewritten from the part read.
TEST_F(StoreFaultsTest, AMessageDamagedAfterLogonIsNotOpenedWithPartOfItsProperties) {
  constexpr ULONG kSize = 1 << 20;  // most of the file's pages: its middle page is in this value
  std::vector<BYTE> eid;
  ASSERT_NO_FATAL_FAILURE(SaveAndLogoff([&](IMAPIFolder* inbox) { ASSERT_EQ(SaveBytes(inbox, kSize, &eid), S_OK); }));
  com_ptr<IMAPISession> s;
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
  ASSERT_NO_FATAL_FAILURE(OpenMailbox(&s, &store, &inbox));
  const std::string db = dir_ + "/store.db";
  const uint32_t page = MiddlePageOf(db);
  const std::string whole = ZeroPage(db, page);
  ASSERT_FALSE(whole.empty());
  auto open_message = [&](com_ptr<IMessage>* m) {
    ULONG type = 0;
    return store->OpenEntry(static_cast<ULONG>(eid.size()), reinterpret_cast<LPENTRYID>(eid.data()), nullptr,
                            MAPI_MODIFY, &type, m->put_as<IUnknown>());
  };
  com_ptr<IMessage> m;
  EXPECT_EQ(open_message(&m), MAPI_E_CORRUPT_DATA);
  EXPECT_THAT(LastErrorMessage(), HasSubstr(db));
  {  // a later failure of its own is not told the damage's reason
    std::vector<BYTE> bad(eid.size(), 0);
    ULONG type = 0;
    com_ptr<IUnknown> none;
    EXPECT_EQ(store->OpenEntry(static_cast<ULONG>(bad.size()), reinterpret_cast<LPENTRYID>(bad.data()), nullptr, 0, &type,
                               none.put()),
              MAPI_E_INVALID_ENTRYID);
    EXPECT_THAT(LastErrorMessage(), Not(HasSubstr(db)));
  }
  if (m) {  // what the defect allowed: a save of the part that was read
    SPropValue subject;
    subject.ulPropTag = PR_SUBJECT_A;
    subject.Value.lpszA = const_cast<char*>("edited");
    ASSERT_EQ(m->SetProps(1, &subject, nullptr), S_OK);
    ASSERT_EQ(m->SaveChanges(0), S_OK);
    m.reset();
  }
  ASSERT_EQ(OverwritePage(db, page, whole), std::string(whole.size(), '\0'));
  ASSERT_EQ(open_message(&m), S_OK) << LastErrorMessage();
  LPSPropValue value = nullptr;
  ASSERT_EQ(HrGetOneProp(m.get(), kBytesTag, &value), S_OK) << "the value was dropped";
  EXPECT_EQ(value->Value.bin.cb, kSize);
  MAPIFreeBuffer(value);
  m.reset();
  inbox.reset();
  store.reset();
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);
}

// A folder whose index is damaged after the logon's check is not listed as empty, or as what
// was read before the damage: the contents table's calls fail naming the file.
TEST_F(StoreFaultsTest, AFolderWhoseIndexIsDamagedAfterLogonIsNotListedAsEmpty) {
  ASSERT_NO_FATAL_FAILURE(SaveAndLogoff([](IMAPIFolder* inbox) {
    for (int i = 0; i < 3; ++i) ASSERT_EQ(SaveBytes(inbox, 10), S_OK);
  }));
  const std::string db = dir_ + "/store.db";
  const uint32_t index = RootPageOf(db, "messages_by_folder");
  ASSERT_NE(index, 0u);
  com_ptr<IMAPISession> s;
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
  ASSERT_NO_FATAL_FAILURE(OpenMailbox(&s, &store, &inbox));
  const std::string whole = ZeroPage(db, index);
  ASSERT_FALSE(whole.empty());
  com_ptr<IMAPITable> table;
  ASSERT_EQ(inbox->GetContentsTable(0, table.put()), S_OK);
  ULONG rows = 0;
  EXPECT_EQ(table->GetRowCount(0, &rows), MAPI_E_CORRUPT_DATA) << rows << " rows";
  EXPECT_THAT(LastErrorMessage(), HasSubstr(db));
  LPSRowSet set = nullptr;
  EXPECT_EQ(table->QueryRows(10, 0, &set), MAPI_E_CORRUPT_DATA);
  if (set) FreeProws(set);
  // The folder's count needs the index and fails with it; its name does not.
  LPSPropValue value = nullptr;
  EXPECT_EQ(HrGetOneProp(inbox.get(), PR_CONTENT_COUNT, &value), MAPI_E_CORRUPT_DATA);
  MAPIFreeBuffer(value);
  value = nullptr;
  ASSERT_EQ(HrGetOneProp(inbox.get(), PR_DISPLAY_NAME_A, &value), S_OK) << LastErrorMessage();
  EXPECT_STREQ(value->Value.lpszA, "Inbox");
  MAPIFreeBuffer(value);
  ASSERT_EQ(OverwritePage(db, index, whole), std::string(whole.size(), '\0'));
  ASSERT_EQ(table->GetRowCount(0, &rows), S_OK) << LastErrorMessage();
  EXPECT_EQ(rows, 3u);
  table.reset();
  inbox.reset();
  store.reset();
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);
}

// A real small filesystem (tmpfs, 2 MB) for the store's data, so the disk really fills up.
class SmallDiskTest : public StoreFaultsTest {
 protected:
  void SetUp() override {
    StoreFaultsTest::SetUp();
    disk_ = dir_ + "/disk";
    std::filesystem::create_directories(disk_);
    if (mount("tmpfs", disk_.c_str(), "tmpfs", 0, "size=2m") != 0) {
      GTEST_SKIP() << "cannot mount a 2 MB tmpfs at " << disk_ << " (" << std::strerror(errno)
                   << "): this test needs root or CAP_SYS_ADMIN";
    }
    mounted_ = true;
    std::ofstream(dir_ + "/mapisvc.inf") << "[Services]\nStore=Store\n[Store]\nProviders=Store Provider\n"
                                            "[Store Provider]\nPR_PROVIDER_DLL_NAME=libmapishut_store.so\n"
                                            "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE\n"
                                            "PR_DISPLAY_NAME=Test Store\nPR_MAPISHUT_DATA_PATH=" << disk_ << "/store.db\n";
  }
  void TearDown() override {
    StoreFaultsTest::TearDown();
    if (mounted_) umount2(disk_.c_str(), MNT_DETACH);
  }
  // Fills the disk with a file of `bytes`, removed to give the space back.
  void Fill(size_t bytes) { std::ofstream(disk_ + "/filler") << std::string(bytes, 'f'); }
  void FreeSpace() { std::filesystem::remove(disk_ + "/filler"); }
  // Remounts the disk read-only, as a filesystem the kernel remounted after errors is.
  bool MakeReadOnly() { return mount("tmpfs", disk_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=2m") == 0; }
  // Saves 10 KB messages until one is refused (at most `limit`); how many were acknowledged.
  int SaveUntilRefused(IMAPIFolder* folder, int limit, HRESULT* refusal, std::string* why) {
    for (int i = 0; i < limit; ++i) {
      com_ptr<IMessage> m;
      if (folder->CreateMessage(nullptr, 0, m.put()) != S_OK) return i;
      std::string body(10 * 1024, static_cast<char>('a' + i % 26));
      SPropValue v;
      v.ulPropTag = PR_BODY_A;
      v.Value.lpszA = body.data();
      if (m->SetProps(1, &v, nullptr) != S_OK) return i;
      *refusal = m->SaveChanges(0);
      if (*refusal != S_OK) {
        LPMAPIERROR error = nullptr;
        if (m->GetLastError(*refusal, 0, &error) == S_OK && error && error->lpszError) why->assign(reinterpret_cast<char*>(error->lpszError));
        MAPIFreeBuffer(error);
        return i;
      }
    }
    return limit;
  }
  ULONG CountMessages() {
    com_ptr<IMAPISession> s;
    EXPECT_EQ(LogonDefault(&s), S_OK) << LastErrorMessage();
    com_ptr<IMsgStore> store;
    com_ptr<IMAPIFolder> inbox;
    com_ptr<IMAPITable> contents;
    ULONG count = 0;
    EXPECT_EQ(OpenDefaultStore(s.get(), &store), S_OK);
    EXPECT_EQ(OpenInbox(store.get(), &inbox), S_OK);
    EXPECT_EQ(inbox->GetContentsTable(0, contents.put()), S_OK);
    EXPECT_EQ(contents->GetRowCount(0, &count), S_OK);
    contents.reset();
    inbox.reset();
    store.reset();
    s->Logoff(0, 0, 0);
    return count;
  }
  std::string disk_;
  bool mounted_ = false;
};

TEST_F(SmallDiskTest, OnAFullDiskSavesAreRefusedAndWhatWasAcknowledgedIsWrittenOnceSpaceReturns) {
  com_ptr<IMAPISession> s;
  ASSERT_EQ(LogonDefault(&s), S_OK) << LastErrorMessage();
  Fill(1200 * 1024);
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
  ASSERT_EQ(OpenDefaultStore(s.get(), &store), S_OK);
  ASSERT_EQ(OpenInbox(store.get(), &inbox), S_OK);
  HRESULT refusal = S_OK;
  std::string why;
  const int acknowledged = SaveUntilRefused(inbox.get(), 2000, &refusal, &why);
  ASSERT_LT(acknowledged, 2000) << "the disk never filled";
  EXPECT_EQ(refusal, MAPI_E_NOT_ENOUGH_DISK);
  EXPECT_THAT(why, HasSubstr(disk_ + "/store.db"));
  FreeSpace();
  // The writer backs off and retries: once it caught up, new saves are accepted again and the
  // normal shutdown writes everything.
  inbox.reset();
  store.reset();
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK) << LastErrorMessage();
  s.reset();
  EXPECT_EQ(CountMessages(), static_cast<ULONG>(acknowledged));
}

// Issue 10, item 6: the logon failure names the method, the file and the system's reason.
TEST_F(SmallDiskTest, AStoreOnAReadOnlyFilesystemIsRefusedAtLogonNamingTheFileAndTheReason) {
  {
    com_ptr<IMAPISession> s;
    ASSERT_EQ(LogonDefault(&s), S_OK) << LastErrorMessage();
    ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  }
  ASSERT_TRUE(MakeReadOnly()) << std::strerror(errno);
  com_ptr<IMAPISession> s;
  EXPECT_EQ(LogonDefault(&s), MAPI_E_DISK_ERROR);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("IMSProvider::Logon"));
  EXPECT_THAT(LastErrorMessage(), Not(HasSubstr("not documented")));
  EXPECT_THAT(LastErrorMessage(), HasSubstr(disk_ + "/store.db"));
  EXPECT_THAT(LastErrorMessage(), HasSubstr("Read-only file system"));
}

TEST_F(SmallDiskTest, WhatCannotBeWrittenAtTheEndIsReportedToTheExitHelperNotLostQuietly) {
  com_ptr<IMAPISession> s;
  ASSERT_EQ(LogonDefault(&s), S_OK) << LastErrorMessage();
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
  ASSERT_EQ(OpenDefaultStore(s.get(), &store), S_OK);
  ASSERT_EQ(OpenInbox(store.get(), &inbox), S_OK);
  // Hold SQLite's write lock from a second connection so the writer cannot commit, have 20 saves
  // acknowledged while the disk has room, then let something else take all the space.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((disk_ + "/store.db").c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  HRESULT refusal = S_OK;
  std::string why;
  ASSERT_EQ(SaveUntilRefused(inbox.get(), 20, &refusal, &why), 20) << why;
  Fill(4 * 1024 * 1024);  // more than the disk holds: it is full now
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  inbox.reset();
  store.reset();

  const ExitDecision exit = PrepareToExit(s.get());
  EXPECT_FALSE(exit.exit_now);  // the store could not save: DoFastShutdown failed
  EXPECT_EQ(exit.done, MAPI_E_CALL_FAILED);
  EXPECT_TRUE(exit.performed_normal_shutdown);
  EXPECT_TRUE(exit.data_lost);
  EXPECT_THAT(exit.lost, HasSubstr("Test Store"));
  EXPECT_THAT(exit.lost, HasSubstr(disk_ + "/store.db"));
  EXPECT_THAT(exit.lost, HasSubstr("20 acknowledged changes"));
  // SPEC.md rule 7: LastErrorMessage says it too, on the thread that asked to exit.
  EXPECT_THAT(LastErrorMessage(), HasSubstr(disk_ + "/store.db"));
  const ShutdownRecord record = GetShutdownRecord();
  bool reported = false;
  for (const auto& r : record.reports) reported |= r.find("acknowledged changes will be lost") != std::string::npos;
  EXPECT_TRUE(reported);
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);  // TearDown's MAPIUninitialize balances this one
  s.reset();
}

}  // namespace
}  // namespace mapishut::test
