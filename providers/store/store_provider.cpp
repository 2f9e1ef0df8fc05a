// The SQLite message store provider (libmapishut_store.so): MSProviderInit, the provider object
// with its fast-shutdown hooks, and the logon that opens the store named by the profile.
//   notify: stop maintenance, start committing what is pending;
//   DoFastShutdown: S_OK only once everything acknowledged is committed (on stable storage);
//   Shutdown (normal): commit, run the maintenance that was postponed, checkpoint the WAL.
#include <mapitags.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <utility>

#include "mapishut/logon_defaults.h"
#include "mapishut/last_error.h"
#include "mapishut/mapi_error.h"
#include "mapishut/profile_settings.h"
#include "mapishut/provider_base.h"
#include "mapishut/provider_props.h"
#include "store_context.h"

namespace mapishut {
namespace {


class StoreLogon final : public MSLogonDefaults {
 public:
  explicit StoreLogon(std::shared_ptr<StoreContext> ctx) : ctx_(std::move(ctx)) {}
  STDMETHODIMP OpenEntry(ULONG cb, LPENTRYID eid, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    // No reason kept: the logon's GetLastError is the shutdown's, which an OpenEntry must not clear.
    return OpenStoreEntry(ctx_, cb, eid, type, out, nullptr);
  }
  // The normal shutdown's last chance to write what was acknowledged. When it cannot, the
  // subsystem is told why (GetLastError) and tells the client: nothing is lost quietly.
  STDMETHODIMP Logoff(ULONG FAR*) override {
    try {
      if (!ctx_->db || ctx_->ended) return S_OK;
      const Status flushed = ctx_->db->Flush();
      return ctx_->shutdown_error.Set(flushed.WithMessage("acknowledged changes will be lost: " + flushed.message()));
    }
    CATCH_RETURN();
  }
  STDMETHODIMP GetLastError(HRESULT hr, ULONG, LPMAPIERROR FAR* e) override {
    return ctx_->shutdown_error.Get(hr, ctx_->allocate_buffer, e);
  }

 private:
  std::shared_ptr<StoreContext> ctx_;
};

class StoreProvider final : public ProviderBase<IMSProvider> {
 public:
  StoreProvider(LPALLOCATEBUFFER a, LPALLOCATEMORE m, LPFREEBUFFER f) : ctx_(std::make_shared<StoreContext>()) {
    ctx_->allocate_buffer = a;
    ctx_->allocate_more = m;
    ctx_->free_buffer = f;
  }

  STDMETHODIMP Logon(LPMAPISUP support, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG FAR* cb, LPBYTE FAR* sec,
                     LPMAPIERROR FAR* err, LPMSLOGON FAR* logon, LPMDB FAR* mdb) override {
    try {
      if (cb) *cb = 0;
      if (sec) *sec = nullptr;
      if (err) *err = nullptr;
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !logon || !mdb || !support);
      *logon = nullptr;
      *mdb = nullptr;
      RETURN_HR_IF(MAPI_E_CALL_FAILED, ctx_->db != nullptr);  // one logon per provider object
      const std::string path = ReadProfileString(support, ctx_->free_buffer, PR_MAPISHUT_DATA_PATH);
      RETURN_HR_IF(MAPI_E_UNCONFIGURED, path.empty());
      ctx_->display_name = ReadProfileString(support, ctx_->free_buffer, PR_DISPLAY_NAME_A);
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
      MessageDbOptions options;
      // Read as unsigned: 3000000000 in a profile is a cap above SQLite's limit, not a negative one.
      options.max_value_size =
          static_cast<ULONG>(ReadProfileLong(support, ctx_->free_buffer, PR_MAPISHUT_MAX_VALUE_SIZE, 0));
      const Status opened = MessageDb::Open(path, &ctx_->db, options);
      if (!opened.ok()) return FailWithError(opened, "mapishut store", ctx_->allocate_buffer, err);
      support->AddRef();
      ctx_->support = support;
      RETURN_IF_FAILED(CreateMsgStoreObject(ctx_, mdb));
      *logon = new StoreLogon(ctx_);
      return S_OK;
    }
    CATCH_RETURN();
  }

  STDMETHODIMP SpoolerLogon(LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG, LPBYTE, LPMAPIERROR FAR*,
                            LPMSLOGON FAR*, LPMDB FAR*) override {
    return MAPI_E_NO_SUPPORT;
  }
  STDMETHODIMP CompareStoreIDs(ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2, ULONG, ULONG FAR* result) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !result);
    *result = cb1 == cb2 && (cb1 == 0 || std::memcmp(e1, e2, cb1) == 0);
    return S_OK;
  }

  STDMETHODIMP Shutdown(ULONG FAR*) override {
    try {
      if (!ctx_->db || ctx_->ended) return S_OK;
      HRESULT hr = ctx_->db->Flush().ok() ? S_OK : MAPI_E_DISK_ERROR;
      // The orderly work fast shutdown skips: the postponed maintenance and a WAL checkpoint.
      if (!ctx_->db->RunPostponedMaintenance().ok() || !ctx_->db->Checkpoint().ok()) hr = MAPI_E_DISK_ERROR;
      ctx_->db.reset();
      if (ctx_->support) std::exchange(ctx_->support, nullptr)->Release();
      return hr;
    }
    CATCH_RETURN();
  }

 private:
  void OnNotifyProcessShutdown() override {
    if (!ctx_->db) return;
    ctx_->db->StopMaintenance();
    ctx_->db->BeginFlush();
  }
  HRESULT OnDoFastShutdown() override {
    if (!ctx_->db) return S_OK;
    if (const Status flushed = ctx_->db->Flush(); !flushed.ok()) {
      return ctx_->shutdown_error.Set(flushed.WithMessage("cannot save for a fast exit: " + flushed.message()));
    }
    ctx_->ended = true;  // from here on no object of this store touches anything
    return S_OK;
  }

  std::shared_ptr<StoreContext> ctx_;
};

}  // namespace
}  // namespace mapishut

extern "C" __attribute__((visibility("default"))) STDINITMETHODIMP MSProviderInit(
    HINSTANCE, LPMALLOC, LPALLOCATEBUFFER lpAllocateBuffer, LPALLOCATEMORE lpAllocateMore, LPFREEBUFFER lpFreeBuffer,
    ULONG, ULONG ulMAPIVer, ULONG FAR* lpulProviderVer, LPMSPROVIDER FAR* lppMSProvider) {
  if (!lppMSProvider) return MAPI_E_INVALID_PARAMETER;
  *lppMSProvider = nullptr;
  RETURN_IF_FAILED(mapishut::CheckSpiVersion(ulMAPIVer, lpulProviderVer));
  try {
    *lppMSProvider = new mapishut::StoreProvider(lpAllocateBuffer, lpAllocateMore, lpFreeBuffer);
    return S_OK;
  }
  CATCH_RETURN();
}
