// Flaw: DoFastShutdown answers a code it is not documented to return (MAPI_E_NOT_FOUND), which
// the subsystem must treat as a failure.
#include "flawed_transport.h"

namespace {
class UndocumentedAnswer final : public flawed::Transport {
  HRESULT OnDoFastShutdown() override { return MAPI_E_NOT_FOUND; }
};
}  // namespace

FLAWED_TRANSPORT_ENTRY(UndocumentedAnswer)
