#include "session.h"

#include <mapicode.h>
#include <mapiguid.h>
#include <mapitags.h>

#include <algorithm>
#include <cstring>

#include "mapishut/result.h"
#include "mapishut/row_table.h"
#include "address_book.h"
#include "process.h"
#include "provider_loader.h"
#include "spooler.h"
#include "../gate/gate.h"
#include "../shutdown/failure_channel.h"
#include "../shutdown/kept_until_exit.h"
#include "../shutdown/reentrancy.h"

namespace mapishut {
namespace {

// Marks entry IDs minted by the session for its stores ("mapishut session store").
constexpr BYTE kStoreIdMagic[16] = {'m', 'a', 'p', 'i', 's', 'h', 'u', 't', '-', 's', 't', 'o', 'r', 'e', 0, 1};
constexpr size_t kStoreIdSize = 4 + sizeof kStoreIdMagic + 4 + 4;

bool IsDefaultStore(const LoadedProvider& p) { return (p.config->resource_flags & STATUS_DEFAULT_STORE) != 0; }

}  // namespace

std::vector<BYTE> StoreEntryId(uint32_t session, size_t provider_index) {
  std::vector<BYTE> id(kStoreIdSize, 0);  // abFlags: 4 zero bytes, a long-term entry ID
  std::memcpy(id.data() + 4, kStoreIdMagic, sizeof kStoreIdMagic);
  const uint32_t index = static_cast<uint32_t>(provider_index);
  std::memcpy(id.data() + 20, &session, 4);
  std::memcpy(id.data() + 24, &index, 4);
  return id;
}

Session::Session(Process* process, uint32_t number, std::string profile, std::vector<LoadedProvider> providers)
    : process_(process),
      number_(number),
      profile_(std::move(profile)),
      providers_(std::move(providers)),
      client_shutdown_(identity(), &process->coordinator()) {}

Session::~Session() = default;

HRESULT Session::Usable() const {
  if (process_->ended()) return MAPI_E_END_OF_SESSION;
  std::lock_guard lock(mutex_);
  return logged_off_ ? MAPI_E_END_OF_SESSION : S_OK;
}

bool Session::BeginUse() {
  std::lock_guard lock(mutex_);
  if (logged_off_) return false;
  ++users_;
  return true;
}

void Session::EndUse() {
  std::lock_guard lock(mutex_);
  if (--users_ == 0) users_cv_.notify_all();
}

std::vector<ShutdownTarget> Session::Targets() const {
  std::lock_guard lock(mutex_);
  std::vector<ShutdownTarget> targets;
  if (logged_off_) return targets;
  for (const auto& p : providers_) targets.push_back(p.Target(number_));
  return targets;
}

HRESULT Session::LogoffProviders() {
  HRESULT torn_down = S_OK;
  const HRESULT hr = process_->coordinator().RunNormalShutdown([&] { torn_down = TearDown(); });
  return FAILED(hr) ? hr : torn_down;
}

HRESULT Session::TearDown() {
  std::vector<LoadedProvider> providers;
  {
    std::unique_lock lock(mutex_);
    if (logged_off_) return S_OK;
    logged_off_ = true;  // no new users from here on
    users_cv_.wait(lock, [&] { return users_ == 0; });
    providers = std::move(providers_);
    providers_.clear();
  }
  process_->RemoveSession(this);
  if (detach_spooler_) detach_spooler_();
  const ShutdownLoss loss = ShutdownProviders(providers, number_, process_->coordinator());
  if (FAILED(loss.hr)) return FailCall(loss.hr, "Logoff", "Logoff: " + loss.what);
  return loss.hr;
}

void Session::NoteTransportError(std::string why) {
  std::lock_guard lock(mutex_);
  transport_error_ = std::move(why);
}

HRESULT Session::DeliverOutgoing() {
  DeferralScope deferral;  // what providers defer during the round runs after EndUse below
  // A round is a client call into providers: not during or after DoFastShutdown's final save.
  const ClientCall call(process_->coordinator(), nullptr);
  RETURN_IF_FAILED_EXPECTED(call.hr());
  {
    std::lock_guard lock(mutex_);
    if (logged_off_) return MAPI_E_END_OF_SESSION;
    if (delivering_) {
      deliver_again_ = true;  // a provider asked from inside the round: one more round after it
      return S_OK;
    }
    delivering_ = true;
    ++users_;
  }
  HRESULT hr = S_OK;
  const std::string spooler = "the spooler of session " + std::to_string(number_);
  for (bool again = true; again;) {
    std::vector<IMsgStore*> stores;
    std::vector<IXPLogon*> transports;
    {
      std::lock_guard lock(mutex_);
      deliver_again_ = false;
      for (auto& p : providers_) {
        if (p.msg_store) stores.push_back(p.msg_store.get());
        if (IXPLogon* xp = p.transport_logon()) transports.push_back(xp);
      }
    }
    if (transports.empty()) {
      hr = MAPI_E_NO_SUPPORT;  // messages stay queued in their store
      break;
    }
    ProviderCallScope scope(&spooler);
    for (IMsgStore* store : stores) {
      const SpoolResult r = mapishut::DeliverOutgoing(store, transports);
      if (r.problems.empty()) continue;
      std::string why;
      {
        std::lock_guard lock(mutex_);
        why.swap(transport_error_);
      }
      // The client's call succeeded (the message is queued); the reason is its to read.
      (void)FailCall(MAPI_E_CALL_FAILED, "spooler", "spooler: " + r.problems.front() + (why.empty() ? "" : ": " + why));
    }
    std::lock_guard lock(mutex_);
    again = deliver_again_;
  }
  {
    std::lock_guard lock(mutex_);
    delivering_ = false;
  }
  EndUse();
  return hr;
}

STDMETHODIMP Session::QueryInterface(REFIID riid, LPVOID FAR* ppvObj) {
  if (ppvObj) *ppvObj = nullptr;
  if (process_->ended()) return MAPI_E_END_OF_SESSION;
  return ComObject::QueryInterface(riid, ppvObj);
}

IUnknown* Session::QueryExtra(REFIID riid) {
  return riid == IID_IMAPIClientShutdown ? static_cast<IMAPIClientShutdown*>(&client_shutdown_) : nullptr;
}

void Session::OnFinalRelease() {
  try {
    // From inside provider code (a provider releasing the client's session, or a phase running
    // on this thread) the session goes once the outermost call has returned (SPEC.md rule 5).
    if (InsideDeferralScope()) {
      Defer([this] { FinishRelease(); });
      return;
    }
    FinishRelease();
  } catch (...) {
    // Release returns to C code: nothing may escape. The session stays, reachable, to the exit.
    ReportFailure(HresultFromCaughtException(), "releasing a session", __FILE__, __LINE__);
    KeepUntilExit(identity());
  }
}

void Session::FinishRelease() {
  // After a fast shutdown nothing is torn down, the session included: the process is about to
  // exit, and freeing would race whatever still holds it.
  if (LogoffProviders() == MAPI_E_END_OF_SESSION && process_->ended()) {
    KeepUntilExit(identity());
    return;
  }
  delete this;  // a client that forgot Logoff still got its normal shutdown
}

STDMETHODIMP Session::GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* lppMAPIError) {
  if (lppMAPIError) *lppMAPIError = nullptr;
  return Usable();
}

STDMETHODIMP Session::GetMsgStoresTable(ULONG ulFlags, LPMAPITABLE FAR* lppTable) {
  try {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, lppTable == nullptr);
    *lppTable = nullptr;
    RETURN_IF_FAILED_EXPECTED(Usable());
    std::vector<TableRow> rows;
    {
      std::lock_guard lock(mutex_);
      // The default store is the one flagged STATUS_DEFAULT_STORE, else the first store.
      size_t default_index = providers_.size();
      for (size_t i = 0; i < providers_.size(); ++i) {
        if (providers_[i].config->kind != ProviderKind::kStore) continue;
        if (default_index == providers_.size() || (IsDefaultStore(providers_[i]) && !IsDefaultStore(providers_[default_index]))) {
          default_index = i;
        }
      }
      for (size_t i = 0; i < providers_.size(); ++i) {
        const LoadedProvider& p = providers_[i];
        if (p.config->kind != ProviderKind::kStore) continue;
        const bool is_default = i == default_index;
        const std::vector<BYTE> id = StoreEntryId(number_, i);
        rows.push_back(TableRow{
            TableValue::Binary(PR_ENTRYID, id), TableValue::Binary(PR_INSTANCE_KEY, id),
            TableValue::Binary(PR_RECORD_KEY, id), TableValue::String8(PR_DISPLAY_NAME_A, std::string(p.config->display_name())),
            TableValue::String8(PR_PROVIDER_DISPLAY_A, std::string(p.config->provider_display())),
            TableValue::Bool(PR_DEFAULT_STORE, is_default),
            TableValue::Long(PR_RESOURCE_FLAGS, static_cast<LONG>(p.config->resource_flags)),
            TableValue::Long(PR_OBJECT_TYPE, MAPI_STORE)});
      }
    }
    return HandOutOwnTable(std::move(rows), lppTable);
  }
  CATCH_RETURN();
}

HRESULT Session::HandOutOwnTable(std::vector<TableRow> rows, LPMAPITABLE* out) {
  LPMAPITABLE table = nullptr;
  RETURN_IF_FAILED(CreateStaticRowTable(std::move(rows), MAPIAllocateBuffer, MAPIAllocateMore, MAPIFreeBuffer, &table));
  // Behind the gate like any provider's table: after the end it answers MAPI_E_END_OF_SESSION.
  static const Gate gate = std::make_shared<GateContext>([] { return Process::Get().ended(); }, "the session's tables");
  return GateObject(gate, IID_IMAPITable, table, reinterpret_cast<void**>(out));
}

LoadedProvider* Session::FindStore(ULONG cb, LPENTRYID entry_id) {
  if (entry_id == nullptr || cb != kStoreIdSize) return nullptr;
  const BYTE* bytes = reinterpret_cast<const BYTE*>(entry_id);
  if (std::memcmp(bytes + 4, kStoreIdMagic, sizeof kStoreIdMagic) != 0) return nullptr;
  uint32_t session = 0, index = 0;
  std::memcpy(&session, bytes + 20, 4);
  std::memcpy(&index, bytes + 24, 4);
  if (session != number_ || index >= providers_.size()) return nullptr;
  LoadedProvider* p = &providers_[index];
  return p->config->kind == ProviderKind::kStore ? p : nullptr;
}

STDMETHODIMP Session::OpenMsgStore(ULONG_PTR, ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID, ULONG, LPMDB FAR* lppMDB) {
  try {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, lppMDB == nullptr);
    *lppMDB = nullptr;
    RETURN_IF_FAILED_EXPECTED(Usable());
    std::lock_guard lock(mutex_);
    LoadedProvider* store = FindStore(cbEntryID, lpEntryID);
    RETURN_HR_IF_EXPECTED(MAPI_E_INVALID_ENTRYID, store == nullptr);
    RETURN_HR_IF(MAPI_E_NOT_FOUND, !store->gated_store);
    store->gated_store.copy_to(lppMDB);  // the subsystem's own wrapper: no provider code here
    return S_OK;
  }
  CATCH_RETURN();
}

STDMETHODIMP Session::OpenAddressBook(ULONG_PTR, LPCIID, ULONG, LPADRBOOK FAR* lppAdrBook) {
  try {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, lppAdrBook == nullptr);
    *lppAdrBook = nullptr;
    RETURN_IF_FAILED_EXPECTED(Usable());
    *lppAdrBook = new AddressBook(com_ptr<Session>(this));  // the subsystem's own: no provider code here
    return S_OK;
  }
  CATCH_RETURN();
}

HRESULT Session::OpenAddressBookEntry(ULONG cb, LPENTRYID entry_id, LPCIID iid, ULONG flags, ULONG* object_type, LPUNKNOWN* out) {
  try {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, out == nullptr || object_type == nullptr);
    *out = nullptr;
    RETURN_IF_FAILED_EXPECTED(Usable());
    bool asked = false;
    HRESULT answer = MAPI_E_UNKNOWN_ENTRYID;  // no provider knows the entry, unless one says otherwise
    RETURN_IF_FAILED_EXPECTED(ForEachGated(&LoadedProvider::gated_ab_logon, [&](IABLogon* book) {
      asked = true;
      const HRESULT hr = book->OpenEntry(cb, entry_id, iid, flags, object_type, out);
      if (cb == 0 || SUCCEEDED(hr) || hr == MAPI_E_END_OF_SESSION) {
        answer = hr;  // the root is the first provider's; after the end, nobody's
        return true;
      }
      // A provider that does not know the entry is passed over; the first that failed otherwise
      // (its deadline, its disk) is the answer unless a later one opens it.
      const bool unknown = hr == MAPI_E_UNKNOWN_ENTRYID || hr == MAPI_E_NOT_FOUND || hr == MAPI_E_INVALID_ENTRYID;
      if (!unknown && answer == MAPI_E_UNKNOWN_ENTRYID) answer = hr;
      return false;
    }));
    if (!asked) return FailCall(MAPI_E_NOT_FOUND, "IAddrBook::OpenEntry", "profile '" + profile_ + "' has no address book provider");
    return answer;
  }
  CATCH_RETURN();
}

STDMETHODIMP Session::OpenProfileSection(LPMAPIUID, LPCIID, ULONG, LPPROFSECT FAR* lppProfSect) {
  if (lppProfSect) *lppProfSect = nullptr;
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::GetStatusTable(ULONG, LPMAPITABLE FAR* lppTable) {
  try {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, lppTable == nullptr);
    *lppTable = nullptr;
    RETURN_IF_FAILED_EXPECTED(Usable());
    // The subsystem and its spooler (both in this process, so available while it is logged on),
    // then each provider in profile order, with its MAPI resource type (ProviderKind's value).
    std::vector<TableRow> rows;
    auto add = [&rows](ULONG type, std::string display_name, std::string provider_display, std::string dll, LONG flags,
                       const ProviderStatus* status) {
      const LONG row = static_cast<LONG>(rows.size());
      const std::vector<BYTE> key(reinterpret_cast<const BYTE*>(&row), reinterpret_cast<const BYTE*>(&row) + sizeof row);
      rows.push_back(TableRow{
          TableValue::Long(PR_ROWID, row), TableValue::Binary(PR_INSTANCE_KEY, key),
          TableValue::Long(PR_OBJECT_TYPE, MAPI_STATUS), TableValue::Long(PR_RESOURCE_TYPE, static_cast<LONG>(type)),
          TableValue::String8(PR_DISPLAY_NAME_A, std::move(display_name)),
          TableValue::String8(PR_PROVIDER_DISPLAY_A, std::move(provider_display)),
          TableValue::String8(PR_PROVIDER_DLL_NAME_A, std::move(dll)), TableValue::Long(PR_RESOURCE_FLAGS, flags),
          TableValue::Long(PR_RESOURCE_METHODS, 0),  // no status object to call
          TableValue::Long(PR_STATUS_CODE, STATUS_AVAILABLE)});
      if (status) status->ApplyTo(&rows.back());  // what the provider said of itself
    };
    add(MAPI_SUBSYSTEM, "MAPI Subsystem", "mapishut", "libmapishut.so", 0, nullptr);
    add(MAPI_SPOOLER, "MAPI Spooler", "mapishut", "libmapishut.so", 0, nullptr);
    {
      std::lock_guard lock(mutex_);
      for (const LoadedProvider& p : providers_) {
        add(static_cast<ULONG>(p.config->kind), std::string(p.config->display_name()), std::string(p.config->provider_display()),
            std::string(p.config->dll_name()), static_cast<LONG>(p.config->resource_flags), p.status.get());
      }
    }
    return HandOutOwnTable(std::move(rows), lppTable);
  }
  CATCH_RETURN();
}

STDMETHODIMP Session::OpenEntry(ULONG cbEntryID, LPENTRYID lpEntryID, LPCIID lpInterface, ULONG ulFlags,
                                ULONG FAR* lpulObjType, LPUNKNOWN FAR* lppUnk) {
  try {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, lppUnk == nullptr || lpulObjType == nullptr);
    *lppUnk = nullptr;
    RETURN_IF_FAILED_EXPECTED(Usable());
    // A store's own entry ID opens the store; anything else is for the stores to resolve.
    LPMDB store = nullptr;
    if (SUCCEEDED(OpenMsgStore(0, cbEntryID, lpEntryID, lpInterface, ulFlags, &store))) {
      *lpulObjType = MAPI_STORE;
      *lppUnk = store;
      return S_OK;
    }
    HRESULT hr = MAPI_E_NOT_FOUND;
    RETURN_IF_FAILED_EXPECTED(ForEachGated(&LoadedProvider::gated_store, [&](IMsgStore* s) {
      if (FAILED(s->OpenEntry(cbEntryID, lpEntryID, lpInterface, ulFlags, lpulObjType, lppUnk))) return false;
      hr = S_OK;
      return true;
    }));
    return hr;
  }
  CATCH_RETURN();
}

STDMETHODIMP Session::CompareEntryIDs(ULONG cb1, LPENTRYID id1, ULONG cb2, LPENTRYID id2, ULONG, ULONG FAR* lpulResult) {
  RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, lpulResult == nullptr);
  RETURN_IF_FAILED_EXPECTED(Usable());
  *lpulResult = cb1 == cb2 && (cb1 == 0 || std::memcmp(id1, id2, cb1) == 0);
  return S_OK;
}

STDMETHODIMP Session::Advise(ULONG, LPENTRYID, ULONG, LPMAPIADVISESINK, ULONG_PTR FAR*) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::Unadvise(ULONG_PTR) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::MessageOptions(ULONG_PTR, ULONG, LPTSTR, LPMESSAGE) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::QueryDefaultMessageOpt(LPTSTR, ULONG, ULONG FAR*, LPSPropValue FAR*) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::EnumAdrTypes(ULONG, ULONG FAR*, LPTSTR FAR* FAR*) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::QueryIdentity(ULONG FAR*, LPENTRYID FAR*) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::Logoff(ULONG_PTR, ULONG, ULONG) {
  try {
    RETURN_IF_FAILED_EXPECTED(Usable());
    if (InsideDeferralScope()) {
      // Asked from inside provider code: done once the outermost provider call has returned.
      Defer([self = com_ptr<Session>(this)] { self->LogoffProviders(); });
      return S_OK;
    }
    return LogoffProviders();
  }
  CATCH_RETURN();
}

STDMETHODIMP Session::SetDefaultStore(ULONG, ULONG, LPENTRYID) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::AdminServices(ULONG, LPSERVICEADMIN FAR*) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::ShowForm(ULONG_PTR, LPMDB, LPMAPIFOLDER, LPCIID, ULONG_PTR, LPMESSAGE, ULONG, ULONG, ULONG, ULONG,
                               LPSTR) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

STDMETHODIMP Session::PrepareForm(LPCIID, LPMESSAGE, ULONG_PTR FAR*) {
  RETURN_IF_FAILED_EXPECTED(Usable());
  return MAPI_E_NO_SUPPORT;
}

}  // namespace mapishut
