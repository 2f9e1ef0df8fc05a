// What happened at shutdown, for the client to read (mapishut::GetShutdownRecord() in
// mapishut/subsystem.h) and for people (mapishut demo; FormatShutdownRecord). One record per MAPI
// cycle, from the first MAPIInitialize to the last MAPIUninitialize: the fast shutdown attempt, if
// any, and every session's normal shutdown. It stays readable after the cycle ends, until the
// next cycle begins (the exit log keeps each cycle's line). It is kept whole once providers were
// told the process is shutting down, and when a call abandoned at its deadline still runs as the
// next cycle begins.
#pragma once

#include <mapidefs.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mapishut/policy.h"
#include "mapishut/provider_kind.h"

namespace mapishut {

enum class ShutdownStep {
  kQueryFastShutdown,      // IMAPIProviderShutdown::QueryFastShutdown
  kNotifyProcessShutdown,  // IMAPIProviderShutdown::NotifyProcessShutdown
  kDoFastShutdown,         // IMAPIProviderShutdown::DoFastShutdown
  kLogoff,                 // normal shutdown: IXPLogon::TransportLogoff / IABLogon::Logoff / IMSLogon::Logoff
  kShutdown,               // normal shutdown: IXPProvider/IABProvider/IMSProvider::Shutdown
  kRelease,                // normal shutdown: the last IUnknown::Release of the provider object
  kProviderInit,           // loading: XPProviderInit / ABProviderInit / MSProviderInit
  kLogon,                  // loading: IXPProvider::TransportLogon / IABProvider::Logon / IMSProvider::Logon
};
const char* ShutdownStepName(ShutdownStep step);

enum class CallOutcome {
  kSucceeded,     // S_OK
  kFailed,        // a failure code the call may return (see IsDocumentedAnswer in provider_call.h)
  kUndocumented,  // a code the method is not documented to return: treated as a failure
  kThrew,         // a C++ exception escaped the provider: treated as a failure
  kTimedOut,      // overran the per-call deadline: MAPI_E_TIMEOUT, treated as a failure
  kSkipped,       // not called (a call abandoned at its deadline had not returned)
};
const char* CallOutcomeName(CallOutcome outcome);

struct ProviderCallRecord {
  ShutdownStep step;
  HRESULT hr = S_OK;
  CallOutcome outcome = CallOutcome::kSucceeded;
  std::chrono::nanoseconds duration{0};
  unsigned long thread_id = 0;  // a stable small number per thread, for "on which thread"
  std::string note;             // why, for anything but kSucceeded
  // When the call began (the exit's timeline). Calls made one after another are timed back to
  // back, one clock read each: a call's start is the end of the one before it in its step, so the
  // little work between them (recording the one before) counts in its duration. A provider's
  // QueryFastShutdown also counts its QueryInterface when no deadline is set (docs/DECISIONS.md).
  std::chrono::steady_clock::time_point started{};
};

// How a provider is named: made once when it is loaded and shared, never copied, by its session,
// the coordinator and every record of it (an exit of thousands of providers copies no names).
struct ProviderNames {
  std::string display_name;
  std::string library;  // the path that was loaded
  std::string section;  // its section in mapisvc.inf
  // The three as the exit log writes them (`"name": "...", "library": "...", "section": "..."`),
  // escaped once, when made (MakeProviderNames): an exit of thousands of providers copies each
  // provider's names in one piece instead of scanning every name for what to escape. Empty in
  // names built by hand: the log then escapes them as it writes them. Set only by
  // MakeProviderNames; names changed after it would be logged as they were made.
  std::string json;
};
std::shared_ptr<const ProviderNames> MakeProviderNames(std::string display_name, std::string library, std::string section);
// The empty names of a provider nobody named (a record built by hand), shared by all of them.
const std::shared_ptr<const ProviderNames>& NoProviderNames();

struct ProviderRecord {
  uint32_t session = 0;  // logon order in the process, from 1 (not restarted by a new cycle)
  ProviderKind kind = ProviderKind::kStore;
  std::shared_ptr<const ProviderNames> names = NoProviderNames();  // never null
  bool has_shutdown_interface = false;  // answered QueryInterface(IID_IMAPIProviderShutdown)
  std::vector<ProviderCallRecord> calls;
};

struct ShutdownRecord {
  // The policy in force at the last QueryFastShutdown.
  FastShutdownBehavior behavior = FastShutdownBehavior::kUnlessOptedOut;
  std::string behavior_source;  // "policy.reg:7 (HKCU\...\16.0\...)", "client default", "built-in default"
  PolicyReading policy;         // everything the reader saw

  // Client calls and what they returned; nullopt when never called.
  std::optional<HRESULT> query_result;
  std::optional<HRESULT> notify_result;
  std::optional<HRESULT> do_result;
  bool ended = false;           // DoFastShutdown succeeded: no MAPI call reaches a provider any more
  std::string culprit;          // the first provider that made DoFastShutdown fail, if any

  std::vector<ProviderRecord> providers;
  std::vector<std::string> reports;  // misuse and anomalies, for people
};

// The record as text, one line per call, for people.
std::string FormatShutdownRecord(const ShutdownRecord& record);

}  // namespace mapishut
