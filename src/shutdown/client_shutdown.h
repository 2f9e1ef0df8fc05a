// IMAPIClientShutdown as a session hands it out through QueryInterface: a tear-off of the
// session (same COM identity and reference count, the same pointer each time) that forwards to
// the process's one coordinator: the client may ask any session, and all sessions are asked.
#pragma once

#include <mapidefs.h>

#include "coordinator.h"
#include "mapishut/com_object.h"

namespace mapishut {

class ClientShutdown final : public TearOff<IMAPIClientShutdown> {
 public:
  ClientShutdown(IUnknown* owner, ShutdownCoordinator* coordinator) : TearOff(owner), coordinator_(coordinator) {}

  MAPI_IMAPICLIENTSHUTDOWN_METHODS(IMPL)

 private:
  ShutdownCoordinator* coordinator_;
};

}  // namespace mapishut
