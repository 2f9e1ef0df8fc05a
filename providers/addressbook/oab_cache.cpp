#include "oab_cache.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "../sqlite_error.h"
#include "mapishut/text.h"

namespace mapishut {
namespace {

std::string Position(const struct stat& st, const std::string& name) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec);
  return std::string(buf) + "/" + name;
}

std::string TextAt(sqlite3_stmt* st, int column) {
  const unsigned char* text = sqlite3_column_text(st, column);
  return text ? reinterpret_cast<const char*>(text) : "";
}

// Runs `sql` on the cache at `path`, calling on_row(st) for each row. Only SQLITE_DONE ends the
// rows: anything else fails, naming the file and the reason, so a damaged page never passes
// for the end of the list.
template <typename OnRow>
Status ReadEveryRow(sqlite3* db, const std::string& path, const char* sql, OnRow on_row) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  if (rc == SQLITE_OK) rc = StepEveryRow(st, on_row);
  Status read;
  if (rc != SQLITE_DONE) {
    const SqliteError e = DescribeSqliteError(db);
    const std::string text = path + ": cannot read the address list: " + e.message + SystemReason(e);
    read = e.damaged ? Status::Corrupt(text + "; the cache is damaged: delete it, and the address list is downloaded again")
                     : Status::IoError(text);
  }
  sqlite3_finalize(st);
  return read;
}

}  // namespace

Status OabCache::Open(const std::string& path, std::unique_ptr<OabCache>* out) {
  std::unique_ptr<OabCache> c(new OabCache());
  c->path_ = path;
  if (sqlite3_open(path.c_str(), &c->db_) != SQLITE_OK) {
    return Status::IoError("cannot open address book cache " + path + ": " + (c->db_ ? sqlite3_errmsg(c->db_) : "out of memory"));
  }
  // WAL + synchronous=FULL: Save's commit is durable when it returns.
  char* err = nullptr;
  if (sqlite3_exec(c->db_,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "CREATE TABLE IF NOT EXISTS contacts(uid TEXT PRIMARY KEY, name TEXT, email TEXT);"
                   "CREATE TABLE IF NOT EXISTS sync(key TEXT PRIMARY KEY, value TEXT);",
                   nullptr, nullptr, &err) != SQLITE_OK) {
    const Status s = Status::IoError(path + ": " + (err ? err : "?"));
    sqlite3_free(err);
    return s;
  }
  // Every contact or none: the ones after a damaged page would never be downloaded again.
  MAPISHUT_RETURN_IF_ERROR(ReadEveryRow(c->db_, path, "SELECT uid, name, email FROM contacts", [&](sqlite3_stmt* st) {
    c->contacts_[TextAt(st, 0)] = Contact{TextAt(st, 0), TextAt(st, 1), TextAt(st, 2)};
  }));
  MAPISHUT_RETURN_IF_ERROR(ReadEveryRow(c->db_, path, "SELECT value FROM sync WHERE key='position'",
                                        [&](sqlite3_stmt* st) { c->position_ = TextAt(st, 0); }));
  *out = std::move(c);
  return Status::Ok();
}

OabCache::~OabCache() {
  if (db_) sqlite3_close(db_);
}

Status OabCache::Refresh(const std::string& server_dir, std::stop_token stop) {
  std::vector<std::pair<std::string, std::string>> files;  // position, path
  {
    std::lock_guard lock(mutex_);
    const std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(server_dir.c_str()), ::closedir);  // closed on every way out
    if (!d) return Status::NotFound("address book server directory " + server_dir + " does not exist");
    // A file left out of the listing is passed for good once a later file is taken in: the
    // listing is whole, or the download stops.
    while (true) {
      errno = 0;
      const dirent* e = ::readdir(d.get());
      if (e == nullptr && errno == 0) break;
      if (e == nullptr) {
        return Status::IoError("cannot list " + server_dir + ": " + std::strerror(errno) +
                               "; the download stops and tries again next time");
      }
      const std::string name = e->d_name;
      if (name.size() < 5 || name.compare(name.size() - 4, 4, ".vcf") != 0) continue;
      const std::string path = server_dir + "/" + name;
      struct stat st{};
      if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) continue;  // removed since the listing: nothing to take in
        return Status::IoError("cannot read the status of " + path + ": " + std::strerror(errno) +
                               "; its place in the download is unknown, so the download stops and tries again next time");
      }
      const std::string pos = Position(st, name);
      if (pos > position_) files.emplace_back(pos, path);
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& [pos, path] : files) {
    if (stop.stop_requested()) return Status::Aborted("address list download stopped");
    // Read whole or not at all: a file cut short by a failed read would pass the sync position
    // with the cards after the failure, which no later download brings back.
    std::string text;
    if (!ReadFile(path, &text)) {
      if (errno == ENOENT) continue;  // the server removed it since the listing: nothing to take in
      return Status::IoError("cannot read " + path + ": " + std::strerror(errno) +
                             "; the download stops before it and tries it again next time");
    }
    std::vector<VcardWarning> warnings;
    const std::vector<Contact> cards = ParseVcards(text, &warnings);
    std::lock_guard lock(mutex_);
    for (const auto& c : cards) TakeIn(c);
    position_ = pos;  // this file is wholly taken in
  }
  return Status::Ok();
}

// A card sent again unchanged (its file was rewritten) is not written again.
void OabCache::TakeIn(const Contact& c) {
  auto [it, inserted] = contacts_.try_emplace(c.uid, c);
  if (!inserted) {
    if (it->second == c) return;
    it->second = c;
  }
  dirty_.insert(c.uid);
}

Status OabCache::Save() {
  std::lock_guard lock(mutex_);
  if (!sync_failure_.ok()) return sync_failure_;  // never again after a failed fsync
  size_t written = 0;
  if (!Exec("BEGIN IMMEDIATE") || !WriteDirtyCards(&written) || !WritePosition() || !Exec("COMMIT")) {
    const SqliteError e = DescribeSqliteError(db_);
    const std::string text = path_ + ": cannot save the address list: " + e.message + SystemReason(e);
    if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK");  // a failed COMMIT may leave it open
    if (e.sync_failed) {
      // Closing would checkpoint, and a checkpoint fsyncs: not after a failed one.
      sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      sync_failure_ = Status::IoError(text + "; " + kStoppedAfterFailedSync);
      return sync_failure_;
    }
    const Status s = e.no_space ? Status::NoSpace(text) : Status::IoError(text);
    return s;  // dirty_ is untouched: the next Save writes these changes
  }
  dirty_.clear();  // only now: they are committed, and on stable storage (synchronous=FULL)
  cards_written_by_last_save_ = written;
  return Status::Ok();
}

bool OabCache::WriteDirtyCards(size_t* written) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO contacts VALUES(?, ?, ?)", -1, &st, nullptr) != SQLITE_OK) return false;
  bool ok = true;
  for (auto uid = dirty_.begin(); ok && uid != dirty_.end(); ++uid) {
    const Contact& c = contacts_.at(*uid);
    sqlite3_bind_text(st, 1, c.uid.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c.name.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c.email.c_str(), -1, SQLITE_STATIC);
    ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    if (ok) ++*written;
  }
  sqlite3_finalize(st);
  return ok;
}

// Written on every Save, changed or not: it gives each Save a real commit, whose fsync of the WAL
// also puts on stable storage what this cache loaded at Open, if a process killed mid-commit
// left it written but not yet synced. One row: the cost does not depend on the cards.
bool OabCache::WritePosition() {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO sync VALUES('position', ?)", -1, &st, nullptr) != SQLITE_OK) return false;
  sqlite3_bind_text(st, 1, position_.c_str(), -1, SQLITE_STATIC);
  const bool ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_finalize(st);
  return ok;
}

bool OabCache::Exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

std::vector<Contact> OabCache::Contacts() {
  std::lock_guard lock(mutex_);
  std::vector<Contact> out;
  for (const auto& [uid, c] : contacts_) out.push_back(c);
  return out;
}

std::string OabCache::sync_position() {
  std::lock_guard lock(mutex_);
  return position_;
}

size_t OabCache::cards_written_by_last_save() {
  std::lock_guard lock(mutex_);
  return cards_written_by_last_save_;
}

}  // namespace mapishut
