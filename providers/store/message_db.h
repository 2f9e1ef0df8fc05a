// The store provider's data: one SQLite database per store, messages in folders, properties kept
// as opaque (tag -> bytes) pairs that the MAPI layer encodes.
//
// Saves are acknowledged fast (write-behind): Save() queues the message in memory, where reads
// see it at once, and a writer thread writes it into the open batch's transaction, which commits
// 2 ms after the last save it found (50 ms at most under a stream), or at once when someone
// flushes. The database runs in WAL mode with synchronous=FULL, so a committed batch is on
// stable storage when its commit returns. Flush() waits for that; DoFastShutdown is built on it.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mapishut/background_work.h"
#include "mapishut/status.h"
#include "owner_lock.h"

namespace mapishut {

using PropertyBytes = std::map<uint32_t, std::string>;  // tag -> encoded value

// A message of a folder listing, with the value it is listed by (tag 0 when it has none).
struct ListedMessage {
  int64_t id = 0;
  uint32_t tag = 0;
  std::string value;
};

struct MessageDbOptions {
  // The most bytes one property value (as encoded) may hold in new saves: an administrator's cap
  // (PR_MAPISHUT_MAX_VALUE_SIZE). 0, or more than SQLite takes, means as much as SQLite takes.
  size_t max_value_size = 0;
};

struct StoredMessage {
  int64_t id = 0;
  int64_t folder = 0;
  bool submitted = false;
  PropertyBytes props;
};

class MessageDb {
 public:
  static constexpr int64_t kRootFolder = 1;
  static constexpr int64_t kInboxFolder = 2;
  static constexpr int64_t kSentFolder = 3;
  // The bytes of a props row besides its value, kept free under SQLite's limit on a row: the
  // record's header (its size and three column types, the value's at most 9) and two integers
  // of at most 8 bytes each; at most 28.
  static constexpr size_t kRowOverhead = 32;

  // Opens (creating if needed) the store at `path`. On failure *out is null and the Status names
  // the file.
  static Status Open(const std::string& path, std::unique_ptr<MessageDb>* out, const MessageDbOptions& options = {});
  // Flushes what is pending and closes.
  ~MessageDb();

  const std::string& path() const { return path_; }
  const std::string& store_uid() const { return store_uid_; }  // 16 bytes, fixed for the store's life
  size_t max_value_size() const { return max_value_size_; }    // the largest value CheckStorable lets through

  int64_t NewMessageId();
  // Whether the writer can store `message`, checked before a save is acknowledged: Status::TooBig
  // naming the property and the limit when a value is larger than the database takes, and the
  // writer's error while it cannot write (a full disk): no new promise until it has caught up.
  Status CheckStorable(const StoredMessage& message);
  // Queues the message (its complete property set); returns its acknowledgement number.
  uint64_t Save(StoredMessage message);
  // The reads below answer as acknowledged (committed or waiting for the writer). A read that
  // fails - a page damaged after the logon's check, an I/O error - fails the call (Status::Corrupt,
  // IoError or NoSpace, naming the file) and leaves *out as it was: never the part read before
  // the fault, which a caller could save back over the whole.
  //
  // Message `id` with every property; Status::NotFound when there is none.
  Status Load(int64_t id, StoredMessage* out);
  // The properties of messages `ids` whose property ids are in `prop_ids` (a page of a listing's
  // columns), in one read transaction; none for a message that is gone.
  Status LoadProps(const std::vector<int64_t>& ids, const std::vector<uint16_t>& prop_ids, std::vector<PropertyBytes>* out);
  // The messages of `folder` in creation order, each with its value of property id `by` (0:
  // none). One read of the folder's index.
  Status List(int64_t folder, std::vector<ListedMessage>* out, uint16_t by = 0);
  // Messages waiting to be sent, in creation order.
  Status Submitted(std::vector<int64_t>* out);
  void Delete(int64_t id);

  // Blocks until every save acknowledged before the call is committed, or the writer fails; then
  // the writer's error with how many acknowledged changes are not written. The writer keeps
  // retrying (backing off) and its error clears once it has caught up - except after a failed
  // fsync, when it stops for good and Flush fails at once.
  Status Flush();
  // Acknowledged changes not yet on stable storage.
  size_t Unwritten();
  // Start committing now without waiting (NotifyProcessShutdown).
  void BeginFlush();
  // Everything up to this acknowledgement number is on stable storage.
  uint64_t DurableSeq();
  uint64_t AckedSeq();

  // Maintenance is nonessential: it runs in the background until StopMaintenance, and the
  // normal shutdown runs what was postponed.
  void StopMaintenance();
  Status RunPostponedMaintenance();
  Status Checkpoint();
  int maintenance_runs() const { return maintenance_runs_.load(); }
  // Test hook: start the periodic maintenance now and wait for it; false when it may not start
  // (after StopMaintenance).
  bool RunMaintenanceNowForTesting();
  // Test hook: transactions committed by the writer.
  int batches_committed() const { return batches_.load(); }
  // Test hook: runs on the writer's thread after each round of its transaction is written and
  // before it decides to take another or commit (db_mutex_ held: the hook must not read the
  // store), so a test can line up saves and a flush against it.
  void SetBeforeCommitForTesting(std::function<void()> hook) { before_commit_ = std::move(hook); }
  // Checkpoints the writer ran because it was idle with a long WAL (never inside a commit).
  int idle_checkpoints();
  // Test hook: waits (bounded) until the writer has run an idle checkpoint.
  bool WaitForIdleCheckpointForTesting();

 private:
  explicit MessageDb(std::string path) : path_(std::move(path)) {}
  Status Init(const MessageDbOptions& options);
  void WriterLoop();
  // A message waiting for the writer: shared with the writer's batch, never copied into it.
  struct Pending {
    uint64_t ack = 0;
    std::shared_ptr<const StoredMessage> message;
  };
  // One transaction of the writer: what it took, in rounds. Everything acknowledged up to
  // `taken_through` is in it (or was superseded by a later change, which is not).
  struct Batch {
    std::vector<Pending> saves;
    std::vector<std::pair<int64_t, uint64_t>> deletes;  // id, acknowledgement
    uint64_t taken_through = 0;
    bool for_flush = false;  // someone waits for it: commit as soon as it holds everything
    std::chrono::steady_clock::time_point last_work;   // the last round that found new changes
    std::chrono::steady_clock::time_point flush_seen;  // when it became for_flush
  };
  // Adds to `batch` every change acknowledged after its taken_through. Call with mutex_ held.
  void TakePending(Batch* batch);
  // Writes `batch` in one transaction, in rounds: changes acknowledged while it is open join it
  // (TakePending) until its window closes, or, when someone waits for a flush, until it holds
  // everything acknowledged. A flush then pays for the rows not yet written and one fsync, not
  // the batch in flight and another after it.
  Status CommitBatch(Batch* batch);
  // After a round: true when the transaction should take another (maybe after waiting for one
  // within its window, with both locks released), false when it should commit. Call with
  // db_mutex_ (db_lock) and mutex_ (lock) held; returns with both held.
  bool MoreForThisTransaction(std::unique_lock<std::mutex>& lock, std::unique_lock<std::mutex>& db_lock,
                              std::chrono::steady_clock::time_point began, Batch* batch);
  // True the first time message `id`, created in this process, is written (it has no rows yet:
  // plain inserts, nothing to replace or delete first); false for any later write, also after
  // a transaction that wrote it was rolled back (replacing rows that are not there is right too).
  // Writer thread only.
  bool FirstWrite(int64_t id);
  Status Exec(const char* sql);
  // Steps `st` through its rows, calling on_row(st) for each, then resets it. Only SQLITE_DONE
  // ends the rows: any other answer is the connection's error (Failure), naming `what` was read.
  template <typename OnRow>
  Status ReadRows(sqlite3_stmt* st, const std::string& what, OnRow&& on_row);
  // The connection's last error as a Status naming the file, SQLite's reason and the system's
  // (errno). A failed fsync also stops the writer for good (sync_failed_).
  Status Failure(const std::string& why);
  // After a failed fsync: the writer's error, for every caller from now on.
  Status SyncFailedError() const;
  // Status::Corrupt, naming the file and the problems SQLite found.
  Status CheckNotDamaged();
  // Whether saves or deletes wait for the writer. Call with mutex_ held.
  bool HasChanges() const { return !pending_.empty() || !pending_deletes_.empty(); }
  void WakeWriterIfIdle(bool writer_idle);  // call with mutex_ held, after queuing a change
  void ErasePending(int64_t id);            // call with mutex_ held
  Status Maintain();
  // Runs with mutex_ held and returns with it held: a passive checkpoint when the writer has
  // nothing to commit, maintenance may run and the WAL has grown past its bound.
  void CheckpointIfIdle(std::unique_lock<std::mutex>& lock);

  std::string path_;
  std::string store_uid_;
  std::unique_ptr<OwnerLock> owner_;  // released after the connection is closed
  size_t max_value_size_ = 0;          // the largest value CheckStorable lets through
  sqlite3* db_ = nullptr;
  std::mutex db_mutex_;  // the connection is used by the writer and by readers
  bool batch_open_ = false;  // the writer's transaction is open (guarded by db_mutex_)
  sqlite3_stmt* select_props_ = nullptr;  // a message's properties: prepared once, read per listed row
  // The writer's statements, prepared once (writer thread, under db_mutex_).
  sqlite3_stmt* insert_message_ = nullptr;
  sqlite3_stmt* replace_message_ = nullptr;
  sqlite3_stmt* clear_props_ = nullptr;
  sqlite3_stmt* insert_prop_ = nullptr;
  sqlite3_stmt* delete_message_ = nullptr;

  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<int64_t, Pending> pending_;  // by id
  std::map<int64_t, uint64_t> pending_deletes_;
  size_t pending_bytes_ = 0;  // SizeOf every message in pending_, kept by ErasePending and Save
  uint64_t acked_ = 0;
  uint64_t durable_ = 0;
  bool flush_requested_ = false;
  uint64_t flush_target_ = 0;  // the highest acknowledgement a Flush or BeginFlush waits for
  uint64_t attempts_ = 0;  // batches the writer tried, committed or not
  bool closing_ = false;
  Status writer_error_;
  // An fsync (or fdatasync) of the database failed. The kernel may have dropped the pages it could
  // not write, so a retry that succeeds would prove nothing: nothing is committed, checkpointed or
  // promised after it, and what was acknowledged and not yet durable is reported lost.
  std::atomic<bool> sync_failed_{false};
  int64_t next_id_ = 1;
  int64_t first_new_id_ = 1;              // ids from here on were created by this process
  std::vector<bool> new_ids_written_;     // by id - first_new_id_; the writer's (FirstWrite)
  std::atomic<int> batches_{0};
  std::atomic<int> wal_pages_{0};  // the WAL's length in pages after the last commit (sqlite3_wal_hook)
  int idle_checkpoints_ = 0;
  bool maintenance_stopped_ = false;  // NotifyProcessShutdown: commits only, no idle checkpoint
  std::atomic<int> maintenance_runs_{0};
  std::function<void()> before_commit_;  // SetBeforeCommitForTesting; set before any save
  std::thread writer_;
  std::unique_ptr<BackgroundWork> work_;
};

}  // namespace mapishut
