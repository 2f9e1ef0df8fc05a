#include "client_shutdown.h"

#include <mapicode.h>

#include "failure_channel.h"
#include "reentrancy.h"
#include "mapishut/result.h"

namespace mapishut {
namespace {

// LastErrorMessage() is about the client's latest call. A provider calling back in from inside a
// provider call is refused, and leaves it about the client's own call, which runs that provider.
void BeginClientCall() {
  if (CurrentProviderCall() == nullptr) ClearThreadLastError();
}

}  // namespace

STDMETHODIMP ClientShutdown::QueryFastShutdown() {
  try {
    BeginClientCall();
    return coordinator_->QueryFastShutdown();
  }
  CATCH_RETURN();
}

STDMETHODIMP ClientShutdown::NotifyProcessShutdown() {
  try {
    BeginClientCall();
    return coordinator_->NotifyProcessShutdown();
  }
  CATCH_RETURN();
}

STDMETHODIMP ClientShutdown::DoFastShutdown() {
  try {
    BeginClientCall();
    return coordinator_->DoFastShutdown();
  }
  CATCH_RETURN();
}

}  // namespace mapishut
