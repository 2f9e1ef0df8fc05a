#include "reentrancy.h"

#include <vector>

#include "mapishut/result.h"

namespace mapishut {
namespace {

thread_local int t_depth = 0;
thread_local const ProviderName* t_provider = nullptr;
thread_local std::vector<std::function<void()>>* t_deferred = nullptr;

// Runs what was deferred, including work that the deferred work itself defers.
void RunDeferred() {
  while (t_deferred != nullptr && !t_deferred->empty()) {
    std::vector<std::function<void()>> batch;
    batch.swap(*t_deferred);
    // Runs outside every scope, like the call that was deferred would have; whatever it
    // defers in turn runs when its own scopes close, or in the next round of this loop.
    for (auto& work : batch) {
      try {
        work();
      } catch (...) {
        ReportFailure(HresultFromCaughtException(), "deferred work threw", __FILE__, __LINE__);
      }
    }
  }
  delete t_deferred;
  t_deferred = nullptr;
}

}  // namespace

DeferralScope::DeferralScope() { ++t_depth; }

DeferralScope::~DeferralScope() {
  if (--t_depth == 0) RunDeferred();
}

ProviderCallScope::ProviderCallScope(ProviderName provider) : provider_(provider), saved_(t_provider) { t_provider = &provider_; }

ProviderCallScope::~ProviderCallScope() { t_provider = saved_; }

bool InsideDeferralScope() { return t_depth > 0; }

void Defer(std::function<void()> work) {
  if (t_deferred == nullptr) t_deferred = new std::vector<std::function<void()>>();
  t_deferred->push_back(std::move(work));
}

std::vector<std::function<void()>> TakeDeferred() {
  std::vector<std::function<void()>> work;
  if (t_deferred != nullptr) work.swap(*t_deferred);
  return work;
}

const ProviderName* CurrentProviderCall() { return t_provider; }

}  // namespace mapishut
