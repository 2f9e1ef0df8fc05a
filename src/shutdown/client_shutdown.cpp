#include "client_shutdown.h"

#include <mapicode.h>

#include "failure_channel.h"
#include "mapishut/result.h"

namespace mapishut {

STDMETHODIMP ClientShutdown::QueryFastShutdown() {
  try {
    ClearThreadLastError();  // LastErrorMessage() is about this call
    return coordinator_->QueryFastShutdown();
  }
  CATCH_RETURN();
}

STDMETHODIMP ClientShutdown::NotifyProcessShutdown() {
  try {
    ClearThreadLastError();  // LastErrorMessage() is about this call
    return coordinator_->NotifyProcessShutdown();
  }
  CATCH_RETURN();
}

STDMETHODIMP ClientShutdown::DoFastShutdown() {
  try {
    ClearThreadLastError();  // LastErrorMessage() is about this call
    return coordinator_->DoFastShutdown();
  }
  CATCH_RETURN();
}

}  // namespace mapishut
