// The coordinator's own cost per provider per phase, and how it grows: N no-op providers (in this
// process, through the coordinator's TargetSource, as tests/subsystem/coordinator_test.cpp does)
// are asked, told and told to exit. The baseline is the same N virtual calls made directly, in
// the same run: what no coordinator can avoid.
//
// Usage: coordinator_bench [N...]   (default 10 100 1000 10000 100000)
#include <mapicode.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../src/shutdown/coordinator.h"
#include "mapishut/com_object.h"

namespace {

using Clock = std::chrono::steady_clock;

class NoOpProvider final : public mapishut::ComObject<NoOpProvider, IMAPIProviderShutdown> {
 public:
  STDMETHODIMP QueryFastShutdown() override { return S_OK; }
  STDMETHODIMP NotifyProcessShutdown() override { return S_OK; }
  STDMETHODIMP DoFastShutdown() override { return S_OK; }
};

struct Figures {
  double direct_ns = 0;       // per provider per phase
  double coordinator_ns = 0;  // per provider per phase, the whole sequence through the coordinator
};

Figures Measure(int n) {
  std::vector<NoOpProvider*> providers;
  std::vector<mapishut::ShutdownTarget> targets;
  const mapishut::ProviderKind kinds[] = {mapishut::ProviderKind::kTransport, mapishut::ProviderKind::kAddressBook,
                                          mapishut::ProviderKind::kStore};
  for (int i = 0; i < n; ++i) {
    auto* p = new NoOpProvider();
    providers.push_back(p);
    // Ten providers per session, as a large profile would have them.
    targets.push_back(mapishut::ShutdownTarget{static_cast<uint32_t>(i / 10 + 1), kinds[i % 3], "provider " + std::to_string(i),
                                               "noop.so", "[noop]", p->identity()});
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
  }
  {
    mapishut::ShutdownCoordinator coordinator([&targets] { return targets; });
    const auto start = Clock::now();
    if (coordinator.QueryFastShutdown() != S_OK || coordinator.NotifyProcessShutdown() != S_OK ||
        coordinator.DoFastShutdown() != S_OK) {
      std::abort();
    }
    f.coordinator_ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count() / (3.0 * n);
  }
  for (auto* p : providers) p->Release();
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {10, 100, 1000, 10000, 100000};
  std::printf("%10s %18s %22s %10s %10s\n", "providers", "direct ns/call", "coordinator ns/call", "x direct", "growth");
  double last = 0;
  for (int n : sizes) {
    const Figures f = Measure(n);
    char growth[32] = "-";
    if (last > 0) std::snprintf(growth, sizeof growth, "%.2fx", f.coordinator_ns / last);
    std::printf("%10d %18.1f %22.1f %10.1f %10s\n", n, f.direct_ns, f.coordinator_ns, f.coordinator_ns / f.direct_ns, growth);
    std::fflush(stdout);
    last = f.coordinator_ns;
  }
}
