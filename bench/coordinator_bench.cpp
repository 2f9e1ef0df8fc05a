// The coordinator's own cost per provider per phase, and how it grows: N no-op providers in one
// session (through the coordinator's TargetSource, as tests/subsystem/coordinator_test.cpp does)
// are asked, told and told to exit, each size in a child process of its own. The first table: the
// later exits of a size, on memory an earlier exit left, each phase against its floor measured in
// the same run (what no coordinator that keeps the record can avoid). The second: the first exit,
// on fresh memory, its page faults apart from the rest. Then: S
// sessions whose provider takes 50 ms in DoFastShutdown (told concurrently: about 50 ms, not
// S x 50), and what a thread per session costs when the providers do nothing.
//
// Usage: coordinator_bench [N...]   (default 10 100 1000 10000 100000)
#include <fcntl.h>
#include <malloc.h>
#include <mapicode.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../src/shutdown/coordinator.h"
#include "../src/shutdown/exit_log.h"
#include "mapishut/com_object.h"
#include "figures.h"
#include "fork_timer.h"
#include "page_faults.h"
#include "scratch_state.h"
#include "timed_exit.h"

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
    targets.push_back(mapishut::ShutdownTarget{static_cast<uint32_t>(s + 1), mapishut::ProviderKind::kStore,
                                               mapishut::MakeProviderNames("slow", "slow.so", "[slow]"), p->identity()});
  }
  mapishut::ShutdownCoordinator coordinator([&targets] { return targets; });
  if (coordinator.QueryFastShutdown() != S_OK || coordinator.NotifyProcessShutdown() != S_OK) std::abort();
  const auto start = Clock::now();
  if (coordinator.DoFastShutdown() != S_OK) std::abort();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto* p : providers) p->Release();
  return seconds;
}

// N no-op providers of one session, as the coordinator meets them through its TargetSource.
struct Providers {
  explicit Providers(int n) {
    // Made whole at once: vectors grown by doubling would leave their old buffers in the heap,
    // where the first exit would find memory already the process's.
    objects.reserve(n);
    targets.reserve(n);
    const mapishut::ProviderKind kinds[] = {mapishut::ProviderKind::kTransport, mapishut::ProviderKind::kAddressBook,
                                            mapishut::ProviderKind::kStore};
    for (int i = 0; i < n; ++i) {
      auto* p = new NoOpProvider();
      objects.push_back(p);
      // One session: the coordinator's own cost (sessions' threads are measured below). Names as
      // long as real ones (a library's path, a section's name), made once as a loaded provider's are.
      targets.push_back(mapishut::ShutdownTarget{
          1, kinds[i % 3],
          mapishut::MakeProviderNames("No-op provider " + std::to_string(i),
                                      "/usr/lib/x86_64-linux-gnu/mapishut/providers/libnoop_provider.so",
                                      "NoOp Provider " + std::to_string(i)),
          p->identity()});
    }
  }
  ~Providers() {
    for (auto* p : objects) p->Release();
  }
  Providers(const Providers&) = delete;
  Providers& operator=(const Providers&) = delete;

  std::vector<NoOpProvider*> objects;
  std::vector<mapishut::ShutdownTarget> targets;
};

// One exit through the coordinator: each phase's time per provider, the page faults taken while it
// was timed, and the bytes its record took in the exit log.
struct Exit {
  double query_ns = 0, notify_ns = 0, do_ns = 0;
  long faults = 0;
  uintmax_t log_bytes = 0;
  double whole_ns() const { return (query_ns + notify_ns + do_ns) / 3.0; }  // per provider per phase
};

Exit MeasureExit(const Providers& providers) {
  // Each exit writes its record (one JSON line for the N providers, exit_log.h) into a log of
  // its own: this one exit's line is measured, never the user's log or an earlier run's rewrite.
  const std::string scratch = getenv("XDG_STATE_HOME");  // main's
  const std::string state = scratch + "/exit-" + std::to_string(providers.targets.size());
  setenv("XDG_STATE_HOME", state.c_str(), 1);
  // The log exists and is empty, as after the first exit: creating its directory is not timed.
  std::filesystem::create_directories(state + "/mapishut");
  std::ofstream(state + "/mapishut/exits.log").flush();
  Exit exit;
  {
    // As the subsystem's process runs it: sessions change only inside logons and logoffs.
    const auto& targets = providers.targets;
    mapishut::ShutdownCoordinator coordinator([&targets] { return targets; },
                                              mapishut::ShutdownCoordinator::TargetChanges::kInsideActivities);
    const long faults_before = MinorFaults();
    const PhaseTimes t = RunExit(coordinator);
    exit.faults = MinorFaults() - faults_before;
    const StepNs per_provider = t.PerProvider(providers.targets.size());
    exit.query_ns = per_provider.query;
    exit.notify_ns = per_provider.notify;
    exit.do_ns = per_provider.do_;
  }
  // The exit wrote its record into the empty log: its bytes are the log's size.
  std::error_code size_error;
  exit.log_bytes = std::filesystem::file_size(state + "/mapishut/exits.log", size_error);
  if (size_error || exit.log_bytes == 0) std::abort();  // the exit's record was not written
  std::error_code ec;
  std::filesystem::remove_all(state, ec);
  setenv("XDG_STATE_HOME", scratch.c_str(), 1);
  return exit;
}

// Writing `bytes` to a new file in the state directory as the exit log is written (pieces of
// 64 KB, appended, no fsync), in ns; the text is not built, only written.
double BareWriteNs(size_t bytes) {
  const std::string path = std::string(getenv("XDG_STATE_HOME")) + "/bare.log";
  const std::string piece(64 * 1024, 'x');
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) std::abort();
  const auto start = Clock::now();
  for (size_t left = bytes; left > 0;) {
    const size_t n = std::min(left, piece.size());
    if (::write(fd, piece.data(), n) != static_cast<ssize_t>(n)) std::abort();
    left -= n;
  }
  const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  ::close(fd);
  ::unlink(path.c_str());
  return ns;
}

// What no coordinator that keeps the record can avoid, per provider.
struct Floors {
  double direct_ns = 0;  // the three phases' bare virtual calls, per provider per phase
  double notify_ns = 0;  // a recorded call: the virtual call, one clock read, the record's entry
  double query_ns = 0;   // the same plus QueryInterface and the provider's record entry made
};

Floors MeasureFloors(const Providers& providers) {
  const auto n = static_cast<double>(providers.objects.size());
  Floors f;
  std::vector<IMAPIProviderShutdown*> direct(providers.objects.begin(), providers.objects.end());
  const auto start = Clock::now();
  for (auto* p : direct) p->QueryFastShutdown();
  for (auto* p : direct) p->NotifyProcessShutdown();
  for (auto* p : direct) p->DoFastShutdown();
  f.direct_ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count() / (3.0 * n);
  // The floor of a recorded call: the virtual call, the clock read that ends it (and starts
  // the next) and its entry appended to a record reserved beforehand.
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
  f.notify_ns = std::chrono::duration<double, std::nano>(Clock::now() - floor_start).count() / n;
  // The first contact's floor, for the query: the same call after QueryInterface, into the
  // provider's record entry made here (its names shared with its target, room for its calls).
  std::vector<mapishut::ProviderRecord> records;
  records.reserve(providers.targets.size());
  std::vector<IMAPIProviderShutdown*> asked(providers.targets.size());
  const auto query_start = Clock::now();
  at = query_start;
  for (size_t i = 0; i < providers.targets.size(); ++i) {
    const mapishut::ShutdownTarget& t = providers.targets[i];
    t.provider->QueryInterface(IID_IMAPIProviderShutdown, reinterpret_cast<void**>(&asked[i]));
    records.push_back(mapishut::ProviderRecord{t.session, t.kind, t.names, true, {}});
    records.back().calls.reserve(3);
    mapishut::ProviderCallRecord call;
    call.step = mapishut::ShutdownStep::kQueryFastShutdown;
    call.started = at;
    call.hr = asked[i]->QueryFastShutdown();
    at = Clock::now();
    call.duration = at - call.started;
    records.back().calls.push_back(std::move(call));
  }
  f.query_ns = std::chrono::duration<double, std::nano>(Clock::now() - query_start).count() / n;
  for (auto* p : asked) p->Release();
  return f;
}

// A later exit and the floors measured just before it, in the same run: their ratios are taken
// within one run, never across runs of a machine whose speed moves from one to the next.
struct LaterRun {
  Floors floors;
  Exit exit;
  double do_floor_ns = 0;  // the notify floor plus the bare write of the exit record's bytes
};

LaterRun MeasureLaterRun(const Providers& providers) {
  LaterRun run;
  run.floors = MeasureFloors(providers);
  run.exit = MeasureExit(providers);
  // The do phase's floor: a recorded call, and the same number of bytes written to the log as
  // the exit writes them (in pieces of 64 KB, no fsync), without building the text.
  run.do_floor_ns = run.floors.notify_ns + BareWriteNs(run.exit.log_bytes) / providers.targets.size();
  return run;
}

// The figures of one size, per provider (per phase where it says so).
struct Figures {
  // The first exit of N providers, after an exit of one (the code is mapped in and the C library
  // set up): the memory that grows with N is memory the process never touched before, as at a
  // client's one real exit when its heap holds nothing the exit can reuse.
  Exit first;
  double first_fault_ns = 0;  // what as many bare page faults cost, per provider per phase
  // Later exits of the same size, on memory the first one left behind (the heap keeps what it
  // frees): the coordinator's own work. The run whose whole exit is the median of three.
  LaterRun later;
  long later_faults = 0;  // the most any of the three took: 0 when the heap kept what it freed
};

// Measured in a child process of its own (a size's figures never depend on the memory an
// earlier size left in the heap), whose heap keeps what it frees (mallopt): the first exit takes
// fresh memory, the later ones reuse it.
Figures MeasureSize(int n) {
  std::optional<Figures> figures = RunInChild([n] {
    // Freed memory stays in the heap: no trimming back to the system, no allocation of its own
    // mapping (up to 32 MB, the most mallopt allows; 100,000 providers' record is about 14 MB).
    // Whether it held is checked: the later exits' faults are printed when there are any.
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    {
      const Providers one(1);
      MeasureExit(one);
    }
    const Providers providers(n);
    Figures f;
    f.first = MeasureExit(providers);
    f.first_fault_ns = FaultSeconds(f.first.faults) * 1e9 / n / 3.0;
    // One run untimed: the first after the first exit was slower than the two after it in every
    // trial (memory freed by the first exit is found and split the first time).
    MeasureLaterRun(providers);
    LaterRun runs[3] = {MeasureLaterRun(providers), MeasureLaterRun(providers), MeasureLaterRun(providers)};
    std::sort(std::begin(runs), std::end(runs),
              [](const LaterRun& a, const LaterRun& b) { return a.exit.whole_ns() < b.exit.whole_ns(); });
    f.later = runs[1];
    for (const LaterRun& run : runs) f.later_faults = std::max(f.later_faults, run.exit.faults);
    return f;
  });
  if (!figures) {
    std::fprintf(stderr, "coordinator_bench: the child measuring %d providers died\n", n);
    std::exit(1);
  }
  return *figures;
}

}  // namespace

int main(int argc, char** argv) {
  const ScratchStateHome scratch;  // every exit below records itself: never in the user's log
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {10, 100, 1000, 10000, 100000};
  std::vector<Figures> figures;
  for (int n : sizes) figures.push_back(MeasureSize(n));
  // Each phase against its own floor: "x floor" near 1 is a coordinator that adds little to what
  // keeping the record costs.
  std::printf("%10s %15s %20s %9s %7s %9s %12s %8s %10s %13s %8s %9s %10s %8s\n", "providers", "direct ns/call",
              "coordinator ns/call", "x direct", "growth", "query ns", "query floor", "x floor", "notify ns", "notify floor",
              "x floor", "do ns", "do floor", "x floor");
  double last = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const Floors& floors = figures[i].later.floors;
    const Exit& exit = figures[i].later.exit;
    const double do_floor = figures[i].later.do_floor_ns;
    const double whole = exit.whole_ns();
    const std::string growth = Growth(whole, &last);
    std::printf("%10d %15.1f %20.1f %9.1f %7s %9.1f %12.1f %8.2f %10.1f %13.1f %8.2f %9.1f %10.1f %8.2f\n", sizes[i],
                floors.direct_ns, whole, whole / floors.direct_ns, growth.c_str(), exit.query_ns, floors.query_ns,
                exit.query_ns / floors.query_ns, exit.notify_ns, floors.notify_ns, exit.notify_ns / floors.notify_ns, exit.do_ns,
                do_floor, exit.do_ns / do_floor);
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (figures[i].later_faults > 0) {
      std::printf("note: a later exit of %d providers took %ld page faults: not all of its memory was the process's\n",
                  sizes[i], figures[i].later_faults);
    }
  }
  // The first exit: what a client's one real exit costs when none of that memory was the
  // process's before, split into the machine's price for fresh pages and the rest.
  std::printf("\n%10s %20s %7s %20s %20s %14s %12s\n", "providers", "first exit ns/call", "growth", "faults per provider",
              "as bare faults ns", "the rest ns", "x later exit");
  last = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    const Figures& f = figures[i];
    const double first = f.first.whole_ns();
    const std::string growth = Growth(first, &last);
    const double rest = first - f.first_fault_ns;
    std::printf("%10d %20.1f %7s %20.2f %20.1f %14.1f %12.2f\n", sizes[i], first, growth.c_str(),
                static_cast<double>(f.first.faults) / sizes[i], f.first_fault_ns, rest, rest / f.later.exit.whole_ns());
  }
  std::fflush(stdout);
  // Sessions are told concurrently: S sessions whose one provider takes t cost about t, not S x t.
  constexpr auto kT = std::chrono::milliseconds(50);
  std::printf("\n%10s %14s %10s\n", "sessions", "Do ms (t=50)", "x t");
  for (int sessions : {1, 4, 16, 64}) {
    const double seconds = DoSeconds(sessions, kT);
    std::printf("%10d %14.1f %10.2f\n", sessions, seconds * 1e3, seconds / std::chrono::duration<double>(kT).count());
    std::fflush(stdout);
  }
  // What a thread per session costs when the providers do nothing: N providers in one session
  // (no thread) against the same N, one per session (N - 1 threads), per provider. The threads
  // are started by the notify phase and told again by the do phase (SessionThreads). Each figure
  // the median of seven exits.
  std::printf("\n%10s %18s %18s %18s %18s\n", "providers", "1 session notify", "N sessions notify", "1 session do",
              "N sessions do");
  for (int n : {16, 64}) {
    std::vector<NoOpProvider*> providers;
    std::vector<mapishut::ShutdownTarget> one, many;
    for (int i = 0; i < n; ++i) {
      auto* p = new NoOpProvider();
      providers.push_back(p);
      const auto names = mapishut::MakeProviderNames("noop", "noop.so", "[noop]");
      one.push_back(mapishut::ShutdownTarget{1, mapishut::ProviderKind::kStore, names, p->identity()});
      many.push_back(mapishut::ShutdownTarget{static_cast<uint32_t>(i + 1), mapishut::ProviderKind::kStore, names, p->identity()});
    }
    double notify_ns[2], do_ns[2];  // per provider: [0] one session, [1] N sessions
    for (int which = 0; which < 2; ++which) {
      const auto& targets = which == 0 ? one : many;
      std::vector<double> notify_runs, do_runs;
      for (int run = 0; run < 7; ++run) {
        mapishut::ShutdownCoordinator coordinator([&targets] { return targets; });
        const PhaseTimes t = RunExit(coordinator);
        notify_runs.push_back(std::chrono::duration<double, std::nano>(t.do_ - t.notify).count() / n);
        do_runs.push_back(std::chrono::duration<double, std::nano>(t.end - t.do_).count() / n);
      }
      notify_ns[which] = Median(notify_runs);
      do_ns[which] = Median(do_runs);
    }
    std::printf("%10d %18.0f %18.0f %18.0f %18.0f\n", n, notify_ns[0], notify_ns[1], do_ns[0], do_ns[1]);
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
      p.names = mapishut::MakeProviderNames("provider " + std::to_string(i), "/usr/lib/mapishut/providers/libexample.so", "");
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
