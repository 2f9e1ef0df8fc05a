// The coordinator's own cost per provider per phase, and how it grows: N no-op providers in one
// session (in this process, through the coordinator's TargetSource, as
// tests/subsystem/coordinator_test.cpp does) are asked, told and told to exit. The baseline is the
// same N virtual calls made directly, in the same run: what no coordinator can avoid. Then: S
// sessions whose provider takes 50 ms in DoFastShutdown (told concurrently: about 50 ms, not
// S x 50), and what a thread per session costs when the providers do nothing.
//
// Usage: coordinator_bench [N...]   (default 10 100 1000 10000 100000)
#include <fcntl.h>
#include <mapicode.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "../src/shutdown/coordinator.h"
#include "../src/shutdown/exit_log.h"
#include "mapishut/com_object.h"
#include "figures.h"
#include "scratch_state.h"

namespace {

using Clock = std::chrono::steady_clock;

class NoOpProvider final : public mapishut::ComObject<NoOpProvider, IMAPIProviderShutdown> {
 public:
  STDMETHODIMP QueryFastShutdown() override { return S_OK; }
  STDMETHODIMP NotifyProcessShutdown() override { return S_OK; }
  STDMETHODIMP DoFastShutdown() override { return S_OK; }
};

// A provider whose DoFastShutdown takes `t` (it sleeps: the benchmark's stand-in for saving).
class SlowProvider final : public mapishut::ComObject<SlowProvider, IMAPIProviderShutdown> {
 public:
  explicit SlowProvider(std::chrono::milliseconds t) : t_(t) {}
  STDMETHODIMP QueryFastShutdown() override { return S_OK; }
  STDMETHODIMP NotifyProcessShutdown() override { return S_OK; }
  STDMETHODIMP DoFastShutdown() override {
    std::this_thread::sleep_for(t_);
    return S_OK;
  }

 private:
  std::chrono::milliseconds t_;
};

// DoFastShutdown's time with S sessions, each holding one provider that takes `t` in it.
double DoSeconds(int sessions, std::chrono::milliseconds t) {
  std::vector<SlowProvider*> providers;
  std::vector<mapishut::ShutdownTarget> targets;
  for (int s = 0; s < sessions; ++s) {
    auto* p = new SlowProvider(t);
    providers.push_back(p);
    targets.push_back(mapishut::ShutdownTarget{static_cast<uint32_t>(s + 1), mapishut::ProviderKind::kStore, "slow",
                                               "slow.so", "[slow]", p->identity()});
  }
  mapishut::ShutdownCoordinator coordinator([&targets] { return targets; });
  if (coordinator.QueryFastShutdown() != S_OK || coordinator.NotifyProcessShutdown() != S_OK) std::abort();
  const auto start = Clock::now();
  if (coordinator.DoFastShutdown() != S_OK) std::abort();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto* p : providers) p->Release();
  return seconds;
}

struct Figures {
  double direct_ns = 0;       // per provider per phase
  double coordinator_ns = 0;  // per provider per phase, the whole sequence through the coordinator
  // Each phase alone, per provider: the first query also meets every provider (its entry, its
  // record, QueryInterface); notify is the bare phase; do also writes the exit record's line.
  double query_ns = 0, notify_ns = 0, do_ns = 0;
  double floor_ns = 0;  // a recorded call's floor: the virtual call, one clock read, the record's entry
  double query_floor_ns = 0;  // the floor plus QueryInterface and the provider's record entry made
  double do_floor_ns = 0;     // the floor plus the bare write of the exit record's bytes
};

// Writing `bytes` to a new file at `path` as the exit log is written (pieces of 64 KB, appended,
// no fsync), in ns; the text is not built, only written.
double BareWriteNs(const std::string& path, size_t bytes) {
  const std::string piece(64 * 1024, 'x');
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) std::abort();
  const auto start = Clock::now();
  for (size_t left = bytes; left > 0;) {
    const size_t n = std::min(left, piece.size());
    if (::write(fd, piece.data(), n) != static_cast<ssize_t>(n)) std::abort();
    left -= n;
  }
  const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  ::close(fd);
  return ns;
}

Figures Measure(int n) {
  std::vector<NoOpProvider*> providers;
  std::vector<mapishut::ShutdownTarget> targets;
  const mapishut::ProviderKind kinds[] = {mapishut::ProviderKind::kTransport, mapishut::ProviderKind::kAddressBook,
                                          mapishut::ProviderKind::kStore};
  for (int i = 0; i < n; ++i) {
    auto* p = new NoOpProvider();
    providers.push_back(p);
    // One session: the coordinator's own cost (sessions' threads are measured below). Names as
    // long as real ones (a library's path, a section's name): copying a target is not free.
    targets.push_back(mapishut::ShutdownTarget{1, kinds[i % 3], "No-op provider " + std::to_string(i),
                                               "/usr/lib/x86_64-linux-gnu/mapishut/providers/libnoop_provider.so",
                                               "NoOp Provider " + std::to_string(i), p->identity()});
  }
  Figures f;
  {
    std::vector<IMAPIProviderShutdown*> direct;
    for (auto* p : providers) direct.push_back(p);
    const auto start = Clock::now();
    for (auto* p : direct) p->QueryFastShutdown();
    for (auto* p : direct) p->NotifyProcessShutdown();
    for (auto* p : direct) p->DoFastShutdown();
    f.direct_ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count() / (3.0 * n);
    // The floor of a recorded call: the virtual call, the clock read that ends it (and starts
    // the next) and its entry appended to a record reserved beforehand; what no coordinator that
    // keeps the record can avoid.
    std::vector<mapishut::ProviderCallRecord> record;
    record.reserve(direct.size());
    const auto floor_start = Clock::now();
    auto at = floor_start;
    for (auto* p : direct) {
      mapishut::ProviderCallRecord call;
      call.step = mapishut::ShutdownStep::kNotifyProcessShutdown;
      call.started = at;
      call.hr = p->NotifyProcessShutdown();
      at = Clock::now();
      call.duration = at - call.started;
      record.push_back(std::move(call));
    }
    f.floor_ns = std::chrono::duration<double, std::nano>(Clock::now() - floor_start).count() / n;
    // The first contact's floor, for the query: the same call after QueryInterface, into the
    // provider's record entry made here (its names copied from its target, room for its calls).
    std::vector<mapishut::ProviderRecord> records;
    records.reserve(targets.size());
    std::vector<IMAPIProviderShutdown*> asked(targets.size());
    const auto query_start = Clock::now();
    at = query_start;
    for (size_t i = 0; i < targets.size(); ++i) {
      const mapishut::ShutdownTarget& t = targets[i];
      t.provider->QueryInterface(IID_IMAPIProviderShutdown, reinterpret_cast<void**>(&asked[i]));
      records.push_back(mapishut::ProviderRecord{t.session, t.kind, t.display_name, t.library, t.section, true, {}});
      records.back().calls.reserve(3);
      mapishut::ProviderCallRecord call;
      call.step = mapishut::ShutdownStep::kQueryFastShutdown;
      call.started = at;
      call.hr = asked[i]->QueryFastShutdown();
      at = Clock::now();
      call.duration = at - call.started;
      records.back().calls.push_back(std::move(call));
    }
    f.query_floor_ns = std::chrono::duration<double, std::nano>(Clock::now() - query_start).count() / n;
    for (auto* p : asked) p->Release();
  }
  {
    // Each exit writes its record (one JSON line for the N providers, exit_log.h) into a log of
    // its own: this one exit's line is measured, never the user's log or an earlier run's rewrite.
    const std::string scratch = getenv("XDG_STATE_HOME");  // main's
    const std::string state = scratch + "/exit-" + std::to_string(n);
    setenv("XDG_STATE_HOME", state.c_str(), 1);
    // The log exists and is empty, as after the first exit: creating its directory is not timed.
    std::filesystem::create_directories(state + "/mapishut");
    std::ofstream(state + "/mapishut/exits.log").flush();
    // As the subsystem's process runs it: sessions change only inside logons and logoffs.
    mapishut::ShutdownCoordinator coordinator([&targets] { return targets; },
                                              mapishut::ShutdownCoordinator::TargetChanges::kInsideActivities);
    const auto start = Clock::now();
    if (coordinator.QueryFastShutdown() != S_OK) std::abort();
    const auto notify_start = Clock::now();
    if (coordinator.NotifyProcessShutdown() != S_OK) std::abort();
    const auto do_start = Clock::now();
    if (coordinator.DoFastShutdown() != S_OK) std::abort();
    const auto end = Clock::now();
    const auto per_provider = [n](Clock::duration d) { return std::chrono::duration<double, std::nano>(d).count() / n; };
    f.coordinator_ns = per_provider(end - start) / 3.0;
    f.query_ns = per_provider(notify_start - start);
    f.notify_ns = per_provider(do_start - notify_start);
    f.do_ns = per_provider(end - do_start);
    // The exit wrote its record into the empty log: its bytes are the log's size.
    std::error_code size_error;
    const auto written = std::filesystem::file_size(state + "/mapishut/exits.log", size_error);
    if (size_error || written == 0) std::abort();  // the exit's record was not written
    // The do phase's floor: a recorded call, and the same number of bytes written to the log as
    // the exit writes them (in pieces of 64 KB, no fsync), without building the text.
    f.do_floor_ns = f.floor_ns + BareWriteNs(state + "/mapishut/bare.log", written) / n;

    std::error_code ec;
    std::filesystem::remove_all(state, ec);
    setenv("XDG_STATE_HOME", scratch.c_str(), 1);
  }
  for (auto* p : providers) p->Release();
  return f;
}

// Each figure the median of three exits of the same size: the first exit of a size also pays for
// memory touched for the first time (page faults cost 10-15 us on this project's virtual machines),
// which one run alone would show as noise of 3x.
Figures MedianOfThree(int n) {
  Figures runs[3] = {Measure(n), Measure(n), Measure(n)};
  Figures f;
  for (double Figures::*field : {&Figures::direct_ns, &Figures::coordinator_ns, &Figures::query_ns,
                                 &Figures::notify_ns, &Figures::do_ns, &Figures::floor_ns, &Figures::query_floor_ns,
                                 &Figures::do_floor_ns}) {
    f.*field = Median({runs[0].*field, runs[1].*field, runs[2].*field});
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const ScratchStateHome scratch;  // every exit below records itself: never in the user's log
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {10, 100, 1000, 10000, 100000};
  // Each phase against its own floor (Figures): "x floor" near 1 is a coordinator that adds
  // little to what keeping the record costs.
  std::printf("%10s %15s %20s %9s %7s %9s %12s %8s %10s %13s %8s %9s %10s %8s\n", "providers", "direct ns/call",
              "coordinator ns/call", "x direct", "growth", "query ns", "query floor", "x floor", "notify ns", "notify floor",
              "x floor", "do ns", "do floor", "x floor");
  double last = 0;
  for (int n : sizes) {
    const Figures f = MedianOfThree(n);
    const std::string growth = Growth(f.coordinator_ns, &last);
    std::printf("%10d %15.1f %20.1f %9.1f %7s %9.1f %12.1f %8.2f %10.1f %13.1f %8.2f %9.1f %10.1f %8.2f\n", n, f.direct_ns,
                f.coordinator_ns, f.coordinator_ns / f.direct_ns, growth.c_str(), f.query_ns, f.query_floor_ns,
                f.query_ns / f.query_floor_ns, f.notify_ns, f.floor_ns, f.notify_ns / f.floor_ns, f.do_ns, f.do_floor_ns,
                f.do_ns / f.do_floor_ns);
    std::fflush(stdout);
  }
  // Sessions are told concurrently: S sessions whose one provider takes t cost about t, not S x t.
  constexpr auto kT = std::chrono::milliseconds(50);
  std::printf("\n%10s %14s %10s\n", "sessions", "Do ms (t=50)", "x t");
  for (int sessions : {1, 4, 16, 64}) {
    const double seconds = DoSeconds(sessions, kT);
    std::printf("%10d %14.1f %10.2f\n", sessions, seconds * 1e3, seconds / std::chrono::duration<double>(kT).count());
    std::fflush(stdout);
  }
  // What starting a thread per session costs when the providers do nothing: N providers in one
  // session (no thread) against the same N, one per session (N - 1 threads), per provider.
  std::printf("\n%10s %22s %22s\n", "providers", "1 session ns/provider", "N sessions ns/provider");
  for (int n : {16, 64}) {
    std::vector<NoOpProvider*> providers;
    std::vector<mapishut::ShutdownTarget> one, many;
    for (int i = 0; i < n; ++i) {
      auto* p = new NoOpProvider();
      providers.push_back(p);
      one.push_back(mapishut::ShutdownTarget{1, mapishut::ProviderKind::kStore, "noop", "noop.so", "[noop]", p->identity()});
      many.push_back(mapishut::ShutdownTarget{static_cast<uint32_t>(i + 1), mapishut::ProviderKind::kStore, "noop", "noop.so",
                                              "[noop]", p->identity()});
    }
    double ns[2];
    for (int which = 0; which < 2; ++which) {
      const auto& targets = which == 0 ? one : many;
      mapishut::ShutdownCoordinator coordinator([&targets] { return targets; });
      if (coordinator.QueryFastShutdown() != S_OK || coordinator.NotifyProcessShutdown() != S_OK) std::abort();
      const auto start = Clock::now();
      if (coordinator.DoFastShutdown() != S_OK) std::abort();
      ns[which] = std::chrono::duration<double, std::nano>(Clock::now() - start).count() / n;
    }
    std::printf("%10d %22.0f %22.0f\n", n, ns[0], ns[1]);
    for (auto* p : providers) p->Release();
  }
  // The durable exit record written before DoFastShutdown answers (one line, no fsync), into a
  // log of its own.
  const ScratchStateHome state;
  std::printf("\n%10s %22s\n", "providers", "exit record us/exit");
  for (int n : {3, 30, 300}) {
    mapishut::ShutdownRecord record;
    for (int i = 0; i < n; ++i) {
      mapishut::ProviderRecord p;
      p.display_name = "provider " + std::to_string(i);
      p.library = "/usr/lib/mapishut/providers/libexample.so";
      for (auto step : {mapishut::ShutdownStep::kQueryFastShutdown, mapishut::ShutdownStep::kNotifyProcessShutdown,
                        mapishut::ShutdownStep::kDoFastShutdown}) {
        p.calls.push_back(mapishut::ProviderCallRecord{step, S_OK, mapishut::CallOutcome::kSucceeded, std::chrono::microseconds(50), 1, ""});
      }
      record.providers.push_back(p);
    }
    constexpr int kExits = 200;
    const auto start = Clock::now();
    for (int i = 0; i < kExits; ++i) {
      if (!mapishut::AppendExitRecord(record, "fast").ok()) std::abort();
    }
    std::printf("%10d %22.1f\n", n, std::chrono::duration<double, std::micro>(Clock::now() - start).count() / kExits);
  }
}
