// IMAPISession: a logon to one profile with its loaded providers. It answers
// QueryInterface(IID_IMAPIClientShutdown) with an object that speaks for the whole process.
#pragma once

#include <mapix.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "../shutdown/client_shutdown.h"
#include "loaded_provider.h"
#include "mapishut/com_object.h"

namespace mapishut {

class Process;

class Session final : public ComObject<Session, IMAPISession> {
 public:
  Session(Process* process, uint32_t number, std::string profile, std::vector<LoadedProvider> providers);

  // After a fast shutdown the session answers nothing, not even QueryInterface.
  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppvObj) override;
  MAPI_IMAPISESSION_METHODS(IMPL)

  uint32_t number() const { return number_; }
  // Every provider of this session while it is logged on (empty afterwards).
  std::vector<ShutdownTarget> Targets() const;
  // The normal shutdown of every provider; used by Logoff, by the last Release and by the
  // last MAPIUninitialize. Does nothing after a fast shutdown or when already logged off.
  HRESULT LogoffProviders();
  // The spooler's round: every store's outgoing queue to this session's transports.
  HRESULT DeliverOutgoing();
  // Called once when the session logs off, so the stores' spooler hook stops pointing here.
  void SetSpoolerHook(std::function<void()> detach) { detach_spooler_ = std::move(detach); }

 private:
  ~Session() override;
  IUnknown* QueryExtra(REFIID riid) override;
  void OnFinalRelease() override;
  // MAPI_E_END_OF_SESSION after a fast shutdown or Logoff, else S_OK.
  HRESULT Usable() const;
  LoadedProvider* FindStore(ULONG cb, LPENTRYID entry_id);

  Process* process_;
  const uint32_t number_;
  const std::string profile_;
  mutable std::mutex mutex_;
  bool logged_off_ = false;
  std::vector<LoadedProvider> providers_;
  std::function<void()> detach_spooler_;
  ClientShutdown client_shutdown_;
};

// The entry ID the session gives the n-th provider's store in GetMsgStoresTable.
std::vector<BYTE> StoreEntryId(uint32_t session, size_t provider_index);

}  // namespace mapishut
