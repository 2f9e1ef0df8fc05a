#include "mapishut/shutdown_record.h"

#include <cstdio>
#include "mapishut/result.h"
#include "exit_log.h"

namespace mapishut {

const char* ShutdownStepName(ShutdownStep step) {
  switch (step) {
    case ShutdownStep::kQueryFastShutdown: return "QueryFastShutdown";
    case ShutdownStep::kNotifyProcessShutdown: return "NotifyProcessShutdown";
    case ShutdownStep::kDoFastShutdown: return "DoFastShutdown";
    case ShutdownStep::kLogoff: return "Logoff";
    case ShutdownStep::kShutdown: return "Shutdown";
    case ShutdownStep::kRelease: return "Release";
    case ShutdownStep::kProviderInit: return "the provider's entry point";
    case ShutdownStep::kLogon: return "Logon";
  }
  return "unknown";
}

const char* CallOutcomeName(CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::kSucceeded: return "succeeded";
    case CallOutcome::kFailed: return "failed";
    case CallOutcome::kUndocumented: return "undocumented answer";
    case CallOutcome::kThrew: return "threw";
    case CallOutcome::kTimedOut: return "timed out";
    case CallOutcome::kSkipped: return "skipped";
  }
  return "unknown";
}

namespace {

std::string Millis(std::chrono::nanoseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", std::chrono::duration<double, std::milli>(d).count());
  return buf;
}

std::string Optional(const std::optional<HRESULT>& hr) { return hr ? HexCode(*hr) : "not called"; }

}  // namespace

std::shared_ptr<const ProviderNames> MakeProviderNames(std::string display_name, std::string library, std::string section) {
  std::string json = ProviderNamesJson(display_name, library, section);
  return std::make_shared<const ProviderNames>(
      ProviderNames{std::move(display_name), std::move(library), std::move(section), std::move(json)});
}

const std::shared_ptr<const ProviderNames>& NoProviderNames() {
  static const auto* const none = new std::shared_ptr<const ProviderNames>(std::make_shared<const ProviderNames>());
  return *none;  // never destroyed: records may be made and dropped during the process's exit
}

std::string FormatShutdownRecord(const ShutdownRecord& r) {
  std::string out;
  out += "policy FastShutdownBehavior = " + std::to_string(static_cast<uint32_t>(r.behavior)) + " (" +
         BehaviorName(r.behavior) + "), from " + r.behavior_source + "\n";
  out += "client: QueryFastShutdown " + Optional(r.query_result) + ", NotifyProcessShutdown " +
         Optional(r.notify_result) + ", DoFastShutdown " + Optional(r.do_result) + "\n";
  for (const auto& p : r.providers) {
    out += "session " + std::to_string(p.session) + " " + ProviderKindName(p.kind) + " \"" + p.names->display_name + "\" [" +
           p.names->section + "] " + p.names->library + (p.has_shutdown_interface ? " (IMAPIProviderShutdown)" : " (no IMAPIProviderShutdown)") + "\n";
    for (const auto& c : p.calls) {
      out += "  " + std::string(ShutdownStepName(c.step)) + " -> " + HexCode(c.hr) + " " + CallOutcomeName(c.outcome) + " in " +
             Millis(c.duration) + " on thread " + std::to_string(c.thread_id) + (c.note.empty() ? "" : ": " + c.note) + "\n";
    }
  }
  if (!r.culprit.empty()) out += "fast shutdown failed because of " + r.culprit + "\n";
  for (const auto& line : r.reports) out += "report: " + line + "\n";
  if (r.ended) out += "fast shutdown complete: no MAPI call reaches a provider any more\n";
  return out;
}

}  // namespace mapishut
