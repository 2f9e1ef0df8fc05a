// The provider SDK's base: a provider object (IXPProvider, IABProvider or IMSProvider) that also
// implements IMAPIProviderShutdown on top of three hooks, so the best practices of SPEC.md are
// the easy path:
//
//   class MyStore final : public mapishut::ProviderBase<IMSProvider> {
//     HRESULT OnQueryFastShutdown() override { return S_OK; }         // or MAPI_E_NO_SUPPORT to opt out
//     void OnNotifyProcessShutdown() override { work_.StopNonessential(); writer_.StartFlush(); }
//     HRESULT OnDoFastShutdown() override { return writer_.FlushDurably(); }  // return only when saved
//     ... MAPI_IMSPROVIDER_METHODS ...
//   };
//
// The base is a ComObject answering both interfaces (one COM identity), turns exceptions from the
// hooks into MAPI_E_CALL_FAILED, runs DoFastShutdown's hook at most once, and notifies before
// saving when the subsystem skipped the notification.
#pragma once

#include <mapicode.h>
#include <mapidefs.h>
#include <mapiguid.h>
#include <mapispi.h>

#include <atomic>
#include <mutex>

#include "mapishut/com_object.h"
#include "mapishut/result.h"

namespace mapishut {

template <typename ProviderInterface>
class ProviderBase : public ComObject<ProviderBase<ProviderInterface>, ProviderInterface, IMAPIProviderShutdown> {
 public:
  STDMETHODIMP QueryFastShutdown() override {
    try {
      return OnQueryFastShutdown();
    }
    CATCH_RETURN();
  }
  STDMETHODIMP NotifyProcessShutdown() override {
    try {
      Notify();
      return S_OK;
    }
    CATCH_RETURN();
  }
  STDMETHODIMP DoFastShutdown() override {
    try {
      Notify();  // a provider must never save while still starting nonessential work
      std::lock_guard lock(save_mutex_);
      if (!saved_) {
        RETURN_IF_FAILED(OnDoFastShutdown());
        saved_ = true;
      }
      return S_OK;
    }
    CATCH_RETURN();
  }

  // True once the subsystem told this provider that the process is shutting down.
  bool shutdown_notified() const { return notified_.load(); }
  // True once everything was saved for a fast shutdown: the process may vanish at any moment.
  bool fast_shutdown_done() const {
    std::lock_guard lock(save_mutex_);
    return saved_;
  }

 protected:
  virtual ~ProviderBase() = default;
  // S_OK: this provider can be shut down fast. MAPI_E_NO_SUPPORT: it must never be.
  virtual HRESULT OnQueryFastShutdown() { return S_OK; }
  // Stop nonessential work (polling, downloading, compaction, indexing); start saving.
  virtual void OnNotifyProcessShutdown() {}
  // Finish saving everything accepted; return S_OK only when it is on stable storage.
  virtual HRESULT OnDoFastShutdown() = 0;

 private:
  void Notify() {
    if (!notified_.exchange(true)) OnNotifyProcessShutdown();
  }

  std::atomic<bool> notified_{false};
  mutable std::mutex save_mutex_;
  bool saved_ = false;
};

// The version handshake every entry point does: refuse an SPI of another major version, and
// report the one this provider was built for.
inline HRESULT CheckSpiVersion(ULONG ulMAPIVer, ULONG FAR* lpulProviderVer) {
  if (lpulProviderVer == nullptr) return MAPI_E_INVALID_PARAMETER;
  *lpulProviderVer = CURRENT_SPI_VERSION;
  return (ulMAPIVer >> 16) == (CURRENT_SPI_VERSION >> 16) ? S_OK : MAPI_E_VERSION;
}

}  // namespace mapishut
