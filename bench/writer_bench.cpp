// The store's writer against the bare cost of the same durable writes, in one run:
//   - fast exit: D messages saved (write-behind), then the flush DoFastShutdown waits for, against
//     one fsync'd transaction of the same rows in a bare SQLite database;
//   - throughput: N messages saved and flushed, against N transactions of one message each with
//     synchronous=FULL (what a store without write-behind pays for the same promise), and against
//     one transaction of all N (the rate the writer should reach).
// Each table has a growth column: the cost per message against the previous size (1.00x linear).
// Seven properties per message, as bench/store_bench.cpp writes.
//
// Usage: writer_bench   (D = 100, 1000, 10000; N = 1000, 5000)
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../providers/store/message_db.h"
#include "figures.h"

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string TempDir() {
  char tmpl[] = "/tmp/mapishut-bench-writer-XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  return tmpl;
}

mapishut::StoredMessage Message(int64_t id) {
  mapishut::StoredMessage m;
  m.id = id;
  m.folder = mapishut::MessageDb::kInboxFolder;
  for (uint32_t p = 0; p < 7; ++p) m.props[(0x6700 + p) << 16 | 0x0102] = std::string(48, static_cast<char>('a' + p));
  return m;
}

// Saves `n` messages, then flushes; returns the seconds of the flush alone, or of both.
double SaveAndFlush(int n, bool time_only_the_flush) {
  const std::string dir = TempDir();
  std::unique_ptr<mapishut::MessageDb> db;
  if (!mapishut::MessageDb::Open(dir + "/store.db", &db).ok()) std::abort();
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) db->Save(Message(db->NewMessageId()));
  const auto flush_start = Clock::now();
  if (!db->Flush().ok()) std::abort();
  const double seconds = Since(time_only_the_flush ? flush_start : start);
  db.reset();
  std::filesystem::remove_all(dir);
  return seconds;
}

// The bare floor: the same rows in `transactions` transactions (n / transactions messages each),
// in the store's schema (tables and indexes), WAL + synchronous=FULL, prepared statements, no
// MAPI and no writer thread.
double BareOnThisThread(int n, int transactions) {
  const std::string dir = TempDir();
  sqlite3* db = nullptr;
  sqlite3_open((dir + "/bare.db").c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "CREATE TABLE messages(id INTEGER PRIMARY KEY, folder INTEGER, submitted INTEGER);"
                   "CREATE TABLE props(message INTEGER, tag INTEGER, value BLOB, PRIMARY KEY(message, tag));"
                   // The store's own indexes (a folder's listing, the outbox): the same rows cost
                   // the same index entries.
                   "CREATE INDEX messages_by_folder ON messages(folder);"
                   "CREATE INDEX messages_to_send ON messages(id) WHERE submitted=1;",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* msg = nullptr;
  sqlite3_stmt* prop = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO messages VALUES(?, 2, 0)", -1, &msg, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO props VALUES(?, ?, ?)", -1, &prop, nullptr);
  const auto start = Clock::now();
  const int per = n / transactions;
  for (int t = 0; t < transactions; ++t) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (int i = t * per; i < (t + 1) * per; ++i) {
      const mapishut::StoredMessage m = Message(i + 1);
      sqlite3_bind_int64(msg, 1, m.id);
      sqlite3_step(msg);
      sqlite3_reset(msg);
      for (const auto& [tag, value] : m.props) {
        sqlite3_bind_int64(prop, 1, m.id);
        sqlite3_bind_int64(prop, 2, tag);
        sqlite3_bind_blob(prop, 3, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
        sqlite3_step(prop);
        sqlite3_reset(prop);
      }
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  const double seconds = Since(start);
  sqlite3_finalize(msg);
  sqlite3_finalize(prop);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
  return seconds;
}

// The engine writes on its writer thread, new with each store and allocating from a memory arena
// of its own; the baseline writes on a new thread too, so both pay alike for the memory their
// writes touch first (a page fault costs 10-15 us on this project's virtual machines; the main
// thread's arena would hand the baseline warm pages from its last round).
double Bare(int n, int transactions) {
  double seconds = 0;
  std::thread([&] { seconds = BareOnThisThread(n, transactions); }).join();
  return seconds;
}

// Reopens the store after `n` saves that ended with a fast exit (maintenance stopped, flushed,
// the process gone without closing) or with a normal close; returns the seconds of the reopen.
double ReopenAfter(int n, bool fast_exit) {
  const std::string dir = TempDir();
  const pid_t pid = fork();
  if (pid == 0) {
    std::unique_ptr<mapishut::MessageDb> db;
    if (!mapishut::MessageDb::Open(dir + "/store.db", &db).ok()) _exit(2);
    for (int i = 0; i < n; ++i) {
      db->Save(Message(db->NewMessageId()));
      if (i % 1000 == 999 && !db->Flush().ok()) _exit(3);  // the writer goes idle now and then
    }
    if (fast_exit) {
      db->StopMaintenance();
      _exit(db->Flush().ok() ? 0 : 4);  // no close, no checkpoint: what a fast exit leaves
    }
    db.reset();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::abort();
  const auto start = Clock::now();
  std::unique_ptr<mapishut::MessageDb> db;
  if (!mapishut::MessageDb::Open(dir + "/store.db", &db).ok()) std::abort();
  const double seconds = Since(start);
  db.reset();
  std::filesystem::remove_all(dir);
  return seconds;
}

}  // namespace

// This disk's fsync time drifts several times over within seconds: each figure is the median of
// `rounds` measurements taken in turn with its baseline's, so both see the same disk.
constexpr int kRounds = 7;
std::vector<double> Interleaved(int rounds, const std::vector<std::function<double()>>& measures) {
  std::vector<std::vector<double>> seen(measures.size());
  for (int i = 0; i < rounds; ++i) {
    for (size_t m = 0; m < measures.size(); ++m) seen[m].push_back(measures[m]());
  }
  std::vector<double> medians;
  for (auto& v : seen) medians.push_back(Median(std::move(v)));
  return medians;
}

int main() {
  std::printf("fast exit: the flush after D saves, against one fsync'd transaction of the same rows\n"
              "(medians of %d, each taken in turn with its baseline's)\n", kRounds);
  std::printf("%8s %12s %12s %10s %10s\n", "D", "bare ms", "flush ms", "x bare", "growth");
  double last = 0;
  for (int d : {100, 1000, 10000}) {
    const auto m = Interleaved(kRounds, {[d] { return Bare(d, 1); }, [d] { return SaveAndFlush(d, true); }});
    const double bare = m[0], flush = m[1];
    std::printf("%8d %12.2f %12.2f %10.2f %10s\n", d, bare * 1e3, flush * 1e3, flush / bare, Growth(flush / d, &last).c_str());
    std::fflush(stdout);
  }
  // The target is the writer at the rate of one transaction of all the rows: "x one txn" near 1.
  std::printf("\nthroughput: N saves made durable, against one fsync'd transaction per save and against one\n"
              "transaction of all N (medians of 3)\n");
  std::printf("%8s %16s %12s %16s %14s %12s %10s\n", "N", "per-save txn ms", "one txn ms", "write-behind ms", "x faster",
              "x one txn", "growth");
  last = 0;
  for (int n : {1000, 5000}) {
    const auto m = Interleaved(3, {[n] { return Bare(n, n); }, [n] { return Bare(n, 1); }, [n] { return SaveAndFlush(n, false); }});
    const double per_save = m[0], one = m[1], ours = m[2];
    std::printf("%8d %16.1f %12.1f %16.1f %14.1f %12.2f %10s\n", n, per_save * 1e3, one * 1e3, ours * 1e3, per_save / ours,
                ours / one, Growth(ours / n, &last).c_str());
    std::fflush(stdout);
  }
  std::printf("\nlogon after a fast exit: reopening the store, against reopening after a normal close\n");
  std::printf("%8s %16s %16s %10s\n", "saves", "after close ms", "after fast ms", "x close");
  for (int n : {10000, 100000}) {
    const double closed = ReopenAfter(n, false), fast = ReopenAfter(n, true);
    std::printf("%8d %16.2f %16.2f %10.2f\n", n, closed * 1e3, fast * 1e3, fast / closed);
    std::fflush(stdout);
  }
}
