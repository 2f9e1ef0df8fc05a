#include "check_report.h"

#include <mapicode.h>
#include <signal.h>
#include <string.h>

#include <cstdio>
#include <cstdlib>

#include "mapishut/text.h"

namespace {

using mapishut::JsonString;

const char* PolicyName(int policy) {
  return policy == 0 ? "unless opted out" : policy == 1 ? "only if all opted in" : "disabled";
}

// What an answer means for the step that gave it.
std::string Meaning(const std::string& step, const std::string& hex) {
  const HRESULT hr = static_cast<HRESULT>(std::strtoul(hex.c_str(), nullptr, 16));
  if (hr == S_OK) {
    if (step == "QueryFastShutdown") return "S_OK: allows fast shutdown";
    if (step == "DoFastShutdown") return "S_OK: everything is saved";
    return "S_OK";
  }
  if (hr == MAPI_E_NO_SUPPORT) {
    return step == "QueryFastShutdown" ? "MAPI_E_NO_SUPPORT: opts out, never fast-shut-down" : "MAPI_E_NO_SUPPORT";
  }
  if (hr == MAPI_E_TIMEOUT) return "MAPI_E_TIMEOUT: overran the deadline";
  if (hr == MAPI_E_CALL_FAILED) return "MAPI_E_CALL_FAILED: failed";
  if (hr == MAPI_E_DISK_ERROR) return "MAPI_E_DISK_ERROR: could not write, not saved";
  if (hr == MAPI_E_NOT_ENOUGH_DISK) return "MAPI_E_NOT_ENOUGH_DISK: the disk is full, not saved";
  if (hr == MAPI_E_NOT_ENOUGH_MEMORY) return "MAPI_E_NOT_ENOUGH_MEMORY";
  if (hr == MAPI_E_BUSY) return "MAPI_E_BUSY";
  if (hr == MAPI_E_END_OF_SESSION) return "MAPI_E_END_OF_SESSION: MAPI has ended";
  return "a failure";
}

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

bool IsShutdownStep(const std::string& step) {
  return step == "QueryFastShutdown" || step == "NotifyProcessShutdown" || step == "DoFastShutdown" || step == "Logoff" ||
         step == "Shutdown" || step == "Release";
}

// Crash, hang, or a run that could not log on: the flaw's name when the run says nothing more,
// else nullptr.
const char* JudgeDeath(const ChildOutcome& run, const std::string& when, const CheckLimits& limits, ProviderCheck* check) {
  for (const CheckLine& e : run.All("error")) {
    if (e.size() > 2 && e[1] == "logon") {
      check->Add({"load-failed", "MAPILogonEx failed " + when + ": " + e[2],
                  "make the entry point and its Logon succeed with this profile (docs/CONFIGURATION.md lists the settings)"});
      return "load-failed";
    }
  }
  if (run.signal != 0) {
    check->Add({"crash", "the process died of signal " + std::to_string(run.signal) + " (" + SignalName(run.signal) + ") in " +
                             run.last_step + " " + when,
                "run the provider under a debugger or a sanitizer; a provider must never take its client down"});
    return "crash";
  }
  if (run.overran) {
    check->Add({"hang", run.last_step + " did not return within " + std::to_string(limits.run_deadline_ms) + " ms " + when +
                            " (the process was killed)",
                "return from every call; on DoFastShutdown, save and return, never wait for work that may not come"});
    return "hang";
  }
  // A run that said what stopped it ("error") ended on purpose, not early.
  if (!run.finished && run.All("exit-now").empty() && run.All("error").empty()) {
    check->Add({"crash", "the process ended early in " + run.last_step + " " + when,
                "a provider must never end its client's process"});
    return "crash";
  }
  return nullptr;
}

std::string Fixed(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", v);
  return text;
}

}  // namespace

void ProviderCheck::Add(Flaw f) {
  for (const Flaw& seen : flaws) {
    if (seen.id == f.id) return;
  }
  flaws.push_back(std::move(f));
}

void JudgeSequence(const ChildOutcome& run, int policy, const CheckLimits& limits, ProviderCheck* check) {
  const std::string when = "under FastShutdownBehavior " + std::to_string(policy);
  std::vector<std::string> parts;  // the run's line, for people
  std::string json = "{\"policy\": " + std::to_string(policy) + ", \"calls\": [";
  const char* death = JudgeDeath(run, when, limits, check);
  const bool died = death != nullptr;
  // Under policy 2 nobody asks the provider for the interface, so only 0 and 1 can tell.
  for (const CheckLine& i : run.All("iface")) {
    if (policy != 2) check->has_interface = i.size() > 1 && i[1] == "1";
  }
  if (policy != 2 && check->has_interface == 0) {
    check->Add({"no-shutdown-interface",
                "the provider does not answer QueryInterface(IID_IMAPIProviderShutdown): under FastShutdownBehavior 1 no "
                "client can exit fast while it is loaded, and under 0 the process may end without it being told to save",
                "implement IMAPIProviderShutdown (mapishut::ProviderBase does, see docs/SDK.md)"});
  }
  if (policy == 2) parts.push_back("no provider asked");
  bool first = true;
  for (const CheckLine& c : run.All("call")) {
    if (c.size() < 6 || !IsShutdownStep(c[1])) continue;
    const std::string &step = c[1], &hr = c[2], &outcome = c[3];
    const double ms = std::atof(c[4].c_str());
    const bool slow = ms > limits.slow_ms;
    parts.push_back(step + " " + hr + " (" + Meaning(step, hr) + ") " + Fixed(ms) + " ms" + (slow ? " SLOW" : "") +
                    (outcome == "succeeded" ? "" : " [" + outcome + "]"));
    json += std::string(first ? "" : ", ") + "{\"step\": " + JsonString(step) + ", \"hr\": " + JsonString(hr) +
            ", \"meaning\": " + JsonString(Meaning(step, hr)) + ", \"outcome\": " + JsonString(outcome) +
            ", \"ms\": " + Fixed(ms) + ", \"slow\": " + (slow ? "true" : "false") + "}";
    first = false;
    const HRESULT code = static_cast<HRESULT>(std::strtoul(hr.c_str(), nullptr, 16));
    if (outcome == "timed out") {
      check->Add({"hang", step + " did not return within " + std::to_string(limits.deadline_ms) + " ms " + when +
                              " (the subsystem abandoned the call)",
                  "return from " + step + " promptly; save on NotifyProcessShutdown so DoFastShutdown only finishes"});
    } else if (step == "QueryFastShutdown" && code == MAPI_E_NO_SUPPORT) {
      check->Add({"opts-out", "QueryFastShutdown answered MAPI_E_NO_SUPPORT " + when +
                                  ": every client falls back to the slow normal shutdown while it is loaded",
                  "answer S_OK once the provider can save everything at DoFastShutdown (ignore this if opting out is deliberate)"});
    } else if (outcome == "undocumented answer") {
      check->Add({"undocumented-answer", step + " answered " + hr + ", a code it is not documented to return, " + when,
                  "answer S_OK, or a documented failure code"});
    } else if (outcome != "succeeded" && outcome != "skipped") {
      check->Add({"call-failed", step + " answered " + hr + " (" + Meaning(step, hr) + ") " + when +
                                     (c[5].empty() ? "" : ": " + c[5]),
                  step == "DoFastShutdown" ? "return S_OK from DoFastShutdown once everything accepted is on stable storage"
                                           : "make " + step + " succeed"});
    }
    if (slow) {
      check->Add({"slow", step + " took " + Fixed(ms) + " ms " + when + ", over the " + Fixed(limits.slow_ms) + " ms threshold",
                  "do the work earlier (save as data arrives, start at NotifyProcessShutdown) so the exit stays quick"});
    }
  }
  if (first) parts.push_back("no provider call");
  for (const CheckLine& c : run.All("client")) {
    if (c.size() > 2 && c[1] == "QueryFastShutdown" && c[2] != "0x00000000") {
      parts.push_back("the client was refused fast shutdown (" + c[2] + ")");
    }
  }
  json += "], \"busy_threads\": [";
  first = true;
  for (const CheckLine& b : run.All("busy")) {
    if (b.size() < 4) continue;
    const std::string what = "thread " + b[1] + " (" + b[2] + ") used " + b[3] + " ms of CPU in the " +
                             std::to_string(limits.watch_ms) + " ms after NotifyProcessShutdown returned " + when;
    json += std::string(first ? "" : ", ") + JsonString(what);
    first = false;
    check->Add({"busy-after-notify", what,
                "stop nonessential work (polling, downloading, indexing) in NotifyProcessShutdown; keep only saving"});
  }
  json += "], \"late_calls\": [";
  first = true;
  for (const CheckLine& l : run.All("late")) {
    if (l.size() < 2) continue;
    json += std::string(first ? "" : ", ") + JsonString(l[1]);
    first = false;
    check->Add({"late-mapi-call", l[1] + " " + when,
                "make no MAPI call after DoFastShutdown: stop the threads that use IMAPISupport before it returns"});
  }
  const bool fast = !run.All("late").empty() || (!run.All("client").empty() && run.All("client").back()[1] == "DoFastShutdown" &&
                                                 run.All("client").back()[2] == "0x00000000");
  parts.push_back(died ? death : fast ? "the client exits fast" : "normal shutdown");
  std::string fact = "policy " + std::to_string(policy) + " (" + PolicyName(policy) + "):";
  for (size_t i = 0; i < parts.size(); ++i) fact += (i ? "; " : " ") + parts[i];
  json += "], \"exit\": " + JsonString(died ? death : fast ? "fast" : "normal") + "}";
  check->facts.push_back(fact);
  check->json_runs += (check->json_runs.empty() ? "" : ", ") + json;
  if (!died && fast) {
    check->facts.push_back(std::string("  threads busy after NotifyProcessShutdown: ") + (run.All("busy").empty() ? "none" : "see below") +
                           "; MAPI calls after DoFastShutdown: " + (run.All("late").empty() ? "none" : "see below"));
  }
}

bool JudgeDurability(const ChildOutcome& saved, const ChildOutcome& verified, int run, const CheckLimits& limits,
                     ProviderCheck* check) {
  const std::string when = "in durability run " + std::to_string(run);
  if (JudgeDeath(saved, when, limits, check)) return false;  // an "error" line is no death: judged next
  for (const CheckLine& e : saved.All("error")) {
    check->Add({"store-unusable", e.back() + " " + when, "let a client reach the default store's inbox and save messages there"});
    return false;
  }
  const auto exit = saved.All("exit-now");
  if (exit.empty()) return false;  // Query refused: the policy runs judge that answer
  if (exit[0][1] != "0x00000000") {
    // It answered the empty store's DoFastShutdown but not this one, with messages to save.
    check->Add({"call-failed", "DoFastShutdown failed with messages just saved (the client got " + exit[0][1] + ", " +
                                   Meaning("DoFastShutdown", exit[0][1]) + ") " + when,
                "make DoFastShutdown save everything acknowledged and answer S_OK; a failure sends the client to a normal shutdown"});
    return false;
  }
  if (const double ms = exit[0].size() > 2 ? std::stod(exit[0][2]) : 0; ms > limits.slow_ms) {
    check->Add({"slow", "DoFastShutdown took " + Fixed(ms) + " ms with messages just saved, " + when +
                            ", over the " + Fixed(limits.slow_ms) + " ms threshold",
                "save only what changed since the last save, and keep it small enough to commit within the threshold"});
  }
  if (JudgeDeath(verified, "reopening " + when, limits, check)) return false;
  bool complete = !verified.All("verified").empty();
  for (const CheckLine& v : verified.All("verified")) {
    if (v.size() < 5 || v[2] == v[3]) continue;
    complete = false;
    check->Add({"lost-data", "run " + v[1] + ": " + v[2] + " of " + v[3] +
                                 " messages saved before DoFastShutdown were there after the SIGKILL the instant it returned" +
                                 (v[4].empty() ? "" : " (" + v[4] + ")") + (v[1] == std::to_string(run) ? "" : ", " + when),
                "acknowledge SaveChanges only for data you can make durable, and answer DoFastShutdown S_OK only once it is on "
                "stable storage (fsync)"});
  }
  return complete;
}

bool CheckReport::ready() const {
  if (!flaws.empty() || providers.empty()) return false;
  for (const auto& p : providers) {
    if (!p.flaws.empty()) return false;
  }
  return true;
}

void PrintCheckReport(const CheckReport& r, std::ostream& out) {
  out << "mapishut check " << mapishut::Printable(r.library) << "\n";
  out << "exports:";
  for (const auto& e : r.exports) out << " " << e;
  out << (r.exports.empty() ? " no provider entry point" : "") << "\n";
  for (const Flaw& f : r.flaws) out << "  flaw " << f.id << ": " << f.what << ".\n    What to do: " << f.todo << ".\n";
  size_t flaws = r.flaws.size();
  for (const ProviderCheck& p : r.providers) {
    const mapishut::ProviderKindInfo& kind = mapishut::DescribeKind(p.kind);
    out << "\n" << kind.name << " provider (" << kind.entry_point << "): " << (p.flaws.empty() ? "READY" : "NOT READY") << "\n";
    out << "  IMAPIProviderShutdown: " << (p.has_interface == 1 ? "present" : p.has_interface == 0 ? "absent" : "unknown") << "\n";
    for (const auto& fact : p.facts) out << "  " << fact << "\n";
    for (const Flaw& f : p.flaws) out << "  flaw " << f.id << ": " << f.what << ".\n    What to do: " << f.todo << ".\n";
    flaws += p.flaws.size();
  }
  out << "\n" << (r.ready() ? std::string("READY") : "NOT READY: " + std::to_string(flaws) + " flaw(s)") << "\n";
}

namespace {

std::string FlawsJson(const std::vector<Flaw>& flaws) {
  std::string json = "[";
  for (size_t i = 0; i < flaws.size(); ++i) {
    json += std::string(i ? ", " : "") + "{\"id\": " + JsonString(flaws[i].id) + ", \"what\": " + JsonString(flaws[i].what) +
            ", \"todo\": " + JsonString(flaws[i].todo) + "}";
  }
  return json + "]";
}

}  // namespace

void PrintCheckJson(const CheckReport& r, std::ostream& out) {
  out << "{\"library\": " << JsonString(r.library) << ", \"ready\": " << (r.ready() ? "true" : "false") << ", \"providers\": [";
  for (size_t i = 0; i < r.providers.size(); ++i) {
    const ProviderCheck& p = r.providers[i];
    out << (i ? ", " : "") << "{\"kind\": " << JsonString(mapishut::ProviderKindName(p.kind))
        << ", \"entry_point\": " << JsonString(mapishut::DescribeKind(p.kind).entry_point)
        << ", \"ready\": " << (p.flaws.empty() ? "true" : "false") << ", \"shutdown_interface\": "
        << (p.has_interface == 1 ? "true" : p.has_interface == 0 ? "false" : "null") << ", \"runs\": [" << p.json_runs
        << "], \"facts\": [";
    for (size_t f = 0; f < p.facts.size(); ++f) out << (f ? ", " : "") << JsonString(p.facts[f]);
    out << "], \"flaws\": " << FlawsJson(p.flaws) << "}";
  }
  out << "], \"flaws\": " << FlawsJson(r.flaws) << "}\n";
}
