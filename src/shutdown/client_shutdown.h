// IMAPIClientShutdown as a session hands it out through QueryInterface. Every instance forwards
// to the process's one coordinator: the client may ask any session, and all sessions are asked.
#pragma once

#include <mapidefs.h>

#include <atomic>

#include "coordinator.h"

namespace mapishut {

class ClientShutdown final : public IMAPIClientShutdown {
 public:
  // `owner` is AddRef'd for the lifetime of this object (the session it came from).
  ClientShutdown(ShutdownCoordinator* coordinator, IUnknown* owner);

  MAPI_IUNKNOWN_METHODS(IMPL)
  MAPI_IMAPICLIENTSHUTDOWN_METHODS(IMPL)

 private:
  ~ClientShutdown();
  std::atomic<ULONG> refs_{1};
  ShutdownCoordinator* coordinator_;
  com_ptr<IUnknown> owner_;
};

}  // namespace mapishut
