// Flaw: DoFastShutdown takes longer than the slow threshold (it saves far more than changed), so
// every fast exit waits for it. The suite runs the check with a low --slow-ms.
#include <chrono>
#include <thread>

#include "flawed_transport.h"

namespace {
class SlowDo final : public flawed::Transport {
  HRESULT OnDoFastShutdown() override {
    std::this_thread::sleep_for(std::chrono::milliseconds(120));  // the flaw: a long save
    return S_OK;
  }
};
}  // namespace

FLAWED_TRANSPORT_ENTRY(SlowDo)
