// The client's exit in one call: the documented sequence (SPEC.md, "Best practices": query first;
// notify and do only on S_OK; otherwise shut down normally), so no client has to get it right
// by hand.
//
//   mapishut::ExitDecision d = mapishut::PrepareToExit(session.get());
//   if (d.exit_now) { session.detach(); std::_Exit(0); }   // no further MAPI call, not even Release
//   // else: d.performed_normal_shutdown says Logoff + MAPIUninitialize already ran; release and exit.
#pragma once

#include <mapix.h>

#include <string>
#include <vector>

namespace mapishut {

struct ExitOptions {
  // When fast shutdown is not possible, log off every given session and call MAPIUninitialize
  // (once for the client's MAPIInitialize). The client then releases its references.
  bool shut_down_normally_if_needed = true;
};

struct ExitDecision {
  bool exit_now = false;            // the process may exit at once, with no further MAPI call
  bool performed_normal_shutdown = false;
  HRESULT query = S_OK;             // IMAPIClientShutdown::QueryFastShutdown
  HRESULT notify = S_OK;            // NotifyProcessShutdown (not called when query failed)
  HRESULT done = S_OK;              // DoFastShutdown (not called when query failed)
  std::string why;                  // one sentence for people
  // The normal shutdown could not save everything providers had acknowledged (a full disk, a
  // failed write): `lost` names the provider, how much and why. Never set on the fast path,
  // where such a provider makes DoFastShutdown fail instead.
  bool data_lost = false;
  std::string lost;
};

// Runs the sequence through the IMAPIClientShutdown of `sessions[0]` (all sessions of the process
// are asked). `sessions` are the client's logged-on sessions; they are only logged off when the
// normal shutdown is needed and was asked for.
ExitDecision PrepareToExit(const std::vector<IMAPISession*>& sessions, const ExitOptions& options = {});
inline ExitDecision PrepareToExit(IMAPISession* session, const ExitOptions& options = {}) {
  return PrepareToExit(std::vector<IMAPISession*>{session}, options);
}

}  // namespace mapishut
