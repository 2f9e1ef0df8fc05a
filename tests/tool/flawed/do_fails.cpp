// Flaw: DoFastShutdown fails (its save did not make it to disk), so no client can exit fast.
#include "flawed_transport.h"

namespace {
class DoFails final : public flawed::Transport {
  HRESULT OnDoFastShutdown() override { return MAPI_E_DISK_ERROR; }
};
}  // namespace

FLAWED_TRANSPORT_ENTRY(DoFails)
