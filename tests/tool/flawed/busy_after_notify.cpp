// Flaw: a background thread started at logon keeps computing after NotifyProcessShutdown; only
// the normal Shutdown stops it.
#include <atomic>
#include <thread>

#include "flawed_transport.h"

namespace {
class BusyAfterNotify final : public flawed::Transport {
 public:
  STDMETHODIMP Shutdown(ULONG FAR*) override {
    stop_ = true;
    if (worker_.joinable()) worker_.join();
    return S_OK;
  }

 private:
  void OnLogon() override {
    worker_ = std::thread([this] {
      volatile unsigned long spins = 0;
      while (!stop_) spins = spins + 1;
    });
  }
  std::atomic<bool> stop_{false};
  std::thread worker_;
};
}  // namespace

FLAWED_TRANSPORT_ENTRY(BusyAfterNotify)
