// What a fast exit costs, against what it must at least cost. Each iteration forks a child that
// logs on to the bundled sample profile (three providers, each holding accepted work) and then
// either
//   - runs the fast shutdown (QueryFastShutdown, NotifyProcessShutdown, DoFastShutdown): every
//     provider writes its work durably (temp file, fsync, rename, fsync dir), or
//   - runs the normal shutdown (Logoff, MAPIUninitialize), which saves the same work,
// and reports the time of that sequence alone through a pipe. The baseline is the bare cost of
// the same three durable writes with no MAPI at all. Ratios are printed by bench/report.sh.
#include <benchmark/benchmark.h>
#include <mapicode.h>
#include <mapiguid.h>
#include <mapix.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "mapishut/durable.h"
#include "fork_timer.h"
#include "mapishut/subsystem.h"
#include "scratch_state.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string MakeDataDir() {
  char tmpl[] = "/tmp/mapishut-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) std::abort();
  return tmpl;
}

void PointAtSampleProfile(const std::string& data) {
  setenv("MAPISHUT_DATA_DIR", data.c_str(), 1);
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
  mapishut::SetConfigDirectory(MAPISHUT_SOURCE_DIR "/data/demo");
}

LPMAPISESSION Logon() {
  if (FAILED(MAPIInitialize(nullptr))) return nullptr;
  LPMAPISESSION session = nullptr;
  char profile[] = "sample";
  if (FAILED(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED | MAPI_EXPLICIT_PROFILE, &session))) return nullptr;
  return session;
}

void BM_FastShutdown(benchmark::State& state) {
  for (auto _ : state) {
    const std::string data = MakeDataDir();
    const double seconds = TimeInChild([&] {
      PointAtSampleProfile(data);
      LPMAPISESSION session = Logon();
      if (!session) return -1.0;
      LPMAPICLIENTSHUTDOWN cs = nullptr;
      if (FAILED(session->QueryInterface(IID_IMAPIClientShutdown, reinterpret_cast<void**>(&cs)))) return -1.0;
      const auto start = Clock::now();
      if (cs->QueryFastShutdown() != S_OK || cs->NotifyProcessShutdown() != S_OK || cs->DoFastShutdown() != S_OK) return -1.0;
      return std::chrono::duration<double>(Clock::now() - start).count();
    });
    std::filesystem::remove_all(data);
    if (seconds < 0) state.SkipWithError("fast shutdown failed in the child");
    state.SetIterationTime(seconds);
  }
}

void BM_NormalShutdown(benchmark::State& state) {
  for (auto _ : state) {
    const std::string data = MakeDataDir();
    const double seconds = TimeInChild([&] {
      PointAtSampleProfile(data);
      LPMAPISESSION session = Logon();
      if (!session) return -1.0;
      const auto start = Clock::now();
      session->Logoff(0, 0, 0);
      session->Release();
      MAPIUninitialize();
      return std::chrono::duration<double>(Clock::now() - start).count();
    });
    std::filesystem::remove_all(data);
    if (seconds < 0) state.SkipWithError("normal shutdown failed in the child");
    state.SetIterationTime(seconds);
  }
}

// The floor: the same three durable writes, nothing else.
void BM_BareDurableWrites(benchmark::State& state) {
  for (auto _ : state) {
    const std::string data = MakeDataDir();
    const double seconds = TimeInChild([&] {
      const auto start = Clock::now();
      for (const char* name : {"Sample Transport.saved", "Sample Address Book.saved", "Sample Message Store.saved"}) {
        if (!mapishut::WriteFileDurably(data, name, "accepted work\n").ok()) return -1.0;
      }
      return std::chrono::duration<double>(Clock::now() - start).count();
    });
    std::filesystem::remove_all(data);
    if (seconds < 0) state.SkipWithError("write failed");
    state.SetIterationTime(seconds);
  }
}

BENCHMARK(BM_BareDurableWrites)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(40);
BENCHMARK(BM_FastShutdown)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(40);
BENCHMARK(BM_NormalShutdown)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(40);

}  // namespace

// Made before main runs the benchmarks: their exits record themselves there, not in the user's log.
const ScratchStateHome kState;

BENCHMARK_MAIN();
