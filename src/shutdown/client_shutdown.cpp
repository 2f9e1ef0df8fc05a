#include "client_shutdown.h"

#include <mapicode.h>

#include "failure_channel.h"
#include "reentrancy.h"
#include "mapishut/result.h"

namespace mapishut {

STDMETHODIMP ClientShutdown::QueryFastShutdown() {
  try {
    // LastErrorMessage() is about this call; from inside a provider call (refused) it stays about
    // the client's own call that runs the provider.
    if (CurrentProviderCall() == nullptr) ClearThreadLastError();
    return coordinator_->QueryFastShutdown();
  }
  CATCH_RETURN();
}

STDMETHODIMP ClientShutdown::NotifyProcessShutdown() {
  try {
    // LastErrorMessage() is about this call; from inside a provider call (refused) it stays about
    // the client's own call that runs the provider.
    if (CurrentProviderCall() == nullptr) ClearThreadLastError();
    return coordinator_->NotifyProcessShutdown();
  }
  CATCH_RETURN();
}

STDMETHODIMP ClientShutdown::DoFastShutdown() {
  try {
    // LastErrorMessage() is about this call; from inside a provider call (refused) it stays about
    // the client's own call that runs the provider.
    if (CurrentProviderCall() == nullptr) ClearThreadLastError();
    return coordinator_->DoFastShutdown();
  }
  CATCH_RETURN();
}

}  // namespace mapishut
