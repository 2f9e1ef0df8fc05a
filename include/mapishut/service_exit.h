// For services: a stop request takes the fast path. SIGTERM (what systemd, Docker and init
// scripts send) or RequestStop() from code wakes a thread of mapishut's, which runs the exit
// sequence (PrepareToExit: query, notify, do; the normal shutdown otherwise) outside the signal
// handler, then ends the process: at once when the fast path succeeded, after the normal shutdown
// otherwise. Under systemd (NOTIFY_SOCKET set) it tells the manager STOPPING=1 and, while the
// providers still work, extends the stop timeout (EXTEND_TIMEOUT_USEC), as sd_notify(3) describes.
//
//   mapishut::InstallStopHandler(session.get());   // after logon; then serve as usual
#pragma once

#include <mapix.h>

#include <chrono>
#include <functional>
#include <string_view>

#include "mapishut/client_exit.h"
#include "mapishut/status.h"

namespace mapishut {

struct StopOptions {
  // How often the stop timeout is extended while the exit sequence runs, and by twice as much
  // each time: a provider that is still saving is never cut off by the service manager.
  std::chrono::milliseconds extend_every{1000};
  // Called with the decision just before the process ends (to log it); must not call MAPI.
  std::function<void(const ExitDecision&)> before_exit;
};

// Installs the SIGTERM handler and starts the thread that waits for a stop. `session` is the
// service's logged-on session (it stays the caller's; the exit sequence logs it off only when
// the fast path is not possible). Call once per process.
Status InstallStopHandler(IMAPISession* session, StopOptions options = {});

// The same as SIGTERM, from code (a control command, a test).
void RequestStop();

// Sends one sd_notify(3) state line ("READY=1", "STOPPING=1", ...) to $NOTIFY_SOCKET; does
// nothing when the variable is unset (not under systemd).
Status NotifyServiceManager(std::string_view state);

}  // namespace mapishut
