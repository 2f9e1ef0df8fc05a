// mapishut's own knobs and read-outs for MAPI clients, next to the Microsoft API in mapix.h.
// Everything here is process-wide and safe to call from any thread.
#pragma once

#include <chrono>
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

// A copy of the process's shutdown record (mapishut/shutdown_record.h).
ShutdownRecord GetShutdownRecord();

// The message of the last MAPI call that failed on this thread (MAPILogonEx names the profile,
// the provider, the library and dlerror()'s text here), or "" when it succeeded.
std::string LastErrorMessage();

}  // namespace mapishut
