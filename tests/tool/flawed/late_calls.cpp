// Flaw: a thread started at DoFastShutdown keeps calling into MAPI (IMAPISupport::NewUID) until
// MAPI refuses, so it makes a call after DoFastShutdown returned.
#include <thread>

#include "flawed_transport.h"

namespace {
class LateCalls final : public flawed::Transport {
  HRESULT OnDoFastShutdown() override {
    std::thread([support = mapishut::com_ptr<IMAPISupport>(support())] {
      MAPIUID uid;
      while (support->NewUID(&uid) == S_OK) {
      }
    }).detach();
    return S_OK;
  }
};
}  // namespace

FLAWED_TRANSPORT_ENTRY(LateCalls)
