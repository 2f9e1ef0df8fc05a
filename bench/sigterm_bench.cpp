// SIGTERM to exit on the demo profile (store, address book, transport; issue 11's last row): a
// child logs on, saves 20 messages, installs mapishut's stop handler and says it is serving; the
// parent sends SIGTERM and times until the child is gone (waitpid). The baseline, in the same run,
// is the same child calling PrepareToExit itself: the fast exit without the signal's path. Medians
// of 15 runs each.
#include <mapicode.h>
#include <mapitags.h>
#include <mapix.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../tests/store/store_client.h"
#include "mapishut/client_exit.h"
#include "mapishut/com_ptr.h"
#include "mapishut/service_exit.h"
#include "mapishut/subsystem.h"
#include "figures.h"
#include "scratch_state.h"

namespace {

using Clock = std::chrono::steady_clock;
using mapishut::com_ptr;

// Logs on to the demo profile with fresh data and saves 20 messages; false on failure.
bool Work(const std::string& data, com_ptr<IMAPISession>* s) {
  setenv("MAPISHUT_DATA_DIR", data.c_str(), 1);
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
  mapishut::SetConfigDirectory(MAPISHUT_SOURCE_DIR "/data/demo");
  char profile[] = "demo";
  if (MAPIInitialize(nullptr) != S_OK || MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED | MAPI_EXPLICIT_PROFILE, s->put()) != S_OK) {
    return false;
  }
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
  if (mapishut::test::OpenDefaultStore(s->get(), &store) != S_OK || mapishut::test::OpenInbox(store.get(), &inbox) != S_OK) return false;
  for (int i = 0; i < 20; ++i) {
    com_ptr<IMessage> m;
    std::wstring subject = L"message " + std::to_wstring(i);
    SPropValue v{};
    v.ulPropTag = PR_SUBJECT_W;
    v.Value.lpszW = subject.data();
    if (inbox->CreateMessage(nullptr, 0, m.put()) != S_OK || m->SetProps(1, &v, nullptr) != S_OK || m->SaveChanges(0) != S_OK) return false;
  }
  return true;
}

// One run: seconds from the parent's SIGTERM (or the child's own PrepareToExit) to the child gone.
double Once(bool by_signal) {
  char tmpl[] = "/tmp/mapishut-bench-sigterm-XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  const std::string data = tmpl;
  std::filesystem::create_directories(data + "/server/contacts");
  int ready[2];
  if (pipe(ready) != 0) std::abort();
  const pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    com_ptr<IMAPISession> s;
    if (!Work(data, &s)) _exit(2);
    if (by_signal && !mapishut::InstallStopHandler(s.get()).ok()) _exit(3);
    const double start = std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
    if (write(ready[1], &start, sizeof start) != sizeof start) _exit(4);
    if (!by_signal) {
      const mapishut::ExitDecision d = mapishut::PrepareToExit(s.get());
      (void)s.detach();
      std::_Exit(d.exit_now ? 0 : 5);
    }
    for (;;) pause();
  }
  close(ready[1]);
  double child_start = 0;
  if (read(ready[0], &child_start, sizeof child_start) != sizeof child_start) std::abort();
  close(ready[0]);
  const auto start = Clock::now();
  if (by_signal) kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  const auto end = Clock::now();
  std::filesystem::remove_all(data);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::abort();
  // Without the signal the child started its exit when it wrote `child_start` (same clock).
  const double from = by_signal ? std::chrono::duration<double>(start.time_since_epoch()).count() : child_start;
  return std::chrono::duration<double>(end.time_since_epoch()).count() - from;
}

double MedianExit(bool by_signal) {
  std::vector<double> runs;
  for (int i = 0; i < 15; ++i) runs.push_back(Once(by_signal));
  return Median(std::move(runs));
}

}  // namespace

int main() {
  const ScratchStateHome state;  // its exits record themselves there, not in the user's log
  const double direct = MedianExit(false), signal = MedianExit(true);
  std::printf("%-44s %10.2f ms\n", "fast exit called by the client itself", direct * 1e3);
  std::printf("%-44s %10.2f ms %8.2f x\n", "SIGTERM to exit (mapishut's stop handler)", signal * 1e3, signal / direct);
}
