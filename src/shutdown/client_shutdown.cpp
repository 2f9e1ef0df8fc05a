#include "client_shutdown.h"

#include <mapicode.h>
#include <mapiguid.h>

#include "mapishut/result.h"

namespace mapishut {

ClientShutdown::ClientShutdown(ShutdownCoordinator* coordinator, IUnknown* owner)
    : coordinator_(coordinator), owner_(owner) {}

ClientShutdown::~ClientShutdown() = default;

STDMETHODIMP ClientShutdown::QueryInterface(REFIID riid, LPVOID FAR* ppvObj) {
  if (ppvObj == nullptr) return MAPI_E_INVALID_PARAMETER;
  *ppvObj = nullptr;
  if (riid == IID_IUnknown || riid == IID_IMAPIClientShutdown) {
    AddRef();
    *ppvObj = static_cast<IMAPIClientShutdown*>(this);
    return S_OK;
  }
  return MAPI_E_INTERFACE_NOT_SUPPORTED;
}

STDMETHODIMP_(ULONG) ClientShutdown::AddRef() { return ++refs_; }

STDMETHODIMP_(ULONG) ClientShutdown::Release() {
  const ULONG left = --refs_;
  if (left == 0) {
    // After a fast shutdown Release tears nothing down: the session stays as it is.
    if (coordinator_->ended()) (void)owner_.detach();
    delete this;
  }
  return left;
}

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
