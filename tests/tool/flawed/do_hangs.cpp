// Flaw: DoFastShutdown never returns (it waits for something that never comes).
#include <future>

#include "flawed_transport.h"

namespace {
class DoHangs final : public flawed::Transport {
  HRESULT OnDoFastShutdown() override {
    never_.get_future().wait();
    return S_OK;
  }
  std::promise<void> never_;
};
}  // namespace

FLAWED_TRANSPORT_ENTRY(DoHangs)
