#include "message_db.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <filesystem>
#include <cstdio>
#include <cstring>
#include <random>

#include "../sqlite_error.h"

namespace mapishut {
namespace {

// How long a batch's transaction stays open after its last saves for more to join it, unless
// someone is flushing: saves are written as they come and committed (one fsync) when it closes.
constexpr auto kBatchWindow = std::chrono::milliseconds(2);
// A stream of saves that never pauses for kBatchWindow is still committed this often.
constexpr auto kMaxBatchWindow = std::chrono::milliseconds(50);
// How often a batch looks for saves made since its last round.
constexpr auto kPollInterval = std::chrono::microseconds(250);
// A transaction takes further rounds for a waiting flush only this long after it saw the flush,
// so a stream of saves and flushes still sees commits.
constexpr auto kMaxTransactionTime = std::chrono::milliseconds(100);
// After a failed batch the writer retries after this delay, doubling up to the maximum.
constexpr auto kFirstRetryDelay = std::chrono::milliseconds(10);
constexpr auto kMaxRetryDelay = std::chrono::milliseconds(1000);
// Stores up to this size are checked page by page at logon (PRAGMA quick_check).
constexpr uintmax_t kQuickCheckLimit = uintmax_t{1} << 30;
// The WAL is checkpointed by the writer when it is idle and the WAL holds this many pages (about
// 4 MB, SQLite's own default), or, under a stream of saves that never leaves it idle, this many
// times more. Never inside a commit: a fast exit's flush pays its fsync and nothing else.
constexpr int kIdleCheckpointPages = 1000;
constexpr int kBusyCheckpointFactor = 16;
// Free space kept beyond the estimate of what a save needs (SQLite's page and WAL overhead).
constexpr uint64_t kDiskMargin = 256 * 1024;

size_t SizeOf(const StoredMessage& m) {
  size_t size = 64;  // the message's row
  for (const auto& [tag, value] : m.props) size += 16 + value.size();
  return size;
}

// Column `column` of the current row as bytes (a NULL as none).
std::string BytesAt(sqlite3_stmt* st, int column) {
  const auto* blob = static_cast<const char*>(sqlite3_column_blob(st, column));
  return std::string(blob ? blob : "", static_cast<size_t>(sqlite3_column_bytes(st, column)));
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

}  // namespace

Status MessageDb::Open(const std::string& path, std::unique_ptr<MessageDb>* out, const MessageDbOptions& options) {
  out->reset();
  std::unique_ptr<MessageDb> db(new MessageDb(path));
  MAPISHUT_RETURN_IF_ERROR(db->Init(options));
  *out = std::move(db);
  return Status::Ok();
}

Status MessageDb::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string why = std::string(err ? err : "unknown SQLite error") + " in: " + sql;
    sqlite3_free(err);
    return Failure(why);
  }
  return Status::Ok();
}

Status MessageDb::Failure(const std::string& why) {
  const SqliteError e = DescribeSqliteError(db_);
  const std::string text = path_ + ": " + why + SystemReason(e);
  if (e.sync_failed) {
    sync_failed_ = true;
    return Status::IoError(text + "; " + kStoppedAfterFailedSync);
  }
  // A full disk is its own answer (MAPI_E_NOT_ENOUGH_DISK): the user can act on it.
  if (e.no_space) return Status::NoSpace(text);
  if (e.damaged) return Status::Corrupt(text + "; the database is damaged: restore it from a backup");
  return Status::IoError(text);
}

template <typename OnRow>
Status MessageDb::ReadRows(sqlite3_stmt* st, const std::string& what, OnRow&& on_row) {
  const int rc = StepEveryRow(st, on_row);
  const Status read = rc == SQLITE_DONE ? Status::Ok() : Failure("cannot read " + what + ": " + sqlite3_errmsg(db_));
  sqlite3_reset(st);
  return read;
}

Status MessageDb::Init(const MessageDbOptions& options) {
  MAPISHUT_RETURN_IF_ERROR(OwnerLock::Acquire(path_, &owner_));
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    return Status::IoError("cannot open store database " + path_ + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
  }
  sqlite3_busy_timeout(db_, 5000);
  // A value is one row of props, and SQLite refuses a row longer than SQLITE_LIMIT_LENGTH: the
  // row's other bytes (its header, the message and the tag) are kept free under that limit. An
  // administrator's cap is ours alone: SQLite's limit also applies to reading a value, and a
  // lower one would make values saved before the cap unreadable.
  max_value_size_ = static_cast<size_t>(sqlite3_limit(db_, SQLITE_LIMIT_LENGTH, -1)) - kRowOverhead;
  if (options.max_value_size > 0) max_value_size_ = std::min(max_value_size_, options.max_value_size);
  MAPISHUT_RETURN_IF_ERROR(CheckNotDamaged());  // before anything is written to it
  // WAL + synchronous=FULL: a transaction is on stable storage when COMMIT returns (the WAL is
  // fsynced at each commit), and a crash at any moment leaves the last committed state.
  // No auto_vacuum: its pointer-map pages made every commit write more (1.14-1.18x the bare
  // commit); freed pages are reused by later saves. Stores made with it keep it (maintenance
  // still runs incremental_vacuum for them).
  MAPISHUT_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"));
  // Listing a big folder reads pages in the order of the sort column, not of the file: mapped
  // pages and a larger page cache keep that from becoming one read() per row.
  MAPISHUT_RETURN_IF_ERROR(Exec("PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536;"));
  // Our own WAL hook replaces SQLite's automatic checkpoint, which runs inside the committing
  // call: the writer checkpoints when idle instead (CheckpointIfIdle).
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int pages) {
        static_cast<MessageDb*>(self)->wal_pages_.store(pages);
        return SQLITE_OK;
      },
      this);
  MAPISHUT_RETURN_IF_ERROR(Exec(
      "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB);"
      "CREATE TABLE IF NOT EXISTS folders(id INTEGER PRIMARY KEY, parent INTEGER, name TEXT);"
      "CREATE TABLE IF NOT EXISTS messages(id INTEGER PRIMARY KEY, folder INTEGER NOT NULL, submitted INTEGER NOT NULL DEFAULT 0);"
      "CREATE TABLE IF NOT EXISTS props(message INTEGER NOT NULL, tag INTEGER NOT NULL, value BLOB, PRIMARY KEY(message, tag));"
      "CREATE INDEX IF NOT EXISTS messages_by_folder ON messages(folder);"
      "CREATE INDEX IF NOT EXISTS messages_to_send ON messages(id) WHERE submitted=1;"
      "INSERT OR IGNORE INTO folders VALUES(1, 0, 'Root'), (2, 1, 'Inbox'), (3, 1, 'Sent Items');"));
  {
    Statement get(db_, "SELECT value FROM meta WHERE key='uid'");
    MAPISHUT_RETURN_IF_ERROR(ReadRows(get.get(), "the store's identity", [&](sqlite3_stmt* st) { store_uid_ = BytesAt(st, 0); }));
  }
  if (store_uid_.size() != 16) {
    std::random_device rd;
    store_uid_.clear();
    for (int i = 0; i < 16; ++i) store_uid_.push_back(static_cast<char>(rd() & 0xFF));
    Statement put(db_, "INSERT OR REPLACE INTO meta VALUES('uid', ?)");
    sqlite3_bind_blob(put.get(), 1, store_uid_.data(), 16, SQLITE_TRANSIENT);
    if (sqlite3_step(put.get()) != SQLITE_DONE) return Status::IoError(path_ + ": cannot record the store's identity");
  }
  {
    // Never guessed: a new message given the id of a stored one would replace it.
    Statement max(db_, "SELECT COALESCE(MAX(id), 0) FROM messages");
    MAPISHUT_RETURN_IF_ERROR(
        ReadRows(max.get(), "the highest message id", [&](sqlite3_stmt* st) { next_id_ = sqlite3_column_int64(st, 0) + 1; }));
    first_new_id_ = next_id_;
  }
  // Prepared once for the connection's life: a batch of a few messages (a fast exit's flush, say)
  // would otherwise spend as long preparing its statements as writing its rows.
  const std::pair<sqlite3_stmt**, const char*> statements[] = {
      {&select_props_, "SELECT tag, value FROM props WHERE message=?"},
      {&insert_message_, "INSERT INTO messages(id, folder, submitted) VALUES(?, ?, ?)"},
      {&replace_message_, "INSERT OR REPLACE INTO messages(id, folder, submitted) VALUES(?, ?, ?)"},
      {&clear_props_, "DELETE FROM props WHERE message=?"},
      {&insert_prop_, "INSERT INTO props(message, tag, value) VALUES(?, ?, ?)"},
      {&delete_message_, "DELETE FROM messages WHERE id=?"},
  };
  for (const auto& [statement, sql] : statements) {
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) != SQLITE_OK) {
      return Failure(sqlite3_errmsg(db_));
    }
  }
  writer_ = std::thread([this] { WriterLoop(); });
  work_ = std::make_unique<BackgroundWork>();
  work_->SchedulePeriodic("store maintenance", std::chrono::minutes(10), [this](std::stop_token) { (void)Maintain(); });
  return Status::Ok();
}

Status MessageDb::CheckNotDamaged() {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path_, ec);
  if (ec || size == 0) return Status::Ok();  // a new store
  // quick_check reads every page: done up to a size where logon stays fast; above it, reading
  // the schema still catches a smashed header.
  const char* sql = size <= kQuickCheckLimit ? "PRAGMA quick_check(5)" : "SELECT count(*) FROM sqlite_master";
  std::string problems;
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr);
  if (rc == SQLITE_OK) {
    rc = StepEveryRow(raw, [&](sqlite3_stmt* st) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      if (size <= kQuickCheckLimit && text != nullptr && std::string(text) != "ok") problems += (problems.empty() ? "" : "; ") + std::string(text);
    });
  }
  const std::string error = sqlite3_errmsg(db_);
  sqlite3_finalize(raw);
  if (rc != SQLITE_DONE) problems += (problems.empty() ? "" : "; ") + error;
  if (problems.empty()) return Status::Ok();
  return Status::Corrupt("store database " + path_ + " is damaged (" + problems +
                         "); it was not opened and nothing was written to it: restore it from a backup, or move it "
                         "aside to start an empty store");
}

MessageDb::~MessageDb() {
  work_.reset();  // stops maintenance first: it uses the connection
  if (writer_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    cv_.notify_all();
    writer_.join();  // the writer commits everything still pending before it exits
  }
  for (sqlite3_stmt* st : {select_props_, insert_message_, replace_message_, clear_props_, insert_prop_, delete_message_}) {
    sqlite3_finalize(st);
  }
  // Closing the last connection checkpoints, and a checkpoint fsyncs: not after a failed one.
  if (db_ && sync_failed_) sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  if (db_) sqlite3_close_v2(db_);
}

int64_t MessageDb::NewMessageId() {
  std::lock_guard lock(mutex_);
  return next_id_++;
}

Status MessageDb::CheckStorable(const StoredMessage& message) {
  // First what no disk could take: such a save is refused as too big, whatever the space.
  for (const auto& [tag, value] : message.props) {
    if (value.size() > max_value_size_) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(tag));
      return Status::TooBig("property " + std::string(hex) + " of message " + std::to_string(message.id) + " holds " +
                            std::to_string(value.size()) + " bytes; " + path_ + " stores at most " +
                            std::to_string(max_value_size_) + " bytes per value");
    }
  }
  size_t waiting = 0;
  {
    std::lock_guard lock(mutex_);
    if (!writer_error_.ok()) return writer_error_;  // back-pressure: no new promise it cannot keep
    waiting = pending_bytes_;
    if (auto it = pending_.find(message.id); it != pending_.end()) waiting -= SizeOf(*it->second.message);  // replaced
  }
  // A promise the disk can hold: what waits to be written and this message, each counted twice
  // (once in the WAL, once when checkpointed into the database), with room for the pages'
  // own overhead. A full disk that comes later still fails the writer, and that is reported.
  struct statvfs disk {};
  const std::string dir = std::filesystem::path(path_).parent_path().string();
  if (statvfs(dir.empty() ? "." : dir.c_str(), &disk) == 0) {
    const uint64_t available = static_cast<uint64_t>(disk.f_bavail) * disk.f_frsize;
    const uint64_t needed = 2 * (static_cast<uint64_t>(waiting) + SizeOf(message)) + kDiskMargin;
    if (needed > available) {
      return Status::NoSpace("not enough disk space in " + dir + " for " + path_ + ": message " + std::to_string(message.id) +
                             " needs " + std::to_string(SizeOf(message)) + " bytes, " + std::to_string(waiting) +
                             " bytes are waiting to be written, " + std::to_string(available) + " bytes are free");
    }
  }
  return Status::Ok();
}

uint64_t MessageDb::Save(StoredMessage message) {
  const int64_t id = message.id;
  const size_t size = SizeOf(message);
  auto shared = std::make_shared<const StoredMessage>(std::move(message));  // allocated before the lock
  std::lock_guard lock(mutex_);
  const uint64_t ack = ++acked_;
  const bool writer_idle = !HasChanges();
  pending_deletes_.erase(id);
  ErasePending(id);
  pending_bytes_ += size;
  pending_[id] = Pending{ack, std::move(shared)};
  WakeWriterIfIdle(writer_idle);
  return ack;
}

void MessageDb::WakeWriterIfIdle(bool writer_idle) {
  // The writer waits for a change only when it has none. A save during its batch window or its
  // commit wakes nobody: a wake-up per save cost a futex call and the writer's turn at the lock,
  // on the saving thread's time.
  if (writer_idle) cv_.notify_all();
}

void MessageDb::ErasePending(int64_t id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  pending_bytes_ -= SizeOf(*it->second.message);
  pending_.erase(it);
}

void MessageDb::Delete(int64_t id) {
  std::lock_guard lock(mutex_);
  const bool writer_idle = !HasChanges();
  ErasePending(id);
  pending_deletes_[id] = ++acked_;
  WakeWriterIfIdle(writer_idle);
}

Status MessageDb::Load(int64_t id, StoredMessage* out) {
  const std::string what = "message " + std::to_string(id);
  {
    std::lock_guard lock(mutex_);
    if (pending_deletes_.count(id)) return Status::NotFound(path_ + ": " + what + " was deleted");
    auto it = pending_.find(id);
    if (it != pending_.end()) {
      *out = *it->second.message;
      return Status::Ok();
    }
  }
  StoredMessage m;
  m.id = id;
  bool found = false;
  std::lock_guard db_lock(db_mutex_);
  Statement msg(db_, "SELECT folder, submitted FROM messages WHERE id=?");
  sqlite3_bind_int64(msg.get(), 1, id);
  MAPISHUT_RETURN_IF_ERROR(ReadRows(msg.get(), what, [&](sqlite3_stmt* st) {
    found = true;
    m.folder = sqlite3_column_int64(st, 0);
    m.submitted = sqlite3_column_int(st, 1) != 0;
  }));
  if (!found) return Status::NotFound(path_ + ": no " + what);
  sqlite3_bind_int64(select_props_, 1, id);
  MAPISHUT_RETURN_IF_ERROR(ReadRows(select_props_, what, [&](sqlite3_stmt* st) {
    m.props.emplace(static_cast<uint32_t>(sqlite3_column_int64(st, 0)), BytesAt(st, 1));
  }));
  *out = std::move(m);
  return Status::Ok();
}

Status MessageDb::LoadProps(const std::vector<int64_t>& ids, const std::vector<uint16_t>& prop_ids,
                            std::vector<PropertyBytes>* out) {
  auto wanted = [&](uint32_t tag) { return std::find(prop_ids.begin(), prop_ids.end(), tag >> 16) != prop_ids.end(); };
  std::vector<PropertyBytes> page(ids.size());
  std::vector<size_t> committed;  // indexes into ids of what is read from the database
  {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (pending_deletes_.count(ids[i])) continue;
      auto it = pending_.find(ids[i]);
      if (it == pending_.end()) {
        committed.push_back(i);
        continue;
      }
      for (const auto& [tag, value] : it->second.message->props) {
        if (wanted(tag)) page[i].emplace(tag, value);
      }
    }
  }
  Status read;
  if (!committed.empty()) {
    std::lock_guard db_lock(db_mutex_);
    // One read transaction for the page: SQLite takes its file lock once, not once per row.
    const bool in_transaction = sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK;
    for (size_t i : committed) {
      sqlite3_bind_int64(select_props_, 1, ids[i]);
      read = ReadRows(select_props_, "message " + std::to_string(ids[i]), [&](sqlite3_stmt* st) {
        const auto tag = static_cast<uint32_t>(sqlite3_column_int64(st, 0));
        if (wanted(tag)) page[i].emplace(tag, BytesAt(st, 1));  // others (a body, say) are never copied
      });
      if (!read.ok()) break;
    }
    if (in_transaction) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  }
  if (read.ok()) *out = std::move(page);
  return read;
}

Status MessageDb::List(int64_t folder, std::vector<ListedMessage>* out, uint16_t by) {
  // What waits for the writer is taken first: a batch committed meanwhile is then in both (the
  // overlay wins), never in neither.
  std::map<int64_t, std::optional<ListedMessage>> overlay;  // nullopt: deleted or moved out
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, p] : pending_) {
      if (p.message->folder != folder) {
        overlay[id] = std::nullopt;
        continue;
      }
      ListedMessage m{id, 0, {}};
      const auto& props = p.message->props;
      if (auto it = props.lower_bound(uint32_t{by} << 16); by != 0 && it != props.end() && (it->first >> 16) == by) {
        m.tag = it->first;
        m.value = it->second;
      }
      overlay[id] = std::move(m);
    }
    for (const auto& [id, ack] : pending_deletes_) overlay[id] = std::nullopt;
  }
  std::vector<ListedMessage> listed;
  {
    std::lock_guard db_lock(db_mutex_);
    Statement list(db_, by == 0 ? "SELECT id, 0, NULL FROM messages WHERE folder=?1 ORDER BY id"
                                : "SELECT m.id, p.tag, p.value FROM messages m LEFT JOIN props p "
                                  "ON p.message = m.id AND p.tag >> 16 = ?2 WHERE m.folder=?1 ORDER BY m.id");
    sqlite3_bind_int64(list.get(), 1, folder);
    sqlite3_bind_int(list.get(), 2, by);
    MAPISHUT_RETURN_IF_ERROR(ReadRows(list.get(), "folder " + std::to_string(folder), [&](sqlite3_stmt* st) {
      const int64_t id = sqlite3_column_int64(st, 0);
      if (!overlay.count(id)) listed.push_back({id, static_cast<uint32_t>(sqlite3_column_int64(st, 1)), BytesAt(st, 2)});
    }));
  }
  // Pending messages are the newest, mostly: merge them in by id.
  const size_t committed = listed.size();
  for (auto& [id, m] : overlay) {
    if (m) listed.push_back(std::move(*m));
  }
  std::inplace_merge(listed.begin(), listed.begin() + static_cast<ptrdiff_t>(committed), listed.end(),
                     [](const ListedMessage& a, const ListedMessage& b) { return a.id < b.id; });
  *out = std::move(listed);
  return Status::Ok();
}

Status MessageDb::Submitted(std::vector<int64_t>* out) {
  std::map<int64_t, bool> overlay;  // id -> queued for sending, for what waits for the writer
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, p] : pending_) overlay[id] = p.message->submitted;
    for (const auto& [id, ack] : pending_deletes_) overlay[id] = false;
  }
  std::vector<int64_t> queued;
  {
    std::lock_guard db_lock(db_mutex_);
    Statement list(db_, "SELECT id FROM messages WHERE submitted=1 ORDER BY id");
    MAPISHUT_RETURN_IF_ERROR(ReadRows(list.get(), "the outgoing queue", [&](sqlite3_stmt* st) {
      const int64_t id = sqlite3_column_int64(st, 0);
      if (!overlay.count(id)) queued.push_back(id);
    }));
  }
  const size_t committed = queued.size();
  for (const auto& [id, is_queued] : overlay) {
    if (is_queued) queued.push_back(id);
  }
  std::inplace_merge(queued.begin(), queued.begin() + static_cast<ptrdiff_t>(committed), queued.end());
  *out = std::move(queued);
  return Status::Ok();
}

void MessageDb::BeginFlush() {
  std::lock_guard lock(mutex_);
  flush_requested_ = true;
  flush_target_ = std::max(flush_target_, acked_);
  cv_.notify_all();
}

Status MessageDb::Flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = acked_;
  const uint64_t attempt = attempts_;
  flush_requested_ = true;
  flush_target_ = std::max(flush_target_, target);
  cv_.notify_all();
  // An error counts only from an attempt made after this call: the disk may have room again.
  cv_.wait(lock, [&] { return durable_ >= target || (!writer_error_.ok() && (attempts_ > attempt || sync_failed_)); });
  if (durable_ >= target) return Status::Ok();
  const std::string unwritten = std::to_string(pending_.size() + pending_deletes_.size());
  return writer_error_.WithMessage(writer_error_.message() + " (" + unwritten + " acknowledged changes not written yet)");
}

size_t MessageDb::Unwritten() {
  std::lock_guard lock(mutex_);
  return pending_.size() + pending_deletes_.size();
}

uint64_t MessageDb::DurableSeq() {
  std::lock_guard lock(mutex_);
  return durable_;
}

uint64_t MessageDb::AckedSeq() {
  std::lock_guard lock(mutex_);
  return acked_;
}

void MessageDb::WriterLoop() {
  auto retry_delay = kFirstRetryDelay;
  std::unique_lock lock(mutex_);
  while (true) {
    cv_.wait(lock, [&] { return closing_ || HasChanges(); });
    if (!HasChanges()) return;  // closing, nothing left
    // Everything pending now starts the batch (its messages shared, not copied); what comes
    // during its window joins it as it is written (MoreForThisTransaction).
    Batch batch;
    batch.for_flush = flush_requested_;
    flush_requested_ = false;
    TakePending(&batch);
    lock.unlock();
    const Status s = CommitBatch(&batch);
    lock.lock();
    ++attempts_;
    if (!s.ok()) {
      writer_error_ = s;  // new saves are refused and Flush reports it until a batch commits
      cv_.notify_all();
      if (closing_ || sync_failed_) return;  // after a failed fsync, never again
      // Back off instead of spinning: a full disk rarely empties within milliseconds.
      cv_.wait_for(lock, retry_delay, [&] { return closing_ || flush_requested_; });
      retry_delay = std::min(retry_delay * 2, kMaxRetryDelay);
      continue;
    }
    writer_error_ = Status::Ok();  // caught up: promises may be made again
    retry_delay = kFirstRetryDelay;
    // Only what was committed leaves the overlay; a newer save of the same message stays.
    for (const Pending& p : batch.saves) {
      auto it = pending_.find(p.message->id);
      if (it != pending_.end() && it->second.ack == p.ack) ErasePending(p.message->id);
    }
    for (const auto& [id, ack] : batch.deletes) {
      auto it = pending_deletes_.find(id);
      if (it != pending_deletes_.end() && it->second == ack) pending_deletes_.erase(it);
    }
    // Everything acknowledged before the batch's last round was taken is now durable, unless still pending.
    uint64_t durable = batch.taken_through;
    for (const auto& [id, p] : pending_) durable = std::min(durable, p.ack - 1);
    for (const auto& [id, ack] : pending_deletes_) durable = std::min(durable, ack - 1);
    durable_ = std::max(durable_, durable);
    cv_.notify_all();
    CheckpointIfIdle(lock);
  }
}

void MessageDb::CheckpointIfIdle(std::unique_lock<std::mutex>& lock) {
  const bool idle = !HasChanges();
  const int bound = idle ? kIdleCheckpointPages : kIdleCheckpointPages * kBusyCheckpointFactor;
  if (maintenance_stopped_ || closing_ || flush_requested_ || sync_failed_ || wal_pages_.load() < bound) return;
  lock.unlock();
  int remaining = 0;
  {
    std::lock_guard db_lock(db_mutex_);
    // PASSIVE: copies what no reader needs and never waits; a failure leaves the WAL as it was.
    if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &remaining, nullptr) != SQLITE_OK) {
      remaining = -1;
      (void)Failure("idle checkpoint failed");  // a failed fsync here stops the writer too
    }
  }
  lock.lock();
  if (remaining < 0) return;
  wal_pages_.store(0);  // the next commit starts the WAL over from its beginning
  ++idle_checkpoints_;
  cv_.notify_all();
}

int MessageDb::idle_checkpoints() {
  std::lock_guard lock(mutex_);
  return idle_checkpoints_;
}

bool MessageDb::WaitForIdleCheckpointForTesting() {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return idle_checkpoints_ > 0; });
}

bool MessageDb::FirstWrite(int64_t id) {
  if (id < first_new_id_) return false;
  const auto index = static_cast<size_t>(id - first_new_id_);
  if (index >= new_ids_written_.size()) new_ids_written_.resize(index + 1);
  if (new_ids_written_[index]) return false;
  new_ids_written_[index] = true;
  return true;
}

void MessageDb::TakePending(Batch* batch) {
  for (auto& [id, p] : pending_) {
    if (p.ack > batch->taken_through) batch->saves.push_back(p);
  }
  for (auto& [id, ack] : pending_deletes_) {
    if (ack > batch->taken_through) batch->deletes.emplace_back(id, ack);
  }
  batch->taken_through = acked_;
}

bool MessageDb::MoreForThisTransaction(std::unique_lock<std::mutex>& lock, std::unique_lock<std::mutex>& db_lock,
                                       std::chrono::steady_clock::time_point began, Batch* batch) {
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (flush_requested_ && !batch->for_flush) {
      batch->for_flush = true;
      batch->flush_seen = now;
    }
    flush_requested_ = false;
    if (batch->for_flush || closing_) {
      // Someone waits: what it waits for joins, then the commit, at once. Saves made after
      // its call do not hold it up.
      if (batch->taken_through >= flush_target_ && !closing_) return false;
      if (batch->taken_through == acked_) return false;
      if (now - batch->flush_seen > kMaxTransactionTime) {
        flush_requested_ = true;  // the next batch starts at once with the rest
        return false;
      }
      return true;
    }
    // The window stays open kBatchWindow after the last round that found saves, up to
    // kMaxBatchWindow: a burst is one transaction (one fsync), a lone save waits 2 ms at most.
    const auto window_end = std::min(batch->last_work + kBatchWindow, began + kMaxBatchWindow);
    if (now >= window_end) return false;
    if (batch->taken_through != acked_) {
      batch->last_work = now;
      return true;  // write what came, then look again
    }
    // Saves do not wake the writer while it has a batch (a wake-up per save costs the saving
    // thread): it looks for them every kPollInterval, and a flush wakes it at once. The
    // connection is free meanwhile: readers need not wait for the window (they read inside the
    // open transaction, whose rows are also in the overlay; maintenance and checkpoints wait for
    // a batch to end, see batch_open_). Lock order: db_mutex_, then mutex_.
    lock.unlock();
    db_lock.unlock();
    lock.lock();
    cv_.wait_until(lock, std::min(now + kPollInterval, window_end), [&] { return flush_requested_ || closing_; });
    lock.unlock();
    db_lock.lock();
    lock.lock();
  }
}

Status MessageDb::CommitBatch(Batch* batch) {
  if (batch->saves.empty() && batch->deletes.empty()) return Status::Ok();
  std::unique_lock db_lock(db_mutex_);
  const auto began = std::chrono::steady_clock::now();
  batch->last_work = began;
  batch->flush_seen = began;
  MAPISHUT_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  batch_open_ = true;
  auto step = [](sqlite3_stmt* st) {
    const bool ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    return ok;
  };
  bool ok = true;
  Status failed;
  size_t saves_done = 0, deletes_done = 0;
  while (ok) {
    for (; ok && saves_done < batch->saves.size(); ++saves_done) {
      const StoredMessage& m = *batch->saves[saves_done].message;
      // A message this process created and never wrote has no rows yet: nothing to replace.
      const bool fresh = FirstWrite(m.id);
      sqlite3_stmt* const row = fresh ? insert_message_ : replace_message_;
      sqlite3_bind_int64(row, 1, m.id);
      sqlite3_bind_int64(row, 2, m.folder);
      sqlite3_bind_int(row, 3, m.submitted ? 1 : 0);
      ok = step(row);
      if (ok && !fresh) {
        sqlite3_bind_int64(clear_props_, 1, m.id);
        ok = step(clear_props_);
      }
      for (const auto& [tag, value] : m.props) {
        if (!ok) break;
        sqlite3_bind_int64(insert_prop_, 1, m.id);
        sqlite3_bind_int64(insert_prop_, 2, tag);
        // CheckStorable kept larger values out; a failed bind must still never store NULL quietly.
        if (const int rc = sqlite3_bind_blob64(insert_prop_, 3, value.data(), value.size(), SQLITE_STATIC); rc != SQLITE_OK) {
          failed = Status::IoError(path_ + ": cannot store property of message " + std::to_string(m.id) + ": " + sqlite3_errstr(rc));
          ok = false;
          break;
        }
        ok = step(insert_prop_);
      }
    }
    // Deletes commit in the same transaction as the saves: one fsync for the whole batch. A
    // round's saves and deletes never name the same message (each replaces the other in the
    // overlay), and rounds are written in the order they were taken.
    for (; ok && deletes_done < batch->deletes.size(); ++deletes_done) {
      const int64_t id = batch->deletes[deletes_done].first;
      sqlite3_bind_int64(clear_props_, 1, id);
      sqlite3_bind_int64(delete_message_, 1, id);
      ok = step(clear_props_) && step(delete_message_);
    }
    if (!ok) break;
    if (before_commit_) before_commit_();
    std::unique_lock lock(mutex_);
    if (!MoreForThisTransaction(lock, db_lock, began, batch)) break;
    // A reader's statement that failed with an I/O error while the connection was free rolled
    // back the whole open transaction (SQLite does so for IOERR, FULL and NOMEM): what this batch
    // wrote is gone, and rows written now would each commit alone. The batch fails and is
    // written again, whole, by the retry.
    if (sqlite3_get_autocommit(db_)) {
      failed = Status::IoError(path_ + ": the open transaction was rolled back by a failed read; its changes are written again");
      ok = false;
      break;
    }
    TakePending(batch);
  }
  sqlite3_clear_bindings(insert_prop_);  // its last value pointed into a message the batch may outlive
  batch_open_ = false;  // whether it commits or not, it is over
  if (!ok) {
    const Status s = failed.ok() ? Failure(sqlite3_errmsg(db_)) : failed;
    (void)Exec("ROLLBACK");
    return s;
  }
  MAPISHUT_RETURN_IF_ERROR(Exec("COMMIT"));
  ++batches_;
  return Status::Ok();
}

Status MessageDb::SyncFailedError() const {
  return Status::IoError(path_ + ": an earlier fsync failed; the store writes nothing more");
}

Status MessageDb::Maintain() {
  if (sync_failed_) return SyncFailedError();
  std::lock_guard db_lock(db_mutex_);
  // Not inside the writer's open transaction (it releases the connection while it waits for
  // saves): maintenance is nonessential, and the next run does it.
  if (batch_open_) return Status::Ok();
  ++maintenance_runs_;
  return Exec("PRAGMA incremental_vacuum; PRAGMA optimize;");
}

void MessageDb::StopMaintenance() {
  {
    std::lock_guard lock(mutex_);
    maintenance_stopped_ = true;
  }
  work_->StopNonessential();
}

bool MessageDb::RunMaintenanceNowForTesting() {
  if (!work_->TriggerPeriodicNow("store maintenance")) return false;
  work_->Drain();
  return true;
}

Status MessageDb::RunPostponedMaintenance() { return Maintain(); }

Status MessageDb::Checkpoint() {
  if (sync_failed_) return SyncFailedError();
  std::lock_guard db_lock(db_mutex_);
  // Saves still coming (a batch is open): the WAL cannot be emptied now; the writer
  // checkpoints it when idle, and the next open finds it short.
  if (batch_open_) return Status::Ok();
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) != SQLITE_OK) {
    return Failure(std::string("checkpoint failed: ") + sqlite3_errmsg(db_));
  }
  return Status::Ok();
}

}  // namespace mapishut
