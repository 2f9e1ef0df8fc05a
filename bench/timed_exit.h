// One exit's three steps, timed: through the coordinator itself (coordinator_bench) or through a
// client's IMAPIClientShutdown (logon_bench). Every step must answer S_OK.
#pragma once

#include <mapidefs.h>

#include <chrono>
#include <cstddef>
#include <cstdlib>

// Each step's time per provider, in ns.
struct StepNs {
  double query = 0, notify = 0, do_ = 0;
};

// When each step of one exit began, and when the last ended.
struct PhaseTimes {
  std::chrono::steady_clock::time_point query, notify, do_, end;

  StepNs PerProvider(size_t providers) const {
    const auto ns = [providers](std::chrono::steady_clock::duration d) {
      return std::chrono::duration<double, std::nano>(d).count() / static_cast<double>(providers);
    };
    return StepNs{ns(notify - query), ns(do_ - notify), ns(end - do_)};
  }
};

// `exit`: anything with IMAPIClientShutdown's three methods.
template <typename Exit>
PhaseTimes RunExit(Exit& exit) {
  using Clock = std::chrono::steady_clock;
  PhaseTimes t;
  t.query = Clock::now();
  if (exit.QueryFastShutdown() != S_OK) std::abort();
  t.notify = Clock::now();
  if (exit.NotifyProcessShutdown() != S_OK) std::abort();
  t.do_ = Clock::now();
  if (exit.DoFastShutdown() != S_OK) std::abort();
  t.end = Clock::now();
  return t;
}
