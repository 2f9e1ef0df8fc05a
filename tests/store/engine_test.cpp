// The store engine's write-behind and maintenance rules, below the MAPI layer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <fstream>

#include "../../providers/store/message_db.h"
#include "../support/page_damage.h"

namespace mapishut {
namespace {

using ::testing::HasSubstr;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mapishut-engine-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_TRUE(MessageDb::Open(dir_ + "/store.db", &db_).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  std::unique_ptr<MessageDb> db_;
};

TEST_F(EngineTest, SavesAreVisibleAtOnceAndDurableAfterFlush) {
  StoredMessage m;
  m.id = db_->NewMessageId();
  m.folder = MessageDb::kInboxFolder;
  m.props[0x0037001F] = std::string("\x01\x02\x00\x03", 4);
  const uint64_t ack = db_->Save(m);
  StoredMessage back;
  ASSERT_TRUE(db_->Load(m.id, &back).ok());  // read-your-writes through the pending overlay
  EXPECT_EQ(back.props, m.props);
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_GE(db_->DurableSeq(), ack);
  db_.reset();
  ASSERT_TRUE(MessageDb::Open(dir_ + "/store.db", &db_).ok());
  ASSERT_TRUE(db_->Load(m.id, &back).ok());
  EXPECT_EQ(back.props, m.props);
}

// A new message is written with plain inserts; saved again after it was committed, its old
// properties must go (a property deleted between the saves is not resurrected), also after the
// store is reopened by another process's view of the file.
TEST_F(EngineTest, ASecondSaveAfterTheFirstWasCommittedReplacesEveryProperty) {
  StoredMessage m;
  m.id = db_->NewMessageId();
  m.folder = MessageDb::kInboxFolder;
  m.props[0x0037001F] = "subject";
  m.props[0x1000001F] = "body";
  db_->Save(m);
  ASSERT_TRUE(db_->Flush().ok());
  m.props.erase(0x1000001F);
  m.props[0x0037001F] = "new subject";
  db_->Save(m);
  StoredMessage again = m;  // saved twice before one commit: the later one is what is written
  again.props[0x0E1D001F] = "normalized";
  db_->Save(again);
  ASSERT_TRUE(db_->Flush().ok());
  db_.reset();
  ASSERT_TRUE(MessageDb::Open(dir_ + "/store.db", &db_).ok());
  StoredMessage back;
  ASSERT_TRUE(db_->Load(m.id, &back).ok());
  EXPECT_EQ(back.props, again.props);
}

// The WAL's checkpoint sequence number (bytes 12-15 of its header, big-endian): SQLite adds one
// each time a checkpoint let it start the WAL over.
uint32_t WalCheckpointSequence(const std::string& wal) {
  std::ifstream in(wal, std::ios::binary);
  unsigned char header[16] = {};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  return uint32_t{header[12]} << 24 | uint32_t{header[13]} << 16 | uint32_t{header[14]} << 8 | header[15];
}

// The WAL is kept bounded off the commit path (issue 11): no commit checkpoints, so a fast exit's
// flush pays its fsync and nothing more; the writer checkpoints once it is idle; once maintenance
// stopped (NotifyProcessShutdown) it does not checkpoint at all.
TEST_F(EngineTest, TheWalIsCheckpointedWhenTheWriterIsIdleNeverByACommit) {
  auto save = [&](int batches) {
    for (int b = 0; b < batches; ++b) {
      for (int i = 0; i < 100; ++i) {
        StoredMessage m;
        m.id = db_->NewMessageId();
        m.folder = MessageDb::kInboxFolder;
        m.props[0x1000001E] = std::string(4096, 'b');  // about two WAL pages each
        db_->Save(std::move(m));
      }
      ASSERT_TRUE(db_->Flush().ok());  // one commit per 100 messages
    }
  };
  const std::string wal = dir_ + "/store.db-wal";
  db_->StopMaintenance();  // what NotifyProcessShutdown does: from here on, commits only
  save(1);
  const uint32_t before = WalCheckpointSequence(wal);
  save(40);  // about 8,000 pages: SQLite's own checkpoint (every 1,000, inside a commit) would run
  EXPECT_EQ(WalCheckpointSequence(wal), before) << "a commit checkpointed the WAL";
  EXPECT_EQ(db_->idle_checkpoints(), 0);

  db_.reset();  // a new process's store, maintenance running
  ASSERT_TRUE(MessageDb::Open(dir_ + "/store.db", &db_).ok());
  save(10);
  ASSERT_TRUE(db_->WaitForIdleCheckpointForTesting());
  EXPECT_GE(db_->idle_checkpoints(), 1);
}

// Without a cap the edge is SQLite's own limit on a row (1,000,000,000 bytes by default) less the
// row's other bytes, which the next test shows is enough: a value over it is refused before it
// is acknowledged, never left for the writer to fail on. (CheckStorable's use of the edge is
// shown at the MAPI level with a small cap, StoreFaultsTest.AValueOfTheStoresCap*.)
TEST_F(EngineTest, WithoutACapTheLargestValueIsSqlitesLimitLessTheRowOverhead) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ + "/store.db").c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  const auto sqlite_limit = static_cast<size_t>(sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, -1));
  sqlite3_close(raw);
  EXPECT_EQ(db_->max_value_size(), sqlite_limit - MessageDb::kRowOverhead);
}

// The row overhead the store keeps free is enough for SQLite's own rule on the largest props row:
// the largest message id and tag, and a value of the limit less the overhead, in the store's own
// table, on a connection whose limit is lowered so the edge is cheap to reach.
TEST_F(EngineTest, TheRowOverheadKeptFreeHoldsTheLargestRowSqliteTakes) {
  db_.reset();  // the schema stays; the store's connection goes
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ + "/store.db").c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  constexpr int kLimit = 100'000;
  sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, kLimit);
  sqlite3_stmt* insert = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "INSERT INTO props(message, tag, value) VALUES(?, ?, ?)", -1, &insert, nullptr), SQLITE_OK);
  const std::string value(kLimit - MessageDb::kRowOverhead, 'x');
  sqlite3_bind_int64(insert, 1, INT64_MAX);
  sqlite3_bind_int64(insert, 2, 0xFFFFFFFF);
  ASSERT_EQ(sqlite3_bind_blob64(insert, 3, value.data(), value.size(), SQLITE_STATIC), SQLITE_OK);
  EXPECT_EQ(sqlite3_step(insert), SQLITE_DONE) << sqlite3_errmsg(raw);
  sqlite3_finalize(insert);
  sqlite3_close(raw);
}

TEST_F(EngineTest, ManySavesAreCommittedInFewerBatches) {
  for (int i = 0; i < 200; ++i) {
    StoredMessage m;
    m.id = db_->NewMessageId();
    m.folder = MessageDb::kInboxFolder;
    db_->Save(m);
  }
  ASSERT_TRUE(db_->Flush().ok());
  std::vector<ListedMessage> listed;
  ASSERT_TRUE(db_->List(MessageDb::kInboxFolder, &listed).ok());
  EXPECT_EQ(listed.size(), 200u);
  EXPECT_LT(db_->batches_committed(), 200);  // write-behind batches; it does not commit per save
}

// Saves acknowledged while the writer's transaction is still open join it when a flush is
// waiting: a fast exit's flush costs one commit (one fsync), not the batch in flight and then
// another for what came after it.
TEST_F(EngineTest, AFlushDuringABatchCommitsWhatCameAfterItInTheSameTransaction) {
  std::mutex mutex;
  std::condition_variable cv;
  bool in_transaction = false, go_on = false;
  db_->SetBeforeCommitForTesting([&] {
    std::unique_lock lock(mutex);
    if (in_transaction) return;  // the first transaction only
    in_transaction = true;
    cv.notify_all();
    cv.wait(lock, [&] { return go_on; });
  });
  auto save = [&](int n) {
    for (int i = 0; i < n; ++i) {
      StoredMessage m;
      m.id = db_->NewMessageId();
      m.folder = MessageDb::kInboxFolder;
      m.props[0x0037001F] = "subject " + std::to_string(m.id);
      db_->Save(m);
    }
  };
  save(10);
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return in_transaction; });  // the writer holds those 10, uncommitted
  }
  save(10);          // after the writer took its batch
  db_->BeginFlush();  // what NotifyProcessShutdown does: someone waits for everything
  {
    std::lock_guard lock(mutex);
    go_on = true;
  }
  cv.notify_all();
  ASSERT_TRUE(db_->Flush().ok());
  EXPECT_EQ(db_->batches_committed(), 1) << "the flush paid a second commit for saves made during the first";
  std::vector<ListedMessage> listed;
  ASSERT_TRUE(db_->List(MessageDb::kInboxFolder, &listed).ok());
  EXPECT_EQ(listed.size(), 20u);
  db_.reset();
  ASSERT_TRUE(MessageDb::Open(dir_ + "/store.db", &db_).ok());
  ASSERT_TRUE(db_->List(MessageDb::kInboxFolder, &listed).ok());
  EXPECT_EQ(listed.size(), 20u);
}

// Damage made after the store was opened (page_damage.h) is met by a read, and the read fails
// naming the file: never a message with the properties read before the damage, never a page of
// a listing without them. Here the damage is inside a value of 1 MB, the last of its message's
// properties in the order they are read.
TEST_F(EngineTest, AReadThatMeetsDamageFailsNamingTheFileInsteadOfEndingEarly) {
  constexpr uint32_t kBig = 0x37010102;  // PR_ATTACH_DATA_BIN: after the subject in tag order
  StoredMessage m;
  m.id = db_->NewMessageId();
  m.folder = MessageDb::kInboxFolder;
  m.props[0x0037001F] = "subject";
  m.props[kBig] = std::string(1 << 20, 'x');
  StoredMessage small = m;
  small.id = db_->NewMessageId();
  small.props.erase(kBig);
  db_->Save(m);
  db_->Save(small);
  ASSERT_TRUE(db_->Flush().ok());
  db_.reset();  // the last connection checkpoints the WAL into the file
  const std::string path = dir_ + "/store.db";
  ASSERT_TRUE(MessageDb::Open(path, &db_).ok());
  ASSERT_FALSE(test::ZeroPage(path, test::MiddlePageOf(path)).empty());

  StoredMessage back;
  const Status loaded = db_->Load(m.id, &back);
  EXPECT_EQ(loaded.code(), Status::Code::kCorrupt) << loaded.ToString();
  EXPECT_THAT(loaded.message(), HasSubstr(path));
  std::vector<PropertyBytes> page;
  EXPECT_EQ(db_->LoadProps({m.id, small.id}, {kBig >> 16}, &page).code(), Status::Code::kCorrupt);
  std::vector<ListedMessage> listed;
  EXPECT_EQ(db_->List(MessageDb::kInboxFolder, &listed, kBig >> 16).code(), Status::Code::kCorrupt);
  ASSERT_TRUE(db_->Load(small.id, &back).ok());  // what the damage did not reach is read
  EXPECT_EQ(back.props, small.props);
}

// A damaged index fails the listings that read it, instead of listing nothing.
TEST_F(EngineTest, AnIndexDamagedAfterOpeningFailsItsListingsInsteadOfListingNothing) {
  StoredMessage m;
  m.id = db_->NewMessageId();
  m.folder = MessageDb::kInboxFolder;
  m.submitted = true;
  m.props[0x0037001F] = "subject";
  db_->Save(m);
  ASSERT_TRUE(db_->Flush().ok());
  db_.reset();
  const std::string path = dir_ + "/store.db";
  const uint32_t by_folder = test::RootPageOf(path, "messages_by_folder");
  const uint32_t to_send = test::RootPageOf(path, "messages_to_send");
  ASSERT_NE(by_folder, 0u);
  ASSERT_NE(to_send, 0u);
  ASSERT_TRUE(MessageDb::Open(path, &db_).ok());
  ASSERT_FALSE(test::ZeroPage(path, by_folder).empty());
  ASSERT_FALSE(test::ZeroPage(path, to_send).empty());

  std::vector<ListedMessage> listed;
  const Status listing = db_->List(MessageDb::kInboxFolder, &listed);
  EXPECT_EQ(listing.code(), Status::Code::kCorrupt) << listed.size() << " listed";
  EXPECT_THAT(listing.message(), HasSubstr(path));
  std::vector<int64_t> queued;
  EXPECT_EQ(db_->Submitted(&queued).code(), Status::Code::kCorrupt) << queued.size() << " queued";
}

TEST_F(EngineTest, MaintenanceIsNonessentialAndStopsWhenTold) {
  ASSERT_TRUE(db_->RunMaintenanceNowForTesting());
  EXPECT_EQ(db_->maintenance_runs(), 1);
  db_->StopMaintenance();  // what NotifyProcessShutdown does
  EXPECT_FALSE(db_->RunMaintenanceNowForTesting());
  EXPECT_EQ(db_->maintenance_runs(), 1);
  ASSERT_TRUE(db_->RunPostponedMaintenance().ok());  // the normal Shutdown runs it after all
  EXPECT_EQ(db_->maintenance_runs(), 2);
  EXPECT_TRUE(db_->Checkpoint().ok());
}

}  // namespace
}  // namespace mapishut
