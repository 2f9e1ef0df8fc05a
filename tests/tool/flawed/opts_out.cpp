// Flaw (or a deliberate choice): QueryFastShutdown answers MAPI_E_NO_SUPPORT, so under the
// default policy no client of this provider ever exits fast.
#include "flawed_transport.h"

namespace {
class OptsOut final : public flawed::Transport {
  HRESULT OnQueryFastShutdown() override { return MAPI_E_NO_SUPPORT; }
};
}  // namespace

FLAWED_TRANSPORT_ENTRY(OptsOut)
