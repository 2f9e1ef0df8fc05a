#include "mapishut/client_exit.h"

#include <mapicode.h>
#include <mapiguid.h>

#include <cstdio>

#include "mapishut/com_ptr.h"
#include "mapishut/result.h"
#include "mapishut/subsystem.h"

namespace mapishut {
namespace {

void ShutDownNormally(const std::vector<IMAPISession*>& sessions, ExitDecision* d) {
  for (IMAPISession* s : sessions) {
    if (s == nullptr) continue;
    const HRESULT hr = s->Logoff(0, 0, 0);
    if (FAILED(hr) && hr != MAPI_E_END_OF_SESSION && !d->data_lost) {
      d->data_lost = true;
      d->lost = LastErrorMessage();
      d->why += "; data was lost: " + d->lost;
    }
  }
  MAPIUninitialize();
  d->performed_normal_shutdown = true;
}

}  // namespace

ExitDecision PrepareToExit(const std::vector<IMAPISession*>& sessions, const ExitOptions& options) {
  ExitDecision d;
  com_ptr<IMAPIClientShutdown> shutdown;
  if (sessions.empty() || sessions[0] == nullptr) {
    d.query = MAPI_E_INVALID_PARAMETER;
    d.why = "no session given";
    return d;
  }
  d.query = sessions[0]->QueryInterface(IID_IMAPIClientShutdown, reinterpret_cast<void**>(shutdown.put()));
  if (SUCCEEDED(d.query)) d.query = shutdown->QueryFastShutdown();
  if (d.query != S_OK) {
    d.why = "fast shutdown is not possible (QueryFastShutdown returned " + HexCode(d.query) + "): shutting down normally";
    shutdown.reset();
    if (options.shut_down_normally_if_needed) ShutDownNormally(sessions, &d);
    return d;
  }
  d.notify = shutdown->NotifyProcessShutdown();
  d.done = shutdown->DoFastShutdown();
  if (d.done == S_OK) {
    d.exit_now = true;
    d.why = "every provider saved its data: exit now, with no further MAPI call";
    return d;  // releasing `shutdown` is safe: after the end, Release tears nothing down
  }
  // A provider could not save in time. Its data is still in memory, and the normal shutdown
  // gives it its Shutdown call, so take the slow path rather than lose it.
  const std::string reason = LastErrorMessage();  // the provider's own words, from the record
  d.why = "DoFastShutdown returned " + HexCode(d.done) + (reason.empty() ? "" : " (" + reason + ")") +
          ": shutting down normally so no provider loses data";
  shutdown.reset();
  if (options.shut_down_normally_if_needed) ShutDownNormally(sessions, &d);
  return d;
}

}  // namespace mapishut
