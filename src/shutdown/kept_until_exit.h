// After a successful fast shutdown nothing is released: the process is about to exit, and a
// Release is a call into a provider. What the subsystem lets go of then (a provider's objects, a
// session, a provider whose call was abandoned at its deadline) is kept here, reachable until the
// process exits, which is what a fast exit means; leak checkers see it as the process's own. The
// same for what a client still held of a provider when its session logged off (gate.h, Close):
// that provider is shut down, and its library may be closed by the time the client lets go.
#pragma once

#include <mapidefs.h>

namespace mapishut {

void KeepUntilExit(IUnknown* object);

}  // namespace mapishut
