// The store's exit against the bare cost of the same durable write. Each iteration forks a child
// that saves 100 messages (seven properties each) through the subsystem into the SQLite store,
// then times only the exit: the fast shutdown (QueryFastShutdown, NotifyProcessShutdown,
// DoFastShutdown: commit what is pending, durably) or the normal one (Logoff, MAPIUninitialize:
// commit, postponed maintenance, WAL checkpoint). The baseline writes the same 100 messages'
// rows into a fresh SQLite database in one transaction with the same durability settings.
#include <benchmark/benchmark.h>
#include <mapicode.h>
#include <mapiguid.h>
#include <mapitags.h>
#include <mapix.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "fork_timer.h"
#include "mapishut/subsystem.h"
#include "scratch_state.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMessages = 100;

std::string MakeProfile() {
  char tmpl[] = "/tmp/mapishut-bench-store-XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  const std::string dir = tmpl;
  std::ofstream(dir + "/mapisvc.inf") << "[Store]\nProviders=Store Provider\n[Store Provider]\n"
                                         "PR_PROVIDER_DLL_NAME=libmapishut_store.so\nPR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\n"
                                         "PR_DISPLAY_NAME=Bench\nPR_MAPISHUT_DATA_PATH=" << dir << "/store.db\n";
  std::ofstream(dir + "/profiles.inf") << "[Profile p]\nServices=Store\n";
  return dir;
}


// Logs on and saves the messages; returns the session, or null.
LPMAPISESSION SaveMessages(const std::string& dir) {
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
  mapishut::SetConfigDirectory(dir);
  LPMAPISESSION s = nullptr;
  char profile[] = "p";
  if (FAILED(MAPIInitialize(nullptr)) || FAILED(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, &s))) return nullptr;
  LPMDB store = nullptr;
  LPMAPITABLE table = nullptr;
  if (FAILED(s->GetMsgStoresTable(0, &table))) return nullptr;
  LPSRowSet rows = nullptr;
  SizedSPropTagArray(1, cols) = {1, {PR_ENTRYID}};
  table->SetColumns(reinterpret_cast<LPSPropTagArray>(&cols), 0);
  if (FAILED(table->QueryRows(1, 0, &rows)) || rows->cRows != 1) return nullptr;
  s->OpenMsgStore(0, rows->aRow[0].lpProps[0].Value.bin.cb, reinterpret_cast<LPENTRYID>(rows->aRow[0].lpProps[0].Value.bin.lpb),
                  nullptr, MAPI_BEST_ACCESS, &store);
  MAPIFreeBuffer(rows->aRow[0].lpProps);
  MAPIFreeBuffer(rows);
  table->Release();
  if (!store) return nullptr;
  LPMAPIFOLDER root = nullptr;
  ULONG type = 0;
  store->OpenEntry(0, nullptr, nullptr, MAPI_MODIFY, &type, reinterpret_cast<LPUNKNOWN*>(&root));
  std::wstring subject = L"benchmark message with a subject of ordinary length";
  std::string sender = "sender@example.org";
  BYTE blob[64] = {1, 2, 3};
  for (int i = 0; i < kMessages; ++i) {
    LPMESSAGE m = nullptr;
    root->CreateMessage(nullptr, 0, &m);
    SPropValue p[7];
    p[0].ulPropTag = PR_IMPORTANCE; p[0].Value.l = 1;
    p[1].ulPropTag = PROP_TAG(PT_I8, 0x6700); p[1].Value.li.QuadPart = i;
    p[2].ulPropTag = PROP_TAG(PT_BOOLEAN, 0x6701); p[2].Value.b = 1;
    p[3].ulPropTag = PR_CLIENT_SUBMIT_TIME; p[3].Value.ft = FILETIME{static_cast<DWORD>(i), 1};
    p[4].ulPropTag = PR_SUBJECT_W; p[4].Value.lpszW = subject.data();
    p[5].ulPropTag = PR_SENDER_EMAIL_ADDRESS_A; p[5].Value.lpszA = sender.data();
    p[6].ulPropTag = PROP_TAG(PT_BINARY, 0x6702); p[6].Value.bin = SBinary{sizeof blob, blob};
    m->SetProps(7, p, nullptr);
    m->SaveChanges(0);
    m->Release();
  }
  root->Release();
  store->Release();
  return s;
}

void BM_StoreFastShutdown(benchmark::State& state) {
  for (auto _ : state) {
    const std::string dir = MakeProfile();
    const double seconds = TimeInChild([&] {
      LPMAPISESSION s = SaveMessages(dir);
      LPMAPICLIENTSHUTDOWN cs = nullptr;
      if (!s || FAILED(s->QueryInterface(IID_IMAPIClientShutdown, reinterpret_cast<void**>(&cs)))) return -1.0;
      const auto start = Clock::now();
      if (cs->QueryFastShutdown() != S_OK || cs->NotifyProcessShutdown() != S_OK || cs->DoFastShutdown() != S_OK) return -1.0;
      return std::chrono::duration<double>(Clock::now() - start).count();
    });
    std::filesystem::remove_all(dir);
    if (seconds < 0) state.SkipWithError("fast shutdown failed");
    state.SetIterationTime(seconds);
  }
}

void BM_StoreNormalShutdown(benchmark::State& state) {
  for (auto _ : state) {
    const std::string dir = MakeProfile();
    const double seconds = TimeInChild([&] {
      LPMAPISESSION s = SaveMessages(dir);
      if (!s) return -1.0;
      const auto start = Clock::now();
      s->Logoff(0, 0, 0);
      s->Release();
      MAPIUninitialize();
      return std::chrono::duration<double>(Clock::now() - start).count();
    });
    std::filesystem::remove_all(dir);
    if (seconds < 0) state.SkipWithError("normal shutdown failed");
    state.SetIterationTime(seconds);
  }
}

// The floor: the same rows, one transaction, WAL + synchronous=FULL, no MAPI.
void BM_BareSqliteCommit(benchmark::State& state) {
  for (auto _ : state) {
    const std::string dir = MakeProfile();
    const double seconds = TimeInChild([&] {
      sqlite3* db = nullptr;
      sqlite3_open((dir + "/bare.db").c_str(), &db);
      sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                       "CREATE TABLE messages(id INTEGER PRIMARY KEY, folder INTEGER, submitted INTEGER);"
                       "CREATE TABLE props(message INTEGER, tag INTEGER, value BLOB, PRIMARY KEY(message, tag));",
                   nullptr, nullptr, nullptr);
      const std::string value(48, 'x');
      const auto start = Clock::now();
      sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
      sqlite3_stmt* m = nullptr;
      sqlite3_stmt* p = nullptr;
      sqlite3_prepare_v2(db, "INSERT INTO messages VALUES(?, 1, 0)", -1, &m, nullptr);
      sqlite3_prepare_v2(db, "INSERT INTO props VALUES(?, ?, ?)", -1, &p, nullptr);
      for (int i = 0; i < kMessages; ++i) {
        sqlite3_bind_int(m, 1, i + 1);
        sqlite3_step(m);
        sqlite3_reset(m);
        for (int t = 0; t < 7; ++t) {
          sqlite3_bind_int(p, 1, i + 1);
          sqlite3_bind_int(p, 2, t);
          sqlite3_bind_blob(p, 3, value.data(), 8 + t * 6, SQLITE_STATIC);
          sqlite3_step(p);
          sqlite3_reset(p);
        }
      }
      sqlite3_finalize(m);
      sqlite3_finalize(p);
      const bool ok = sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
      const double s = std::chrono::duration<double>(Clock::now() - start).count();
      sqlite3_close(db);
      return ok ? s : -1.0;
    });
    std::filesystem::remove_all(dir);
    if (seconds < 0) state.SkipWithError("bare commit failed");
    state.SetIterationTime(seconds);
  }
}

BENCHMARK(BM_BareSqliteCommit)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(30);
BENCHMARK(BM_StoreFastShutdown)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(30);
BENCHMARK(BM_StoreNormalShutdown)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(30);

}  // namespace

// Made before main runs the benchmarks: their exits record themselves there, not in the user's log.
const ScratchStateHome kState;

BENCHMARK_MAIN();
