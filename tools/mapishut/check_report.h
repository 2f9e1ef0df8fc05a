// `mapishut check`: what the runs of one provider showed, judged against the fast-shutdown
// contract, and the report for people (every flaw in words: what happened, what to do) or as JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "check_run.h"
#include "mapishut/provider_kind.h"

struct CheckLimits {
  double slow_ms = 500;   // a provider call over this is slow
  long deadline_ms = 0;   // each provider call of the fast shutdown
  long run_deadline_ms = 0;
  long watch_ms = 0;
};

struct Flaw {
  std::string id;    // stable, for scripts: "hang", "crash", "lost-data", ...
  std::string what;  // what happened
  std::string todo;  // what the provider's author should do
};

struct ProviderCheck {
  mapishut::ProviderKind kind = mapishut::ProviderKind::kTransport;
  int has_interface = -1;       // -1: never seen (the provider did not load)
  std::vector<std::string> facts;  // one line each, for people
  std::string json_runs;        // the runs as a JSON array
  std::vector<Flaw> flaws;      // one per kind of flaw, the first time it was seen
  void Add(Flaw f);
};

// One run of the documented sequence under FastShutdownBehavior `policy`.
void JudgeSequence(const ChildOutcome& run, int policy, const CheckLimits& limits, ProviderCheck* check);
// Durability run `run` of a store: the client killed at DoFastShutdown, then the reopen. True
// when every message of every run so far was there.
bool JudgeDurability(const ChildOutcome& saved, const ChildOutcome& verified, int run, const CheckLimits& limits,
                     ProviderCheck* check);

struct CheckReport {
  std::string library;
  std::vector<std::string> exports;  // entry points found
  std::vector<Flaw> flaws;           // the library's own: it cannot be loaded, exports nothing
  std::vector<ProviderCheck> providers;
  bool ready() const;
};

void PrintCheckReport(const CheckReport& report, std::ostream& out);
void PrintCheckJson(const CheckReport& report, std::ostream& out);
