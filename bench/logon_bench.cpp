// MAPILogonEx with N providers in one profile, and how it grows: N services of the sample
// transport (one shared library, loaded once), read from mapisvc.inf/profiles.inf, each
// initialised and logged on, then logged off. Printed per provider, with the growth against the
// previous size (1.0x is linear). Also the page faults the logon took (memory touched for the
// first time) and, measured in the same run, what touching as many fresh pages costs alone: on
// this project's virtual machines a fault costs 10-15 us, so that part is the machine's price
// for the memory a logon needs, and the rest is the work itself.
// Then the fast exit of the same profile through the subsystem, per provider per phase: what a
// client's IMAPIClientShutdown costs with the process's own path included (the sessions' targets
// gathered, the shared library's thread-locals), where coordinator_bench measures the coordinator
// alone.
//
// Usage: logon_bench [N...]   (default 100 1000 10000)
#include <mapicode.h>
#include <mapiguid.h>
#include <mapix.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "mapishut/com_ptr.h"
#include "mapishut/subsystem.h"
#include "figures.h"
#include "fork_timer.h"
#include "page_faults.h"
#include "scratch_state.h"
#include "timed_exit.h"

namespace {

using Clock = std::chrono::steady_clock;

// N services of the sample transport in profile "p"; with `saves`, each keeps a data directory and
// saves a small file durably when told to (at DoFastShutdown or Shutdown), else it saves nothing.
std::string MakeProfile(int n, bool saves) {
  char tmpl[] = "/tmp/mapishut-bench-logon-XXXXXX";
  if (!mkdtemp(tmpl)) std::abort();
  const std::string dir = tmpl;
  std::ofstream svc(dir + "/mapisvc.inf");
  std::string services;
  for (int i = 0; i < n; ++i) {
    const std::string name = "Transport" + std::to_string(i);
    svc << "[" << name << "]\nProviders=" << name << " Provider\n[" << name << " Provider]\n"
        << "PR_PROVIDER_DLL_NAME=libmapishut_sample.so\nPR_RESOURCE_TYPE=MAPI_TRANSPORT_PROVIDER\nPR_DISPLAY_NAME=" << name
        << "\n";
    if (saves) svc << "PR_MAPISHUT_DATA_PATH=" << dir << "\n";
    services += (i ? ", " : "") + name;
  }
  std::ofstream(dir + "/profiles.inf") << "[Profile p]\nServices=" << services << "\n";
  return dir;
}

struct Figures {
  double logon = 0, logoff = 0;
  long faults = 0;        // minor page faults during the logon: memory touched for the first time
  double fault_cost = 0;  // seconds this machine takes to touch as many fresh pages, nothing else
};

Figures Measure(int n) {
  const std::string dir = MakeProfile(n, true);
  mapishut::SetConfigDirectory(dir);
  if (MAPIInitialize(nullptr) != S_OK) std::abort();
  mapishut::com_ptr<IMAPISession> s;
  char profile[] = "p";
  Figures f;
  const long faults_before = MinorFaults();
  auto start = Clock::now();
  if (MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED | MAPI_NEW_SESSION, s.put()) != S_OK) {
    std::fprintf(stderr, "logon failed: %s\n", mapishut::LastErrorMessage().c_str());
    std::abort();
  }
  f.logon = std::chrono::duration<double>(Clock::now() - start).count();
  f.faults = MinorFaults() - faults_before;
  f.fault_cost = FaultSeconds(f.faults);
  start = Clock::now();
  s->Logoff(0, 0, 0);
  s.reset();
  f.logoff = std::chrono::duration<double>(Clock::now() - start).count();
  MAPIUninitialize();
  std::filesystem::remove_all(dir);
  return f;
}

// The fast exit of N providers that save nothing, per provider per phase.
StepNs MeasureExit(int n) {
  const std::string dir = MakeProfile(n, false);
  // In a child of its own: the exit ends MAPI for its process.
  const std::optional<StepNs> figures = RunInChild([&dir, n] {
    mapishut::SetConfigDirectory(dir);
    if (MAPIInitialize(nullptr) != S_OK) std::abort();
    mapishut::com_ptr<IMAPISession> s;
    char profile[] = "p";
    if (MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED | MAPI_NEW_SESSION, s.put()) != S_OK) std::abort();
    mapishut::com_ptr<IMAPIClientShutdown> cs;
    if (FAILED(s->QueryInterface(IID_IMAPIClientShutdown, cs.put_as<void>()))) std::abort();
    const StepNs f = RunExit(*cs).PerProvider(static_cast<size_t>(n));
    (void)s.detach();  // the process may exit now: no further MAPI call
    (void)cs.detach();
    return f;
  });
  std::filesystem::remove_all(dir);
  if (!figures) std::exit(1);  // RunInChild said why
  return *figures;
}

}  // namespace

int main(int argc, char** argv) {
  const ScratchStateHome state;  // its exits record themselves there, not in the user's log
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {100, 1000, 10000};
  // The exits first, each in a child of a parent that has not used MAPI yet: the child's memory
  // is all fresh, as at a client's one exit, and it inherits nothing of the logons below.
  std::vector<StepNs> exits;
  for (int n : sizes) exits.push_back(MeasureExit(n));
  std::printf("%10s %12s %16s %10s %12s %10s %16s %16s\n", "providers", "logon ms", "us per provider", "growth", "logoff ms",
              "faults", "as bare faults ms", "the rest ms");
  double last = 0;
  for (int n : sizes) {
    const Figures f = Measure(n);
    const double per = f.logon / n * 1e6;
    const std::string growth = Growth(per, &last);
    std::printf("%10d %12.1f %16.2f %10s %12.1f %10ld %16.1f %16.1f\n", n, f.logon * 1e3, per, growth.c_str(), f.logoff * 1e3, f.faults,
                f.fault_cost * 1e3, (f.logon - f.fault_cost) * 1e3);
    std::fflush(stdout);
  }
  std::printf("\nthe fast exit through the subsystem, providers that save nothing, per provider per phase\n");
  std::printf("%10s %10s %10s %10s %10s\n", "providers", "query ns", "notify ns", "do ns", "growth");
  last = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const int n = sizes[i];
    const StepNs& f = exits[i];
    const std::string growth = Growth((f.query + f.notify + f.do_) / 3, &last);
    std::printf("%10d %10.1f %10.1f %10.1f %10s\n", n, f.query, f.notify, f.do_, growth.c_str());
    std::fflush(stdout);
  }
}
