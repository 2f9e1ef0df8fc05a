// io_fault_child CONFIG_DIR WORKLOAD FAIL_AT ERRNO all|sync: a MAPI client whose I/O fails once,
// for io_fault_test. Run with libfiu's POSIX wrappers preloaded (fiu_posix_preload.so): after its
// logon it arms write, pwrite, fsync, fdatasync, rename and open, and the FAIL_AT-th of those
// calls (counted across every thread; 0: none), or of the fsync and fdatasync calls alone with
// "sync", fails with ERRNO. WORKLOAD says what it does
// then: "store" saves messages, "spool" submits them, "ab" only exits (the address book saves
// its download). Then it exits as mapishut::PrepareToExit says - at once when it may, with no
// further call - and prints what every call answered, one line each, for the parent to check.
#define FIU_ENABLE 1
#include <fiu-control.h>
#include <fiu.h>
#include <mapix.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../store/store_client.h"
#include "../store/store_fixture.h"
#include "mapishut/client_exit.h"
#include "mapishut/subsystem.h"

namespace {

constexpr const char* kFaultPoints[] = {"posix/io/rw/write", "posix/io/rw/pwrite", "posix/io/sync/fsync",
                                        "posix/io/sync/fdatasync", "posix/io/dir/rename", "posix/io/oc/open"};

std::atomic<long> g_calls{0};       // every armed call
std::atomic<long> g_sync_calls{0};  // fsync and fdatasync alone
long g_fail_at = 0;
bool g_count_syncs_only = false;
int g_errno = 0;
char g_injected[64] = "none";  // written once, by the failing call's thread, before anyone reads it
std::atomic<bool> g_did_inject{false};
std::atomic<long> g_syncs_after{0};  // fsync and fdatasync calls made after the injected failure
thread_local bool t_reporting = false;  // our own output is never failed

int Decide(const char* name, int*, void** failinfo, unsigned int*) {
  if (t_reporting) return 0;
  const bool sync = std::strstr(name, "/sync/") != nullptr;
  if (g_did_inject && sync) ++g_syncs_after;
  const long calls = ++g_calls;
  const long syncs = sync ? ++g_sync_calls : 0;
  if ((g_count_syncs_only ? syncs : calls) != g_fail_at) return 0;
  std::snprintf(g_injected, sizeof g_injected, "%s", name);
  g_did_inject = true;
  *failinfo = reinterpret_cast<void*>(static_cast<intptr_t>(g_errno));
  return 1;
}

std::vector<std::string> g_lines;
void Note(const std::string& line) { g_lines.push_back(line); }

void PrintAll() {
  t_reporting = true;
  for (std::string& line : g_lines) {
    for (char& c : line) c = c == '\n' ? ' ' : c;
    std::printf("%s\n", line.c_str());
  }
  std::fflush(stdout);
}

HRESULT Save(IMAPIFolder* folder, int i) {
  mapishut::com_ptr<IMessage> m;
  mapishut::test::SampleProps props(i);
  RETURN_IF_FAILED_EXPECTED(folder->CreateMessage(nullptr, 0, m.put()));
  RETURN_IF_FAILED_EXPECTED(m->SetProps(static_cast<ULONG>(props.values.size()), props.values.data(), nullptr));
  return m->SaveChanges(0);
}

HRESULT Submit(IMAPIFolder* folder, int i) {
  mapishut::com_ptr<IMessage> m;
  RETURN_IF_FAILED_EXPECTED(folder->CreateMessage(nullptr, 0, m.put()));
  std::wstring subject = L"message " + std::to_wstring(i);
  std::wstring to = L"bob@example.org";
  SPropValue p[2];
  p[0].ulPropTag = PR_SUBJECT_W;
  p[0].Value.lpszW = subject.data();
  p[1].ulPropTag = PR_DISPLAY_TO_W;
  p[1].Value.lpszW = to.data();
  RETURN_IF_FAILED_EXPECTED(m->SetProps(2, p, nullptr));
  return m->SubmitMessage(0);
}

std::string Hex(HRESULT hr) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(hr));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: io_fault_child CONFIG_DIR store|spool|ab FAIL_AT ERRNO all|sync\n");
    return 2;
  }
  g_count_syncs_only = std::strcmp(argv[5], "sync") == 0;
  const std::string workload = argv[2];
  g_fail_at = std::atol(argv[3]);
  g_errno = std::atoi(argv[4]);
  if (fiu_init(0) != 0) return 3;
  mapishut::SetConfigDirectory(argv[1]);
  mapishut::SetPolicyReader(mapishut::NewFixedPolicyReader(std::nullopt, "test"));

  mapishut::com_ptr<IMAPISession> session;
  char profile[] = "p";
  if (MAPIInitialize(nullptr) != S_OK || MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, session.put()) != S_OK) {
    std::fprintf(stderr, "logon failed: %s\n", mapishut::LastErrorMessage().c_str());
    return 4;
  }
  mapishut::com_ptr<IMsgStore> store;
  mapishut::com_ptr<IMAPIFolder> inbox;
  if (workload != "ab" && (mapishut::test::OpenDefaultStore(session.get(), &store) != S_OK ||
                           mapishut::test::OpenInbox(store.get(), &inbox) != S_OK)) {
    return 5;
  }
  for (const char* point : kFaultPoints) fiu_enable_external(point, 1, nullptr, 0, Decide);

  for (int i = 0; i < 8 && workload == "store"; ++i) {
    const HRESULT hr = Save(inbox.get(), i);
    Note("save " + std::to_string(i) + " " + Hex(hr));
    if (hr != S_OK) Note("error " + mapishut::LastErrorMessage());
  }
  for (int i = 1; i <= 4 && workload == "spool"; ++i) {
    const HRESULT hr = Submit(inbox.get(), i);
    Note("submit " + std::to_string(i) + " " + Hex(hr));
    if (hr != S_OK) Note("error " + mapishut::LastErrorMessage());
  }
  inbox.reset();
  store.reset();
  const mapishut::ExitDecision d = mapishut::PrepareToExit(session.get());
  Note("exit " + std::string(d.exit_now ? "fast" : "normal") + " " + Hex(d.done));
  Note(std::string("lost ") + (d.data_lost ? "yes " + d.lost : "no"));
  Note("why " + d.why);
  Note("last " + mapishut::LastErrorMessage());
  Note("injected " + std::string(g_did_inject ? g_injected : "none"));
  Note("calls " + std::to_string(g_calls.load()));
  Note("sync_calls " + std::to_string(g_sync_calls.load()));
  Note("syncs_after " + std::to_string(g_syncs_after.load()));
  PrintAll();
  if (d.exit_now) {
    (void)session.detach();
    _exit(0);  // may exit now: no further MAPI call, not even Release
  }
  return 0;
}
