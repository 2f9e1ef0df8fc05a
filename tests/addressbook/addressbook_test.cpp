// The offline address book: vCards parsed as real files are written, the download stops between
// files when asked, and the cache with its sync position survives SIGKILL right after
// DoFastShutdown (issue 4, items 3 and 5).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mapicode.h>
#include <mapitags.h>
#include <mapix.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <fstream>
#include <stop_token>
#include <thread>

#include "../../providers/addressbook/oab_cache.h"
#include "../store/store_client.h"
#include "child_process.h"
#include "durability_round.h"
#include "page_damage.h"
#include "mapishut/subsystem.h"

namespace mapishut::test {
namespace {

namespace fs = std::filesystem;

std::string Card(int i) {
  return "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-" + std::to_string(i) + "\r\nFN:Person\r\n  Number " + std::to_string(i) +
         "\r\nEMAIL;TYPE=work:p" + std::to_string(i) + "@example.org\r\nEND:VCARD\r\n";
}

std::string MakeServer(int cards) {
  char tmpl[] = "/tmp/mapishut-ab-XXXXXX";
  if (!mkdtemp(tmpl)) return {};
  const std::string dir = tmpl;
  fs::create_directories(dir + "/server");
  for (int i = 0; i < cards; ++i) std::ofstream(dir + "/server/" + std::to_string(100 + i) + ".vcf") << Card(i);
  return dir;
}

TEST(Vcard, UnfoldsUnescapesAndSkipsGarbageWithALineNumber) {
  std::vector<VcardWarning> warnings;
  const auto cards = ParseVcards(Card(1) + "junk line\nBEGIN:VCARD\nN:Doe;Jane;;;\nEMAIL:a@b\nEMAIL:c@d\nEND:VCARD\n"
                                           "BEGIN:VCARD\nNOTE:nothing useful\nEND:VCARD\nBEGIN:VCARD\nFN:Semi\\; colon\\, comma\n",
                                 &warnings);
  ASSERT_EQ(cards.size(), 2u);
  EXPECT_EQ(cards[0].name, "Person Number 1");  // a folded line
  EXPECT_EQ(cards[0].email, "p1@example.org");
  EXPECT_EQ(cards[1].name, "Jane Doe");
  EXPECT_EQ(cards[1].email, "a@b");  // the first EMAIL
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_EQ(warnings[0].line, 8);
}

TEST(OabCache, RefreshStopsBetweenFilesAndTheNextOneCompletesTheJob) {
  const std::string dir = MakeServer(5);
  std::unique_ptr<OabCache> cache;
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  std::stop_source stop;
  stop.request_stop();
  EXPECT_FALSE(cache->Refresh(dir + "/server", stop.get_token()).ok());  // asked to stop: takes nothing in
  EXPECT_TRUE(cache->Contacts().empty());
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  EXPECT_EQ(cache->Contacts().size(), 5u);
  ASSERT_TRUE(cache->Save().ok());
  const std::string position = cache->sync_position();
  cache.reset();
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  EXPECT_EQ(cache->Contacts().size(), 5u);
  EXPECT_EQ(cache->sync_position(), position);
  fs::remove_all(dir);
}

// A server file that cannot be read (here a directory under a card file's name: it opens, and its
// read fails as a failing disk's would) stops the download there, naming the file, instead of
// counting as a file without cards: the sync position would pass it, and its cards would never
// be downloaded. The files before it are taken in; it and the ones after it wait for the next
// download.
TEST(OabCache, AServerFileThatCannotBeReadStopsTheDownloadNamingItInsteadOfBeingPassed) {
  const std::string dir = MakeServer(2);  // 100.vcf and 101.vcf
  fs::create_directories(dir + "/server/200.vcf");
  std::unique_ptr<OabCache> cache;
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  const Status s = cache->Refresh(dir + "/server", {});
  EXPECT_FALSE(s.ok()) << "an unreadable file was taken for one without cards";
  EXPECT_THAT(s.message(), ::testing::HasSubstr(dir + "/server/200.vcf"));
  EXPECT_EQ(cache->Contacts().size(), 2u);
  const std::string before = cache->sync_position();
  fs::remove(dir + "/server/200.vcf");
  std::ofstream(dir + "/server/200.vcf") << Card(7);
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  EXPECT_EQ(cache->Contacts().size(), 3u);
  EXPECT_GT(cache->sync_position(), before);
  fs::remove_all(dir);
}

// A server file whose status cannot be read (here a symbolic link to itself, ELOOP; on a network
// file system, EIO) has no known place in the download's order: taking the files after it would
// move the sync position past it for good. The download stops, naming it, and takes it once it
// can be read.
TEST(OabCache, AServerFileWhoseStatusCannotBeReadStopsTheDownloadNamingItInsteadOfBeingPassed) {
  const std::string dir = MakeServer(2);  // 100.vcf and 101.vcf
  fs::create_symlink("150.vcf", dir + "/server/150.vcf");
  std::unique_ptr<OabCache> cache;
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  const Status s = cache->Refresh(dir + "/server", {});
  EXPECT_FALSE(s.ok()) << "a file whose status could not be read was passed over";
  EXPECT_THAT(s.message(), ::testing::HasSubstr(dir + "/server/150.vcf"));
  EXPECT_EQ(cache->sync_position(), "");
  fs::remove(dir + "/server/150.vcf");
  std::ofstream(dir + "/server/150.vcf") << Card(7);
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  EXPECT_EQ(cache->Contacts().size(), 3u);
  fs::remove_all(dir);
}

// A file the "server" adds later, after the ones MakeServer wrote (the sync position orders files
// by modification time, then name).
void AddServerFile(const std::string& dir, const std::string& name, const std::string& cards) {
  std::ofstream(dir + "/server/" + name) << cards;
}

std::string CardWithEmail(int i, const std::string& email) {
  return "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-" + std::to_string(i) + "\r\nFN:Person Number " + std::to_string(i) +
         "\r\nEMAIL:" + email + "\r\nEND:VCARD\r\n";
}

// A cache damaged on disk is refused at Open, naming the file, instead of opening with the
// contacts read before the damage: the download would never bring the others back, their files
// being behind the sync position.
TEST(OabCache, ADamagedCacheIsRefusedNamingTheFileNotOpenedWithPartOfItsContacts) {
  const std::string dir = MakeServer(5);
  const std::string path = dir + "/oab.db";
  std::unique_ptr<OabCache> cache;
  ASSERT_TRUE(OabCache::Open(path, &cache).ok());
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  ASSERT_TRUE(cache->Save().ok());
  cache.reset();  // the last connection checkpoints the WAL into the file
  ASSERT_FALSE(ZeroPage(path, RootPageOf(path, "contacts")).empty());
  const Status opened = OabCache::Open(path, &cache);
  EXPECT_EQ(opened.code(), Status::Code::kCorrupt) << opened.ToString() << "; " << (cache ? cache->Contacts().size() : 0)
                                                   << " contacts";
  EXPECT_THAT(opened.message(), ::testing::HasSubstr(path));
  EXPECT_EQ(cache, nullptr);
  fs::remove_all(dir);
}

std::string EmailOf(OabCache& cache, const std::string& uid) {
  for (const auto& c : cache.Contacts()) {
    if (c.uid == uid) return c.email;
  }
  return "";
}

// The fast exit's cost must not grow with the address list: a Save writes the cards taken in
// since the last one, not the whole cache.
TEST(OabCache, ASaveWritesOnlyTheCardsThatChangedSinceTheLastSave) {
  const std::string dir = MakeServer(5);
  std::unique_ptr<OabCache> cache;
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  ASSERT_TRUE(cache->Save().ok());
  EXPECT_EQ(cache->cards_written_by_last_save(), 5u);
  ASSERT_TRUE(cache->Save().ok());
  EXPECT_EQ(cache->cards_written_by_last_save(), 0u);  // nothing new
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  ASSERT_TRUE(cache->Save().ok());
  EXPECT_EQ(cache->cards_written_by_last_save(), 0u);  // a download that found nothing new
  // One card changed, one sent again unchanged: only the changed one is written.
  AddServerFile(dir, "200.vcf", CardWithEmail(1, "new@example.org") + Card(2));
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  ASSERT_TRUE(cache->Save().ok());
  EXPECT_EQ(cache->cards_written_by_last_save(), 1u);
  const std::string position = cache->sync_position();
  EXPECT_NE(position.find("/200.vcf"), std::string::npos) << position;
  cache.reset();
  // Every card and the position are there after reopening, and what was loaded is not dirty.
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  EXPECT_EQ(cache->Contacts().size(), 5u);
  EXPECT_EQ(EmailOf(*cache, "uid-1"), "new@example.org");
  EXPECT_EQ(EmailOf(*cache, "uid-2"), "p2@example.org");
  EXPECT_EQ(cache->sync_position(), position);
  ASSERT_TRUE(cache->Save().ok());
  EXPECT_EQ(cache->cards_written_by_last_save(), 0u);
  fs::remove_all(dir);
}

std::string SavedPosition(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT value FROM sync WHERE key='position'", -1, &st, nullptr);
  std::string value;
  if (sqlite3_step(st) == SQLITE_ROW) value = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return value;
}

// A Save that fails keeps its changes for the next one, and never leaves the position saved
// ahead of the cards it covers. The failures come through the database itself (we run as root,
// so file permissions would not stop the writes): another connection holding the write lock
// makes the Save fail before it writes; a trigger refusing one card makes it fail midway.
TEST(OabCache, AFailedSaveKeepsItsChangesForTheNextSave) {
  const std::string dir = MakeServer(3);
  std::unique_ptr<OabCache> cache;
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  ASSERT_TRUE(cache->Save().ok());
  const std::string old_position = cache->sync_position();
  AddServerFile(dir, "200.vcf", CardWithEmail(0, "zero@example.org") + CardWithEmail(2, "two@example.org"));
  ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
  ASSERT_NE(cache->sync_position(), old_position);

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/oab.db").c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_FALSE(cache->Save().ok());  // the write lock is taken
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);

  ASSERT_EQ(sqlite3_exec(other, "CREATE TRIGGER refuse BEFORE INSERT ON contacts WHEN NEW.uid = 'uid-2' "
                                "BEGIN SELECT RAISE(ABORT, 'refused'); END;", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_FALSE(cache->Save().ok());  // uid-0 written, uid-2 refused: the transaction is rolled back
  EXPECT_EQ(SavedPosition(other), old_position);
  ASSERT_EQ(sqlite3_exec(other, "DROP TRIGGER refuse", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  ASSERT_TRUE(cache->Save().ok());
  EXPECT_EQ(cache->cards_written_by_last_save(), 2u);  // both changes, including the rolled-back one
  const std::string position = cache->sync_position();
  cache.reset();
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  EXPECT_EQ(EmailOf(*cache, "uid-0"), "zero@example.org");
  EXPECT_EQ(EmailOf(*cache, "uid-2"), "two@example.org");
  EXPECT_EQ(cache->sync_position(), position);
  fs::remove_all(dir);
}

// The profile in `dir`, with the cache in `data_dir` (default: in `dir` too), downloading every
// `poll_ms`.
void UseProfile(const std::string& dir, const std::string& data_dir = "", int poll_ms = 60000) {
  const std::string data = data_dir.empty() ? dir : data_dir;
  std::ofstream(dir + "/mapisvc.inf") << "[Services]\nAB=AB\n[AB]\nProviders=AB Provider\n[AB Provider]\n"
                                         "PR_PROVIDER_DLL_NAME=libmapishut_oab.so\nPR_RESOURCE_TYPE=MAPI_AB_PROVIDER\n"
                                         "PR_DISPLAY_NAME=Offline Address Book\nPR_MAPISHUT_DATA_PATH=" << data << "/oab.db\n"
                                         "PR_MAPISHUT_REMOTE_PATH=" << dir << "/server\nPR_MAPISHUT_POLL_INTERVAL=" << poll_ms << "\n";
  std::ofstream(dir + "/profiles.inf") << "[Profiles]\nDefault=p\n[Profile p]\nServices=AB\n";
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
  SetConfigDirectory(dir);
  SetPolicyReader(NewFixedPolicyReader(std::nullopt, "test"));
}

// A cache that cannot be opened fails the logon with the file and SQLite's reason.
TEST(AddressBook, ALogonThatCannotOpenItsCacheSaysWhichFileAndWhy) {
  const std::string dir = MakeServer(1);
  UseProfile(dir);
  fs::create_directories(dir + "/oab.db");  // a directory where the cache file should be
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  com_ptr<IMAPISession> s;
  char profile[] = "p";
  EXPECT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()), MAPI_E_DISK_ERROR);
  EXPECT_NE(LastErrorMessage().find("IABProvider::Logon"), std::string::npos) << LastErrorMessage();
  EXPECT_NE(LastErrorMessage().find(dir + "/oab.db"), std::string::npos) << LastErrorMessage();
  EXPECT_NE(LastErrorMessage().find("unable to open"), std::string::npos) << LastErrorMessage();
  MAPIUninitialize();
  fs::remove_all(dir);
}

// Killed the instant DoFastShutdown returns (and, for the power-cut endings, the power cut then):
// the cache holds what it held when DoFastShutdown returned, with the sync position saved with it.
class AddressBookKill : public ::testing::TestWithParam<Ending> {};

// "CONTACTS POSITION" as committed in the cache at `path`, read without writing anything.
bool ReadCommitted(const std::string& path, std::string* out) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return false;
  }
  auto one = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    std::string value;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      value = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return value;
  };
  *out = one("SELECT count(*) FROM contacts") + " " + one("SELECT value FROM sync WHERE key='position'");
  sqlite3_close(db);
  return true;
}

TEST_P(AddressBookKill, CacheAndSyncPositionSurviveTheEndAfterDoFastShutdown) {
  if (const std::string why = DurabilityRound::WhyUnavailable(GetParam()); !why.empty()) GTEST_SKIP() << why;
  for (int round = 0; round < 10; ++round) {
    DurabilityRound disk(GetParam());
    std::string why;
    ASSERT_TRUE(disk.Start(&why)) << why;
    const std::string dir = MakeServer(6);
    UseProfile(dir, disk.data());
    const ChildEnd end = RunChild([&](ChildPipe& child) {
      com_ptr<IMAPISession> s;
      char profile[] = "p";
      if (MAPIInitialize(nullptr) != S_OK || MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()) != S_OK) return 2;
      com_ptr<IMAPIClientShutdown> cs;
      if (s.query_to(IID_IMAPIClientShutdown, cs.put()) != S_OK || cs->QueryFastShutdown() != S_OK ||
          cs->NotifyProcessShutdown() != S_OK || cs->DoFastShutdown() != S_OK) {
        return 3;
      }
      // What the provider committed, read back by a read-only connection: one that wrote would
      // fsync the shared WAL itself and hide a provider that does not.
      std::string saved;
      if (!ReadCommitted(disk.data() + "/oab.db", &saved)) return 4;
      child.KillHere(saved);
    });
    ASSERT_TRUE(disk.End(&why, static_cast<unsigned>(round))) << why;
    ASSERT_TRUE(end.killed) << end.Describe();
    std::unique_ptr<OabCache> cache;
    ASSERT_TRUE(OabCache::Open(disk.disk() + "/oab.db", &cache).ok());
    // The download started at logon was either finished or cut short between files; whatever
    // was taken in is saved together with the position that says how far it got.
    EXPECT_EQ(std::to_string(cache->Contacts().size()) + " " + cache->sync_position(), end.reports.back());
    const auto contacts = cache->Contacts();
    if (contacts.empty()) {
      EXPECT_EQ(cache->sync_position(), "");
    } else {
      EXPECT_NE(cache->sync_position(), "");
    }
    ASSERT_TRUE(cache->Refresh(dir + "/server", {}).ok());
    EXPECT_EQ(cache->Contacts().size(), 6u);  // the next download completes the job
    fs::remove_all(dir);
    if (HasFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Endings, AddressBookKill, AllEndings(), EndingName);

TEST(AddressBook, NormalShutdownDrainsTheDownloadAndSavesTheCache) {
  const std::string dir = MakeServer(3);
  UseProfile(dir);
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  com_ptr<IMAPISession> s;
  char profile[] = "p";
  ASSERT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()), S_OK) << LastErrorMessage();
  // The normal shutdown drains the download and saves: the cache file then holds all three.
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  s.reset();
  MAPIUninitialize();
  std::unique_ptr<OabCache> cache;
  ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  EXPECT_EQ(cache->Contacts().size(), 3u);
  fs::remove_all(dir);
}

// A client reads the address book with Microsoft's API alone: IMAPISession::OpenAddressBook, the
// root container (an empty entry ID), its contents table. Here the contacts a first session
// downloaded and saved at its normal shutdown.
TEST(AddressBook, AClientListsTheContactsThroughOpenAddressBook) {
  const std::string dir = MakeServer(3);
  UseProfile(dir);
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  char profile[] = "p";
  {
    com_ptr<IMAPISession> first;
    ASSERT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, first.put()), S_OK) << LastErrorMessage();
    ASSERT_EQ(first->Logoff(0, 0, 0), S_OK);  // drains the download and saves the cache
  }
  com_ptr<IMAPISession> s;
  ASSERT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()), S_OK) << LastErrorMessage();
  com_ptr<IAddrBook> book;
  ASSERT_EQ(s->OpenAddressBook(0, nullptr, 0, book.put()), S_OK);
  ULONG type = 0;
  com_ptr<IABContainer> root;
  ASSERT_EQ(book->OpenEntry(0, nullptr, nullptr, 0, &type, root.put_as<IUnknown>()), S_OK) << LastErrorMessage();
  EXPECT_EQ(type, static_cast<ULONG>(MAPI_ABCONT));
  com_ptr<IMAPITable> contents;
  ASSERT_EQ(root->GetContentsTable(0, contents.put()), S_OK);
  LPSRowSet rows = nullptr;
  ASSERT_EQ(contents->QueryRows(10, 0, &rows), S_OK);
  std::vector<std::string> emails;
  for (ULONG r = 0; r < rows->cRows; ++r) {
    for (ULONG c = 0; c < rows->aRow[r].cValues; ++c) {
      const SPropValue& v = rows->aRow[r].lpProps[c];
      if (v.ulPropTag == PR_EMAIL_ADDRESS_A) emails.push_back(v.Value.lpszA);
    }
  }
  FreeProws(rows);
  EXPECT_THAT(emails, ::testing::UnorderedElementsAre("p0@example.org", "p1@example.org", "p2@example.org"));
  contents.reset();
  root.reset();
  book.reset();
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  s.reset();
  MAPIUninitialize();
  fs::remove_all(dir);
}

// The address book's status row as the client reads it (IMAPISession::GetStatusTable): its
// status code and text, or nullopt when it has no row.
std::optional<std::pair<LONG, std::string>> AddressBookStatus(IMAPISession* s) {
  com_ptr<IMAPITable> status;
  if (s->GetStatusTable(0, status.put()) != S_OK) return std::nullopt;
  SizedSPropTagArray(3, columns) = {3, {PR_RESOURCE_TYPE, PR_STATUS_CODE, PR_STATUS_STRING_A}};
  LPSRowSet rows = nullptr;
  if (status->SetColumns(reinterpret_cast<LPSPropTagArray>(&columns), 0) != S_OK || status->QueryRows(10, 0, &rows) != S_OK) {
    return std::nullopt;
  }
  std::optional<std::pair<LONG, std::string>> found;
  for (ULONG r = 0; r < rows->cRows; ++r) {
    const SPropValue* v = rows->aRow[r].lpProps;
    if (v[0].Value.l != static_cast<LONG>(MAPI_AB_PROVIDER)) continue;
    found.emplace(v[1].Value.l, v[2].ulPropTag == PR_STATUS_STRING_A ? v[2].Value.lpszA : "");
  }
  FreeProws(rows);
  return found;
}

// Waits (20 s at most: a broken build, never a timing guess) until the address book's status
// row satisfies `condition`.
bool StatusBecomes(IMAPISession* s, const std::function<bool(LONG, const std::string&)>& condition) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    const auto row = AddressBookStatus(s);
    if (row && condition(row->first, row->second)) return true;
    std::this_thread::yield();
  }
  return false;
}

// The download is a background job no client call waits for: when it stops (a server file that
// cannot be read), the address book says so in its row of the status table, with the file and
// the reason, and says it is available again once a download succeeds. Before, nobody was told.
TEST(AddressBook, ADownloadThatStopsSaysWhyInTheStatusTableUntilOneSucceeds) {
  const std::string dir = MakeServer(2);
  fs::create_directories(dir + "/server/200.vcf");  // a directory where a card should be: unreadable
  UseProfile(dir, "", 10);
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  com_ptr<IMAPISession> s;
  char profile[] = "p";
  ASSERT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()), S_OK) << LastErrorMessage();
  EXPECT_TRUE(StatusBecomes(s.get(), [&](LONG code, const std::string& text) {
    return (code & STATUS_FAILURE) != 0 && text.find(dir + "/server/200.vcf") != std::string::npos;
  })) << (AddressBookStatus(s.get()) ? AddressBookStatus(s.get())->second : "no row");
  fs::remove(dir + "/server/200.vcf");
  std::ofstream(dir + "/server/200.vcf") << Card(7);
  EXPECT_TRUE(StatusBecomes(s.get(), [](LONG code, const std::string& text) {
    return code == static_cast<LONG>(STATUS_AVAILABLE) && text.empty();
  }));
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  s.reset();
  MAPIUninitialize();
  fs::remove_all(dir);
}

// The cache cannot be saved at the normal shutdown: Logoff fails, and the client reads which file
// and why (the address book's GetLastError, through the subsystem), not just a code.
TEST(AddressBook, ANormalShutdownThatCannotSaveSaysWhichFileAndWhy) {
  const std::string dir = MakeServer(3);
  UseProfile(dir);
  {
    std::unique_ptr<OabCache> cache;
    ASSERT_TRUE(OabCache::Open(dir + "/oab.db", &cache).ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/oab.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TRIGGER refuse BEFORE INSERT ON contacts BEGIN SELECT RAISE(ABORT, 'no room for cards'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  com_ptr<IMAPISession> s;
  char profile[] = "p";
  ASSERT_EQ(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()), S_OK) << LastErrorMessage();
  EXPECT_EQ(s->Logoff(0, 0, 0), MAPI_E_DISK_ERROR);
  EXPECT_NE(LastErrorMessage().find(dir + "/oab.db"), std::string::npos) << LastErrorMessage();
  EXPECT_NE(LastErrorMessage().find("no room for cards"), std::string::npos) << LastErrorMessage();
  s.reset();
  MAPIUninitialize();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mapishut::test
