// Flaw: DoFastShutdown crashes the process (SIGILL: a trap that sanitizers leave alone).
#include "flawed_transport.h"

namespace {
class DoCrashes final : public flawed::Transport {
  HRESULT OnDoFastShutdown() override { __builtin_trap(); }
};
}  // namespace

FLAWED_TRANSPORT_ENTRY(DoCrashes)
