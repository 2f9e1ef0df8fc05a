// IMAPISession: a logon to one profile with its loaded providers. It answers
// QueryInterface(IID_IMAPIClientShutdown) with a tear-off that speaks for the whole process.
//
// Locking: `mutex_` guards the provider list and the counters below it, never provider code.
// Methods that call providers copy what they need under the lock, count themselves as users,
// unlock and call; TearDown waits for the users to finish before it shuts providers down.
#pragma once

#include <mapix.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "../shutdown/client_shutdown.h"
#include "../shutdown/reentrancy.h"
#include "loaded_provider.h"
#include "mapishut/com_object.h"
#include "mapishut/row_table.h"

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
  // The normal shutdown of every provider, run as the coordinator's exclusive activity; used by
  // Logoff and by the last Release. MAPI_E_END_OF_SESSION after a fast shutdown.
  HRESULT LogoffProviders();
  // The normal shutdown itself; call only from inside ShutdownCoordinator::RunNormalShutdown
  // (or for a session no activity can see yet). Does nothing when already logged off. Returns
  // the first provider failure (and sets LastErrorMessage to it).
  HRESULT TearDown();
  // The spooler's round: every store's outgoing queue to this session's transports. A provider
  // asking for another round while one runs gets it after the current one.
  HRESULT DeliverOutgoing();
  // Why a transport could not take a message (its NOTIFY_CRITICAL_ERROR), for the spooler's report.
  void NoteTransportError(std::string why);
  // Called once when the session logs off, so the stores' spooler hook stops pointing here.
  void SetSpoolerHook(std::function<void()> detach) { detach_spooler_ = std::move(detach); }
  // AddRef unless the last reference is already gone (for the spooler hook, which does not own).
  bool TryRetain() { return TryAddRef(); }
  // IAddrBook::OpenEntry (address_book.h): offers the entry ID to each address book provider's
  // logon, through the gate, in profile order; an empty one opens the first one's root container.
  HRESULT OpenAddressBookEntry(ULONG cb, LPENTRYID entry_id, LPCIID iid, ULONG flags, ULONG* object_type, LPUNKNOWN* out);
  // MAPI_E_END_OF_SESSION after a fast shutdown or Logoff, else S_OK.
  HRESULT Usable() const;

 private:
  ~Session() override;
  IUnknown* QueryExtra(REFIID riid) override;
  void OnFinalRelease() override;
  void FinishRelease();
  // Counts a call that uses providers outside the lock; false once logged off.
  bool BeginUse();
  void EndUse();
  LoadedProvider* FindStore(ULONG cb, LPENTRYID entry_id);
  // A table the session makes itself (its stores, its status), handed out behind the gate.
  static HRESULT HandOutOwnTable(std::vector<TableRow> rows, LPMAPITABLE* out);
  // Calls `call` with each provider's gate wrapper held in `member` (its store, an address book's
  // logon), in profile order, until it answers true. The wrappers are copied under the lock and
  // called outside it, as a user of the session (copying a wrapper runs no provider code);
  // MAPI_E_END_OF_SESSION once logged off.
  template <typename Wrapper, typename Call>
  HRESULT ForEachGated(com_ptr<Wrapper> LoadedProvider::*member, Call call) {
    DeferralScope deferral;  // what a provider defers (a Logoff of this session) runs after EndUse
    if (!BeginUse()) return MAPI_E_END_OF_SESSION;
    const struct Using {
      Session* session;
      ~Using() { session->EndUse(); }  // on every path: a Logoff waits for the users to reach zero
    } using_session{this};
    std::vector<com_ptr<Wrapper>> gated;  // released before EndUse: the last references may be these
    {
      std::lock_guard lock(mutex_);
      for (auto& p : providers_) {
        if (p.*member) gated.push_back(p.*member);
      }
    }
    for (auto& g : gated) {
      if (call(g.get())) break;
    }
    return S_OK;
  }

  Process* process_;
  const uint32_t number_;
  const std::string profile_;
  mutable std::mutex mutex_;
  std::condition_variable users_cv_;
  bool logged_off_ = false;
  int users_ = 0;
  bool delivering_ = false;
  bool deliver_again_ = false;
  std::string transport_error_;  // the last NOTIFY_CRITICAL_ERROR's text, until reported
  std::vector<LoadedProvider> providers_;
  std::function<void()> detach_spooler_;
  ClientShutdown client_shutdown_;
};

// The entry ID the session gives the n-th provider's store in GetMsgStoresTable.
std::vector<BYTE> StoreEntryId(uint32_t session, size_t provider_index);

}  // namespace mapishut
