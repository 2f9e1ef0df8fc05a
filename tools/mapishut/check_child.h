// `mapishut check`: what the child process of each run does, as a MAPI client of the generated
// profile "check". Each function reports on `fd` (check_run.h) and returns; the caller _exits.
#pragma once

#include <chrono>
#include <string>

#include "mapishut/policy.h"
#include "mapishut/provider_kind.h"

struct CheckSetup {
  std::string library;     // absolute path
  mapishut::ProviderKind kind = mapishut::ProviderKind::kTransport;
  std::string config_dir;  // mapisvc.inf and profiles.inf with the one profile "check"
  std::string state_dir;   // the runs' exit records, never the user's
  std::chrono::milliseconds deadline{5000};  // each provider call of the fast shutdown
  std::chrono::milliseconds watch{300};      // the window after NotifyProcessShutdown and after DoFastShutdown
  int messages = 10;                         // saved per durability run
};

// Logs on and runs the documented sequence under `policy`: QueryFastShutdown; on S_OK
// NotifyProcessShutdown (then the threads are watched), DoFastShutdown (then calls into MAPI are
// watched) and exit; otherwise the normal shutdown (Logoff, Release, MAPIUninitialize). Reports
// every step, the client's answers, the shutdown record, busy threads and late calls.
void RunSequence(const CheckSetup& setup, mapishut::FastShutdownBehavior policy, int fd);

// A store's run `run` (from 1): saves `messages` messages through MAPI, runs the fast sequence
// and reports "exit-now" the instant DoFastShutdown returns, to be killed there.
void RunSaveThenExitFast(const CheckSetup& setup, int run, int fd);

// Logs on again and reports, for each of the runs 1..`runs`, how many of its messages are there
// with every property intact.
void RunVerify(const CheckSetup& setup, int runs, int fd);
