// The durable record of every exit, for administrators (`mapishut report`): one JSON line per
// exit appended to $XDG_STATE_HOME/mapishut/exits.log (else ~/.local/state/mapishut/exits.log),
// written as DoFastShutdown answers S_OK and when the last MAPIUninitialize finished the normal
// shutdown.
//
// Written with no fsync: a SIGKILL right after keeps the page cache, and the fast path pays no
// disk flush for a log. The line is built and written in pieces of 64 KB, under an exclusive
// flock so that two processes exiting at once never mix their lines. A line cut short (a power
// cut mid-write) has no newline: readers skip it and the next exit starts a line of its own.
// Bounded: when the file holds about twice the last 100 exits, it is rewritten with those 100
// through a temporary file and a rename.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "mapishut/exit_log.h"
#include "mapishut/shutdown_record.h"
#include "mapishut/status.h"

namespace mapishut {

// `exit` is "fast" or "normal"; `total` the exit's wall time (from QueryFastShutdown, or the
// normal shutdown's own).
Status AppendExitRecord(const ShutdownRecord& record, const char* exit, std::chrono::nanoseconds total = {});

// A provider's names as its part of the line holds them (ProviderNames::json).
std::string ProviderNamesJson(std::string_view display_name, std::string_view library, std::string_view section);

}  // namespace mapishut
