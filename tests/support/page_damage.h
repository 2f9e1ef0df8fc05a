// Damage to a provider's SQLite database, as a failing disk or another program's stray write
// leaves it: whole pages overwritten through the file, before the database is opened or while it
// is open. The store reads its pages through a mapping of the file (PRAGMA mmap_size), so it
// meets damage made while it is open at its next read outside the writer's transaction: the
// logon's check left no copy of them in SQLite's own page cache. A SQLite built without mmap
// would keep copies, and the store tests that damage an open store would fail (the damage
// unseen), not pass.
#pragma once

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace mapishut::test {

// The database's page size, from its header (bytes 16-17, big-endian; 1 means 65536).
inline uint32_t PageSizeOf(const std::string& db) {
  unsigned char header[18] = {};
  const int fd = open(db.c_str(), O_RDONLY);
  const bool read_whole = fd >= 0 && pread(fd, header, sizeof header, 0) == static_cast<ssize_t>(sizeof header);
  if (fd >= 0) close(fd);
  if (!read_whole) return 0;
  const uint32_t size = (uint32_t{header[16]} << 8) | header[17];
  return size == 1 ? 65536 : size;
}

// The page in the middle of the file: inside a value that fills most of it.
inline uint32_t MiddlePageOf(const std::string& db) {
  const uint32_t page_size = PageSizeOf(db);
  return page_size == 0 ? 0 : static_cast<uint32_t>(std::filesystem::file_size(db) / page_size / 2) + 1;
}

// The first page of table or index `name` (sqlite_master's rootpage), read with a connection of
// its own; 0 when it cannot be read.
inline uint32_t RootPageOf(const std::string& db, const std::string& name) {
  sqlite3* raw = nullptr;
  uint32_t page = 0;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(raw, "SELECT rootpage FROM sqlite_master WHERE name=?", -1, &st, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) page = static_cast<uint32_t>(sqlite3_column_int64(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(raw);
  return page;
}

// Writes `bytes` over page `page` (numbered from 1); returns what the page held, or "" when the
// file could not be read or written.
inline std::string OverwritePage(const std::string& db, uint32_t page, const std::string& bytes) {
  const uint32_t page_size = PageSizeOf(db);
  if (page == 0 || page_size == 0 || bytes.size() != page_size) return "";
  const off_t at = static_cast<off_t>(page - 1) * page_size;
  std::string before(page_size, '\0');
  const int fd = open(db.c_str(), O_RDWR);
  const bool done = fd >= 0 && pread(fd, before.data(), page_size, at) == static_cast<ssize_t>(page_size) &&
                    pwrite(fd, bytes.data(), page_size, at) == static_cast<ssize_t>(page_size);
  if (fd >= 0) close(fd);
  return done ? before : "";
}

// Zeroes page `page`; returns what it held (for OverwritePage to put back), or "" on failure.
inline std::string ZeroPage(const std::string& db, uint32_t page) {
  return OverwritePage(db, page, std::string(PageSizeOf(db), '\0'));
}

}  // namespace mapishut::test
