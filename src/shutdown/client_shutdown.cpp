#include "client_shutdown.h"

#include <mapicode.h>

#include "mapishut/result.h"

namespace mapishut {

STDMETHODIMP ClientShutdown::QueryFastShutdown() {
  try {
    return coordinator_->QueryFastShutdown();
  }
  CATCH_RETURN();
}

STDMETHODIMP ClientShutdown::NotifyProcessShutdown() {
  try {
    return coordinator_->NotifyProcessShutdown();
  }
  CATCH_RETURN();
}

STDMETHODIMP ClientShutdown::DoFastShutdown() {
  try {
    return coordinator_->DoFastShutdown();
  }
  CATCH_RETURN();
}

}  // namespace mapishut
