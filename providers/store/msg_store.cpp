// IMsgStore: the store's root object, as a client reaches it through IMAPISession::OpenMsgStore.
#include <mapiguid.h>
#include <mapitags.h>

#include "mapishut/com_object.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/provider_props.h"
#include "mapishut/result.h"
#include "mapishut/row_table.h"
#include "store_context.h"

namespace mapishut {
namespace {

class MsgStore final : public ComObject<MsgStore, MsgStoreDefaults<IMsgStore>> {
 public:
  explicit MsgStore(std::shared_ptr<StoreContext> ctx) : ctx_(std::move(ctx)) {}

  STDMETHODIMP GetLastError(HRESULT hr, ULONG, LPMAPIERROR FAR* e) override {
    if (e) *e = nullptr;
    RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
    return last_error_.Get(hr, ctx_->allocate_buffer, e);
  }

  STDMETHODIMP GetProps(LPSPropTagArray tags, ULONG, ULONG FAR* count, LPSPropValue FAR* out) override {
    try {
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !count || !out);
      *out = nullptr;
      RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
      const std::vector<TableValue> mine = {
          TableValue::Binary(PR_ENTRYID, ctx_->EntryId(StoreContext::Kind::kStore, 0)),
          TableValue::Binary(PR_IPM_SUBTREE_ENTRYID, ctx_->EntryId(StoreContext::Kind::kFolder, MessageDb::kRootFolder)),
          TableValue::Long(PR_OBJECT_TYPE, MAPI_STORE), TableValue::String8(PR_DISPLAY_NAME_A, ctx_->display_name),
          TableValue::I8(PR_MAPISHUT_DURABLE_SEQ, static_cast<LONGLONG>(ctx_->db->DurableSeq())),
          TableValue::I8(PR_MAPISHUT_ACKED_SEQ, static_cast<LONGLONG>(ctx_->db->AckedSeq()))};
      return GetPropsFromValues(mine, tags, ctx_->allocate_buffer, ctx_->allocate_more, ctx_->free_buffer, count, out);
    }
    CATCH_RETURN();
  }

  STDMETHODIMP OpenEntry(ULONG cb, LPENTRYID eid, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    return OpenStoreEntry(ctx_, cb, eid, type, out, &last_error_);
  }

  STDMETHODIMP CompareEntryIDs(ULONG cb1, LPENTRYID e1, ULONG cb2, LPENTRYID e2, ULONG, ULONG FAR* result) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !result);
    *result = cb1 == cb2 && (cb1 == 0 || std::memcmp(e1, e2, cb1) == 0);
    return S_OK;
  }

  STDMETHODIMP GetReceiveFolder(LPTSTR, ULONG, ULONG FAR* cb, LPENTRYID FAR* eid, LPTSTR FAR* explicit_class) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !cb || !eid);
    if (explicit_class) *explicit_class = nullptr;
    RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
    return ctx_->CopyEntryId(ctx_->EntryId(StoreContext::Kind::kFolder, MessageDb::kInboxFolder), cb, eid);
  }

  STDMETHODIMP GetOutgoingQueue(ULONG, LPMAPITABLE FAR* out) override {
    try {
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out);
      RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
      std::vector<int64_t> queued;
      RETURN_IF_FAILED_EXPECTED(last_error_.Set(ctx_->db->Submitted(&queued)));
      std::vector<TableRow> rows;
      for (int64_t id : queued) {
        rows.push_back({TableValue::Binary(PR_ENTRYID, ctx_->EntryId(StoreContext::Kind::kMessage, id))});
      }
      return CreateStaticRowTable(std::move(rows), ctx_->allocate_buffer, ctx_->allocate_more, ctx_->free_buffer, out);
    }
    CATCH_RETURN();
  }

  STDMETHODIMP FinishedMsg(ULONG, ULONG cb, LPENTRYID eid) override {
    RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
    StoreContext::Kind kind{};
    int64_t id = 0;
    StoredMessage m;
    RETURN_HR_IF_EXPECTED(MAPI_E_INVALID_ENTRYID, !ctx_->ParseEntryId(cb, eid, &kind, &id) || kind != StoreContext::Kind::kMessage);
    RETURN_IF_FAILED_EXPECTED(last_error_.Set(ctx_->db->Load(id, &m)));
    m.submitted = false;
    m.folder = MessageDb::kSentFolder;
    ctx_->db->Save(std::move(m));
    return S_OK;
  }

  STDMETHODIMP StoreLogoff(ULONG FAR*) override { return S_OK; }

 private:
  ~MsgStore() override = default;
  std::shared_ptr<StoreContext> ctx_;
  LastError last_error_{"mapishut store"};  // why the last call failed: a read of the damaged store
};

}  // namespace

HRESULT CreateMsgStoreObject(const std::shared_ptr<StoreContext>& ctx, LPMDB* out) {
  try {
    *out = new MsgStore(ctx);
    return S_OK;
  }
  CATCH_RETURN();
}

}  // namespace mapishut
