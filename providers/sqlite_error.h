// What SQLite's last error on a connection means for a provider's promise, shared by the
// providers that keep their data in SQLite (the store, the address book's cache).
#pragma once

#include <errno.h>
#include <sqlite3.h>

#include <cstring>
#include <string>

namespace mapishut {

struct SqliteError {
  std::string message;       // SQLite's
  std::string system;        // the system's reason (strerror of errno), "" when it gave none
  std::string file;          // the file the system's reason is about, when not the database: its WAL
  bool sync_failed = false;  // an fsync or fdatasync failed: written pages may be gone
  bool no_space = false;     // the disk is full: worth retrying once there is room
  bool damaged = false;      // the file is not a database SQLite can read (SQLITE_CORRUPT, SQLITE_NOTADB)
};

// The errno SQLite's unix VFS kept for the file `f` at its last failure (0: none).
inline int LastErrnoOf(sqlite3_file* f) {
  int e = 0;
  if (f != nullptr && f->pMethods != nullptr) f->pMethods->xFileControl(f, SQLITE_FCNTL_LAST_ERRNO, &e);
  return e;
}

// SQLite's last error on `db`, with the system's reason. sqlite3_system_errno is read too late to
// hold it (later calls overwrite errno), so the reason comes from the files themselves: the
// database's, else its WAL's (where a WAL-mode commit writes and syncs).
inline SqliteError DescribeSqliteError(sqlite3* db) {
  SqliteError e;
  const int code = sqlite3_extended_errcode(db);
  e.message = sqlite3_errmsg(db);
  e.sync_failed = code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_DIR_FSYNC;
  e.no_space = (code & 0xFF) == SQLITE_FULL;
  const int primary = code & 0xFF;
  e.damaged = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
  if (primary != SQLITE_IOERR && primary != SQLITE_FULL && primary != SQLITE_CANTOPEN) return e;
  int system = 0;
  sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &system);
  if (system == 0) {
    sqlite3_file* journal = nullptr;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) == SQLITE_OK) system = LastErrnoOf(journal);
    if (system != 0) e.file = sqlite3_filename_wal(sqlite3_db_filename(db, "main"));
  }
  e.no_space = e.no_space || system == ENOSPC;
  // SQLite keeps no errno for a full disk (SQLITE_FULL is its own verdict on ENOSPC).
  if (system != 0 || e.no_space) e.system = std::strerror(system != 0 ? system : ENOSPC);
  return e;
}

// Steps `st` through its rows, calling on_row(st) for each, and returns the last step's code:
// SQLITE_DONE only when every row was read. Anything else is an error (a damaged page, an I/O
// error), never the end of the rows: a read that stopped early must not pass for a whole one.
template <typename OnRow>
int StepEveryRow(sqlite3_stmt* st, OnRow&& on_row) {
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) on_row(st);
  return rc;
}

// " (Input/output error, in /x/store.db-wal)" for a message that already carries SQLite's
// words and names the database, or "".
inline std::string SystemReason(const SqliteError& e) {
  if (e.system.empty()) return "";
  return " (" + e.system + (e.file.empty() ? "" : ", in " + e.file) + ")";
}

// Said after a failed fsync, by every provider that stops writing because of one.
inline constexpr char kStoppedAfterFailedSync[] =
    "after a failed fsync nothing more is written, since nothing written after it could be promised: "
    "shut down normally and check the disk";

}  // namespace mapishut
