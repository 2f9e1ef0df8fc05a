// A folder listed the way a mail client shows it: five columns (entry ID, subject, sender, date,
// size), 200 rows per QueryRows, through the subsystem and the store provider, at several folder
// sizes. The baseline is the bare SELECT of the same columns from the same database file in the
// same run; the ratio says what MAPI, the table and the store add. Also: the listing sorted
// newest first (SortTable), and opening random messages by entry ID.
//
// Usage: listing_bench [N...]   (default 10000 100000)
#include <mapicode.h>
#include <mapiguid.h>
#include <mapitags.h>
#include <mapix.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "../providers/store/message_db.h"
#include "../providers/store/prop_codec.h"
#include "../tests/store/store_client.h"
#include "mapishut/com_ptr.h"
#include "mapishut/subsystem.h"
#include "figures.h"
#include "scratch_state.h"

namespace {

using Clock = std::chrono::steady_clock;
using mapishut::com_ptr;

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string MakeProfile() {
  char tmpl[] = "/tmp/mapishut-bench-list-XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  const std::string dir = tmpl;
  std::ofstream(dir + "/mapisvc.inf") << "[Store]\nProviders=Store Provider\n[Store Provider]\n"
                                         "PR_PROVIDER_DLL_NAME=libmapishut_store.so\nPR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\n"
                                         "PR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME=Bench\n"
                                         "PR_MAPISHUT_DATA_PATH=" << dir << "/store.db\n";
  std::ofstream(dir + "/profiles.inf") << "[Profile p]\nServices=Store\n";
  return dir;
}

std::string Encode(const SPropValue& v) {
  std::string bytes;
  if (!mapishut::EncodeProp(v, &bytes)) std::abort();
  return bytes;
}

// N messages in the inbox, each with the listed columns and a 2 KB body, written through the
// store's own engine (as the provider would, without the MAPI round trip per message).
void Fill(const std::string& path, int n) {
  std::unique_ptr<mapishut::MessageDb> db;
  if (!mapishut::MessageDb::Open(path, &db).ok()) std::abort();
  std::mt19937 random(42);
  const std::string body(2048, 'b');
  for (int i = 0; i < n; ++i) {
    mapishut::StoredMessage m;
    m.id = db->NewMessageId();
    m.folder = mapishut::MessageDb::kInboxFolder;
    const std::wstring subject = L"message number " + std::to_wstring(i);
    const std::string sender = "sender" + std::to_string(i % 97);
    SPropValue v{};
    v.ulPropTag = PR_SUBJECT_W, v.Value.lpszW = const_cast<wchar_t*>(subject.c_str());
    m.props[v.ulPropTag] = Encode(v);
    v.ulPropTag = PR_SENDER_NAME_A, v.Value.lpszA = const_cast<char*>(sender.c_str());
    m.props[v.ulPropTag] = Encode(v);
    v.ulPropTag = PR_MESSAGE_DELIVERY_TIME, v.Value.ft = FILETIME{static_cast<DWORD>(random()), 0x01DA0000};
    m.props[v.ulPropTag] = Encode(v);
    v.ulPropTag = PR_MESSAGE_SIZE, v.Value.l = static_cast<LONG>(body.size());
    m.props[v.ulPropTag] = Encode(v);
    v.ulPropTag = PR_BODY_A, v.Value.lpszA = const_cast<char*>(body.c_str());
    m.props[v.ulPropTag] = Encode(v);
    db->Save(std::move(m));
    if (i % 20000 == 19999 && !db->Flush().ok()) std::abort();
  }
  if (!db->Flush().ok() || !db->Checkpoint().ok()) std::abort();
}

// The floor: the same five columns of every message of the folder, in one SELECT.
double BareSelect(const std::string& path, int expect) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_exec(db, "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536;", nullptr, nullptr, nullptr);  // as the store
  const auto start = Clock::now();
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT m.id, p.tag, p.value FROM messages m JOIN props p ON p.message = m.id "
                     "WHERE m.folder = 2 AND p.tag IN (?1, ?2, ?3, ?4) ORDER BY m.id",
                     -1, &st, nullptr);
  const ULONG tags[] = {PR_SUBJECT_W, PR_SENDER_NAME_A, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE};
  for (int i = 0; i < 4; ++i) sqlite3_bind_int64(st, i + 1, tags[i]);
  int rows = 0;
  size_t bytes = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    ++rows;
    bytes += static_cast<size_t>(sqlite3_column_bytes(st, 2));
  }
  sqlite3_finalize(st);
  const double seconds = Since(start);
  sqlite3_close(db);
  if (rows != 4 * expect || bytes == 0) std::abort();
  return seconds;
}

// Reads the whole table 200 rows at a time; returns the seconds, or aborts on a short read.
double ReadAll(IMAPITable* table, int expect) {
  const auto start = Clock::now();
  int rows = 0;
  while (true) {
    LPSRowSet set = nullptr;
    if (table->QueryRows(200, 0, &set) != S_OK) std::abort();
    const ULONG got = set->cRows;
    rows += static_cast<int>(got);
    FreeProws(set);
    if (got == 0) break;
  }
  if (rows != expect) std::abort();
  return Since(start);
}

struct Figures {
  double bare = 0, list = 0, sorted = 0, open = 0;
};

Figures Measure(int n) {
  const std::string dir = MakeProfile();
  Fill(dir + "/store.db", n);
  Figures f;
  f.bare = BareSelect(dir + "/store.db", n);
  mapishut::SetConfigDirectory(dir);
  com_ptr<IMAPISession> s;
  char profile[] = "p";
  if (MAPIInitialize(nullptr) != S_OK || MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()) != S_OK) std::abort();
  {
    com_ptr<IMsgStore> store;
    com_ptr<IMAPIFolder> inbox;
    if (mapishut::test::OpenDefaultStore(s.get(), &store) != S_OK || mapishut::test::OpenInbox(store.get(), &inbox) != S_OK) {
      std::abort();
    }
    com_ptr<IMAPITable> table;
    if (inbox->GetContentsTable(0, table.put()) != S_OK) std::abort();
    SizedSPropTagArray(5, cols) = {5, {PR_ENTRYID, PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_SIZE}};
    table->SetColumns(reinterpret_cast<LPSPropTagArray>(&cols), 0);
    f.list = ReadAll(table.get(), n);

    const auto sort_start = Clock::now();
    SizedSSortOrderSet(1, newest) = {1, 0, 0, {{PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND}}};
    if (table->SortTable(reinterpret_cast<LPSSortOrderSet>(&newest), 0) != S_OK) std::abort();
    f.sorted = (ReadAll(table.get(), n), Since(sort_start));  // SortTable lists lazily: timed with the read

    // Random messages opened by entry ID, their properties read, as a reading pane does.
    table->SortTable(nullptr, 0);
    constexpr int kOpens = 1000;
    std::vector<std::vector<BYTE>> eids;
    std::mt19937 random(7);
    SizedSPropTagArray(1, eid_col) = {1, {PR_ENTRYID}};
    table->SetColumns(reinterpret_cast<LPSPropTagArray>(&eid_col), 0);
    for (int i = 0; i < kOpens; ++i) {
      table->SeekRow(BOOKMARK_BEGINNING, static_cast<LONG>(random() % n), nullptr);
      LPSRowSet set = nullptr;
      if (table->QueryRows(1, 0, &set) != S_OK || set->cRows != 1) std::abort();
      const SBinary& b = set->aRow[0].lpProps[0].Value.bin;
      eids.emplace_back(b.lpb, b.lpb + b.cb);
      FreeProws(set);
    }
    const auto open_start = Clock::now();
    for (auto& eid : eids) {
      com_ptr<IMessage> m;
      ULONG type = 0;
      if (store->OpenEntry(static_cast<ULONG>(eid.size()), reinterpret_cast<LPENTRYID>(eid.data()), nullptr, 0, &type,
                           m.put_as<IUnknown>()) != S_OK) {
        std::abort();
      }
      ULONG count = 0;
      LPSPropValue props = nullptr;
      if (FAILED(m->GetProps(nullptr, 0, &count, &props))) std::abort();
      MAPIFreeBuffer(props);
    }
    f.open = Since(open_start) / kOpens;
  }
  s->Logoff(0, 0, 0);
  s.reset();
  MAPIUninitialize();
  std::filesystem::remove_all(dir);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const ScratchStateHome state;  // its exits record themselves there, not in the user's log
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {10000, 100000};
  std::printf("%10s %10s %10s %8s %12s %10s %12s %10s\n", "messages", "bare ms", "list ms", "x bare", "us per row",
              "growth", "sorted ms", "open us");
  double last_per_row = 0;
  for (int n : sizes) {
    const Figures f = Measure(n);
    const double per_row = f.list / n * 1e6;
    const std::string growth = Growth(per_row, &last_per_row);
    std::printf("%10d %10.1f %10.1f %8.2f %12.2f %10s %12.1f %10.1f\n", n, f.bare * 1e3, f.list * 1e3, f.list / f.bare,
                per_row, growth.c_str(), f.sorted * 1e3, f.open * 1e6);
    std::fflush(stdout);
  }
}
