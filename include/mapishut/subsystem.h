// mapishut's own knobs and read-outs for MAPI clients, next to the Microsoft API in mapix.h.
// Everything here is process-wide and safe to call from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mapishut/policy.h"
#include "mapishut/shutdown_record.h"

namespace mapishut {

// The directory holding mapisvc.inf and profiles.inf, overriding $MAPISHUT_CONFIG_DIR and the
// default search (docs/CONFIGURATION.md). "" restores the default. Takes effect at the next
// MAPILogonEx.
void SetConfigDirectory(const std::string& dir);

// The client's own default FastShutdownBehavior, used when the administrator set no valid value
// (SPEC.md: Outlook's default is 0; other clients may choose). nullopt: 0.
void SetClientDefaultBehavior(std::optional<FastShutdownBehavior> behavior);

// Where the policy comes from. nullptr restores the default: the registry sources of
// docs/POLICY.md, read again at every QueryFastShutdown.
void SetPolicyReader(std::shared_ptr<const PolicyReader> reader);

// An optional deadline for each provider's QueryFastShutdown, NotifyProcessShutdown and
// DoFastShutdown. A provider that overruns it is named in the record, its call counts as
// MAPI_E_TIMEOUT, and every other provider is still told. nullopt (the default): no deadline.
void SetProviderCallDeadline(std::optional<std::chrono::milliseconds> deadline);

// A copy of the shutdown record of this MAPI cycle, or of the last one (mapishut/shutdown_record.h).
ShutdownRecord GetShutdownRecord();

// The message of the last MAPI call that failed on this thread (MAPILogonEx names the profile,
// the provider, the library and dlerror()'s text here), or "" when it succeeded.
std::string LastErrorMessage();

// One failure the subsystem noticed. A failed MAPI call's event is that thread's
// LastErrorMessage(); a provider's failure during a shutdown is a line of the shutdown record's
// reports; both also reach the failure sink.
struct FailureEvent {
  std::string what;      // for people: what failed, with the file and the reason
  std::string provider;  // "\"Store\" (store provider [...], /path/lib.so)", or "" for the subsystem
  std::string step;      // the call or phase: "MAPILogonEx", "DoFastShutdown", "Logoff", ...
  std::string where;     // the place in mapishut's sources that noticed it, "file.cpp:123"
  HRESULT hr = S_OK;     // the code the caller got, or the provider's answer
};

// A provider must not call into MAPI after a completed DoFastShutdown (SPEC.md, "Best
// practices"): its IMAPISupport object then answers MAPI_E_END_OF_SESSION to every method, and
// the first such call of each provider logon is reported, as a line of the shutdown record's
// reports and as one event with this `step`, the provider named, `hr` MAPI_E_END_OF_SESSION and
// `what` naming the method ("IMAPISupport::NewUID"). Later calls of the same logon are refused
// without a report, so a provider's poller cannot flood the record. `mapishut check` counts these.
inline constexpr char kLateSupportCallStep[] = "IMAPISupport after DoFastShutdown";

// One sink per process (in libmapishut, whichever provider or thread the failure came from):
// called for every failure event, on the thread that noticed it, possibly while the subsystem
// holds its locks, like SQLite's error log callback: copy the event and return, and never call
// MAPI from it. An empty function removes the sink.
void SetFailureSink(std::function<void(const FailureEvent&)> sink);

}  // namespace mapishut
