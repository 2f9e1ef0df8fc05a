// The offline address book (libmapishut_oab.so): an address list cached in SQLite, filled from
// a directory of vCards standing in for the server by a periodic download that is nonessential:
// NotifyProcessShutdown stops it (a running download stops between files); DoFastShutdown saves
// the cache and the sync position durably and returns only then.
#include <mapiguid.h>
#include <mapitags.h>

#include <atomic>
#include <filesystem>

#include "mapishut/mapi_error.h"
#include "mapishut/background_work.h"
#include "mapishut/com_object.h"
#include "mapishut/com_ptr.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/last_error.h"
#include "mapishut/logon_defaults.h"
#include "mapishut/profile_settings.h"
#include "mapishut/provider_base.h"
#include "mapishut/provider_props.h"
#include "mapishut/row_table.h"
#include "oab_cache.h"

namespace mapishut {
namespace {

struct AbState {
  std::unique_ptr<OabCache> cache;
  LPALLOCATEBUFFER allocate_buffer = nullptr;
  LPALLOCATEMORE allocate_more = nullptr;
  LPFREEBUFFER free_buffer = nullptr;
  std::atomic<bool> ended{false};
  bool saved = false;  // the normal shutdown's save succeeded: nothing can change after it
  // Why the last save of a shutdown step failed (DoFastShutdown's, Logoff's): the logon object's
  // GetLastError, which the subsystem asks when a step fails.
  LastError shutdown_error{"mapishut address book"};
  // Its support object, for its row of the status table: a download that stops says why there.
  com_ptr<IMAPISupport> support;
  bool download_failed = false;  // only the download's thread reads and writes it
  std::unique_ptr<BackgroundWork> work;  // the periodic download, Logon to Logoff; the last member

  // The download's outcome in the status table (IMAPISupport::ModifyStatusRow): a failure with
  // its reason (the file, the system's error), and available again once a download succeeds. No
  // client call waits for the download, so this is where a client or an administrator sees it.
  void ReportDownload(const Status& s) {
    if (s.code() == Status::Code::kAborted) return;  // stopped for the exit: nothing went wrong
    if (s.ok() && !download_failed) return;
    download_failed = !s.ok();
    SPropValue row[2] = {};
    row[0].ulPropTag = PR_STATUS_CODE;
    row[0].Value.l = static_cast<LONG>(s.ok() ? STATUS_AVAILABLE : STATUS_AVAILABLE | STATUS_FAILURE);
    const std::string text = s.ok() ? std::string() : "the address list download stopped: " + s.message();
    row[1].ulPropTag = PR_STATUS_STRING_A;
    row[1].Value.lpszA = const_cast<char*>(text.c_str());
    (void)support->ModifyStatusRow(2, row, STATUSROW_UPDATE);  // after the end it is refused: nothing to tell
  }

  // The normal shutdown's save, once: the download is drained first (a running one finishes its
  // file), so everything taken in is saved with the position. Logoff does it; Shutdown only when
  // Logoff did not, or failed.
  Status StopDownloadsAndSave() {
    if (work) work->Drain();
    work.reset();
    if (saved) return Status::Ok();
    const Status s = cache->Save();
    saved = s.ok();
    return s;
  }
};

class Container final : public ComObject<Container, ABContainerDefaults<IABContainer>> {
 public:
  explicit Container(std::shared_ptr<AbState> s) : s_(std::move(s)) {}
  STDMETHODIMP GetContentsTable(ULONG, LPMAPITABLE FAR* out) override {
    try {
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out);
      *out = nullptr;
      RETURN_HR_IF_EXPECTED(MAPI_E_END_OF_SESSION, s_->ended.load());
      RowTableOptions o;
      std::weak_ptr<AbState> weak = s_;
      o.rows = [weak] {
        std::vector<TableRow> rows;
        auto s = weak.lock();
        if (!s || s->ended || !s->cache) return rows;
        for (const auto& c : s->cache->Contacts()) {
          rows.push_back({TableValue::String8(PR_DISPLAY_NAME_A, c.name), TableValue::String8(PR_EMAIL_ADDRESS_A, c.email),
                          TableValue::String8(PR_ADDRTYPE_A, "SMTP"),
                          TableValue::Binary(PR_ENTRYID, std::vector<BYTE>(c.uid.begin(), c.uid.end()))});
        }
        return rows;
      };
      o.default_columns = {PR_DISPLAY_NAME_A, PR_EMAIL_ADDRESS_A, PR_ADDRTYPE_A, PR_ENTRYID};
      o.allocate_buffer = s_->allocate_buffer;
      o.allocate_more = s_->allocate_more;
      o.free_buffer = s_->free_buffer;
      return CreateRowTable(std::move(o), out);
    }
    CATCH_RETURN();
  }

 private:
  ~Container() override = default;
  std::shared_ptr<AbState> s_;
};

class AbLogon final : public ABLogonDefaults {
 public:
  explicit AbLogon(std::shared_ptr<AbState> s) : s_(std::move(s)) {}

  // A failed save is kept for GetLastError, which the subsystem asks.
  STDMETHODIMP Logoff(ULONG) override {
    try {
      if (!s_->cache || s_->ended) return S_OK;
      return s_->shutdown_error.Set(s_->StopDownloadsAndSave());
    }
    CATCH_RETURN();
  }
  STDMETHODIMP GetLastError(HRESULT hr, ULONG, LPMAPIERROR FAR* e) override {
    return s_->shutdown_error.Get(hr, s_->allocate_buffer, e);
  }

  STDMETHODIMP OpenEntry(ULONG cb, LPENTRYID, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !type || !out);
    *out = nullptr;
    RETURN_HR_IF_EXPECTED(MAPI_E_END_OF_SESSION, s_->ended.load());
    RETURN_HR_IF_EXPECTED(MAPI_E_NOT_FOUND, cb != 0);  // only the root container is addressable
    *type = MAPI_ABCONT;
    *out = static_cast<IABContainer*>(new Container(s_));
    return S_OK;
  }

 private:
  std::shared_ptr<AbState> s_;
};

class AddressBook final : public ProviderBase<IABProvider> {
 public:
  AddressBook(LPALLOCATEBUFFER a, LPALLOCATEMORE m, LPFREEBUFFER f) : s_(std::make_shared<AbState>()) {
    s_->allocate_buffer = a;
    s_->allocate_more = m;
    s_->free_buffer = f;
  }

  STDMETHODIMP Logon(LPMAPISUP support, ULONG_PTR, LPTSTR, ULONG, ULONG FAR* cb, LPBYTE FAR* sec, LPMAPIERROR FAR* err,
                     LPABLOGON FAR* out) override {
    try {
      if (cb) *cb = 0;
      if (sec) *sec = nullptr;
      if (err) *err = nullptr;
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !support || !out);
      *out = nullptr;
      const std::string cache = ReadProfileString(support, s_->free_buffer, PR_MAPISHUT_DATA_PATH);
      const std::string server = ReadProfileString(support, s_->free_buffer, PR_MAPISHUT_REMOTE_PATH);
      RETURN_HR_IF(MAPI_E_UNCONFIGURED, cache.empty() || server.empty());
      const LONG interval_ms = ReadProfileLong(support, s_->free_buffer, PR_MAPISHUT_POLL_INTERVAL, 60000);
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(cache).parent_path(), ec);
      const Status opened = OabCache::Open(cache, &s_->cache);
      if (!opened.ok()) return FailWithError(opened, "mapishut address book", s_->allocate_buffer, err);
      s_->support = com_ptr<IMAPISupport>(support);
      s_->work = std::make_unique<BackgroundWork>();
      // Downloading changes is nonessential: it stops the moment the process is shutting down.
      // The task holds the state by a plain pointer: the state owns the work, whose destruction
      // (first, being its last member) joins the task, so the task never outlives the state.
      s_->work->SchedulePeriodic("download address list", std::chrono::milliseconds(std::max<LONG>(interval_ms, 10)),
                                 [state = s_.get(), server](std::stop_token stop) {
                                   state->ReportDownload(state->cache->Refresh(server, stop));
                                 });
      s_->work->TriggerPeriodicNow("download address list");
      *out = new AbLogon(s_);
      return S_OK;
    }
    CATCH_RETURN();
  }

  // Saves only what Logoff did not (a logon never logged off, or a failed save: its reason went
  // with Logoff's answer).
  STDMETHODIMP Shutdown(ULONG FAR*) override {
    if (!s_->cache || s_->ended) return S_OK;
    const HRESULT hr = s_->StopDownloadsAndSave().ok() ? S_OK : MAPI_E_DISK_ERROR;
    s_->cache.reset();
    return hr;
  }

 private:
  void OnNotifyProcessShutdown() override {
    if (s_->work) s_->work->StopNonessential();
  }
  HRESULT OnDoFastShutdown() override {
    if (!s_->cache) return S_OK;
    if (s_->work) s_->work->WaitForNonessentialToStop();
    if (const Status saved = s_->cache->Save(); !saved.ok()) {
      return s_->shutdown_error.Set(saved.WithMessage("cannot save for a fast exit: " + saved.message()));
    }
    s_->ended = true;
    return S_OK;
  }

  std::shared_ptr<AbState> s_;
};

}  // namespace
}  // namespace mapishut

extern "C" __attribute__((visibility("default"))) STDINITMETHODIMP ABProviderInit(
    HINSTANCE, LPMALLOC, LPALLOCATEBUFFER lpAllocateBuffer, LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer,
    ULONG, ULONG ulMAPIVer, ULONG FAR* lpulProviderVer, LPABPROVIDER FAR* lppABProvider) {
  if (!lppABProvider) return MAPI_E_INVALID_PARAMETER;
  *lppABProvider = nullptr;
  RETURN_IF_FAILED(mapishut::CheckSpiVersion(ulMAPIVer, lpulProviderVer));
  try {
    *lppABProvider = new mapishut::AddressBook(lpAllocateBuffer, lpAllocateMore, lpFreeBuffer);
    return S_OK;
  }
  CATCH_RETURN();
}
