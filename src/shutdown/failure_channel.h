// The one channel for failures the subsystem notices (mapishut::FailureEvent): a failed MAPI call
// becomes the thread's LastErrorMessage(), a shutdown report a line of the record (the
// coordinator keeps those), and each is published once to the process's sink.
#pragma once

#include <source_location>
#include <string>

#include "mapishut/subsystem.h"

namespace mapishut {

// A MAPI call (`step`) failing with `hr`: `what` becomes this thread's LastErrorMessage(), the
// event is published, and `hr` is returned, so a call can `return FailCall(...)`.
HRESULT FailCall(HRESULT hr, std::string step, std::string what,
                 std::source_location where = std::source_location::current());

// Publishes an event kept elsewhere by its caller (the shutdown record); `where` is filled in.
void PublishFailure(FailureEvent event, std::source_location where = std::source_location::current());

std::string ThreadLastError();
void ClearThreadLastError();  // at the start of a call that reports through LastErrorMessage()
void SetThreadLastError(std::string what);  // for a failure already published (the record's)

}  // namespace mapishut
