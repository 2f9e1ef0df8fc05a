// The address book's fast exit (OabCache::Save, what DoFastShutdown waits for) against the bare
// cost of one durable SQLite commit of one small row on the same filesystem, at 10k, 100k and
// 400k cards: with nothing changed since the last save, and with 100 cards changed. For contrast,
// BM_BareRewriteAll does in bare SQLite what Save did before it saved only the changes: delete
// every card row and insert them all again, in one transaction. Only the save is timed; filling
// the cache (download, first save) is not.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "../providers/addressbook/oab_cache.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kChanged = 100;

std::string TempDir() {
  char tmpl[] = "/tmp/mapishut-bench-ab-XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  return tmpl;
}

std::string Card(int i, const std::string& email) {
  return "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-" + std::to_string(i) + "\r\nFN:Person Number " + std::to_string(i) +
         "\r\nEMAIL:" + email + "\r\nEND:VCARD\r\n";
}

// A server file holding cards [first, first + count), each with an address that names `tag`.
void WriteServerFile(const std::string& path, int first, int count, const std::string& tag) {
  std::ostringstream text;
  for (int i = first; i < first + count; ++i) text << Card(i, "p" + std::to_string(i) + "." + tag + "@example.org");
  std::ofstream(path) << text.str();
}

sqlite3* OpenBare(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                       "CREATE TABLE IF NOT EXISTS contacts(uid TEXT PRIMARY KEY, name TEXT, email TEXT);"
                       "CREATE TABLE IF NOT EXISTS sync(key TEXT PRIMARY KEY, value TEXT);",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::abort();
  }
  return db;
}

// The floor: one small row committed durably (WAL + synchronous=FULL), one fsync of the WAL; the
// smallest commit that reaches the disk (an empty transaction writes nothing and syncs nothing).
// Returns the seconds it took, or -1 when it failed.
double TimeBareOneRowCommit(sqlite3* db) {
  static int i = 0;
  const std::string sql = "INSERT OR REPLACE INTO sync VALUES('position', '" + std::to_string(++i) + "')";
  const auto start = Clock::now();
  const bool ok = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK &&
                  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK &&
                  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return ok ? seconds : -1.0;
}

void BM_BareOneRowCommit(benchmark::State& state) {
  const std::string dir = TempDir();
  sqlite3* db = OpenBare(dir + "/bare.db");
  for (auto _ : state) {
    const double seconds = TimeBareOneRowCommit(db);
    if (seconds < 0) state.SkipWithError("bare commit failed");
    state.SetIterationTime(seconds);
  }
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
}

// One cache of `cards` cards per size, downloaded and saved once, shared by the benchmarks.
struct Filled {
  std::string dir;
  std::unique_ptr<mapishut::OabCache> cache;
  sqlite3* bare = nullptr;  // beside the cache, for the baseline timed in the same iterations
  int files = 0;
};

std::map<int, Filled>& Caches() {
  static std::map<int, Filled> caches;
  return caches;
}

Filled& CacheOf(int cards) {
  Filled& f = Caches()[cards];
  if (f.cache) return f;
  f.dir = TempDir();
  std::filesystem::create_directories(f.dir + "/server");
  WriteServerFile(f.dir + "/server/000000.vcf", 0, cards, "first");
  if (!mapishut::OabCache::Open(f.dir + "/oab.db", &f.cache).ok() || !f.cache->Refresh(f.dir + "/server", {}).ok() ||
      !f.cache->Save().ok()) {
    std::abort();
  }
  // The first save left every card in the WAL; SQLite's automatic checkpoint would copy them
  // into the database during the first timed save. Checkpoint now, as closing the cache at the
  // end of a session does, so the figures are those of the session after.
  sqlite3* db = nullptr;
  if (sqlite3_open((f.dir + "/oab.db").c_str(), &db) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::abort();
  }
  sqlite3_close(db);
  f.bare = OpenBare(f.dir + "/bare.db");
  return f;
}

// The disk's fsync latency on a shared machine drifts over seconds, so each iteration also times
// the bare one-row commit just before the Save, and the counter x_bare is the ratio of the two
// sums over the same iterations: BM_BareOneRowCommit's figure alone is from a different moment.
struct Interleaved {
  double save = 0;
  double bare = 0;
  void Report(benchmark::State& state) const {
    state.counters["bare_us"] = bare * 1e6 / static_cast<double>(state.iterations());
    state.counters["x_bare"] = save / bare;
  }
};

// Returns the seconds one Save took, or -1 when it or the baseline failed.
double TimeSave(Filled& f, Interleaved* sums) {
  const double bare = TimeBareOneRowCommit(f.bare);
  const auto start = Clock::now();
  const bool ok = f.cache->Save().ok();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!ok || bare < 0) return -1.0;
  sums->save += seconds;
  sums->bare += bare;
  return seconds;
}

void BM_AbSaveNothingChanged(benchmark::State& state) {
  Filled& f = CacheOf(static_cast<int>(state.range(0)));
  Interleaved sums;
  for (auto _ : state) {
    const double seconds = TimeSave(f, &sums);
    if (seconds < 0 || f.cache->cards_written_by_last_save() != 0) state.SkipWithError("save failed or wrote cards");
    state.SetIterationTime(seconds);
  }
  sums.Report(state);
}

void BM_AbSave100Changed(benchmark::State& state) {
  Filled& f = CacheOf(static_cast<int>(state.range(0)));
  Interleaved sums;
  for (auto _ : state) {
    // Untimed: the download takes in 100 cards whose address changed (spread over the list).
    char name[32];
    std::snprintf(name, sizeof name, "/server/%06d.vcf", ++f.files);
    const int first = static_cast<int>((static_cast<long long>(f.files) * 7919) % (state.range(0) - kChanged));
    WriteServerFile(f.dir + name, first, kChanged, "change" + std::to_string(f.files));
    if (!f.cache->Refresh(f.dir + "/server", {}).ok()) state.SkipWithError("refresh failed");
    const double seconds = TimeSave(f, &sums);
    if (seconds < 0 || f.cache->cards_written_by_last_save() != kChanged) state.SkipWithError("save failed or wrote other than 100 cards");
    state.SetIterationTime(seconds);
  }
  sums.Report(state);
}

// What Save did before it wrote only the changes: every card row deleted and written again.
void BM_BareRewriteAll(benchmark::State& state) {
  const std::string dir = TempDir();
  sqlite3* db = OpenBare(dir + "/bare.db");
  const int cards = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const auto start = Clock::now();
    bool ok = sqlite3_exec(db, "BEGIN IMMEDIATE; DELETE FROM contacts;", nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO contacts VALUES(?, ?, ?)", -1, &st, nullptr);
    for (int i = 0; ok && i < cards; ++i) {
      const std::string uid = "uid-" + std::to_string(i);
      const std::string name = "Person Number " + std::to_string(i);
      const std::string email = "p" + std::to_string(i) + ".first@example.org";
      sqlite3_bind_text(st, 1, uid.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 3, email.c_str(), -1, SQLITE_TRANSIENT);
      ok = sqlite3_step(st) == SQLITE_DONE;
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    ok = ok && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!ok) state.SkipWithError("bare rewrite failed");
    state.SetIterationTime(seconds);
  }
  sqlite3_close(db);
  std::filesystem::remove_all(dir);
}

void RemoveCaches() {
  for (auto& [cards, f] : Caches()) {
    f.cache.reset();
    sqlite3_close(f.bare);
    std::filesystem::remove_all(f.dir);
  }
}

BENCHMARK(BM_BareOneRowCommit)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(50);
BENCHMARK(BM_AbSaveNothingChanged)->Arg(10000)->Arg(100000)->Arg(400000)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(100);
BENCHMARK(BM_AbSave100Changed)->Arg(10000)->Arg(100000)->Arg(400000)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(50);
BENCHMARK(BM_BareRewriteAll)->Arg(10000)->Arg(100000)->Arg(400000)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  RemoveCaches();
  return 0;
}
