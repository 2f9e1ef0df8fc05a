// IMAPIFolder: a folder of the store (root, inbox, sent items): its contents table, new
// messages, and entry lookups.
#include <mapiguid.h>
#include <mapitags.h>

#include <algorithm>

#include "mapishut/com_object.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/mapi_error.h"
#include "mapishut/result.h"
#include "mapishut/row_table.h"
#include "store_context.h"

namespace mapishut {
namespace {

// Whether GetProps' `tags` ask for `tag` (null tags: every property).
bool AsksFor(LPSPropTagArray tags, ULONG tag) {
  return tags == nullptr || std::find(tags->aulPropTag, tags->aulPropTag + tags->cValues, tag) != tags->aulPropTag + tags->cValues;
}

class Folder final : public ComObject<Folder, MAPIFolderDefaults<IMAPIFolder>> {
 public:
  Folder(std::shared_ptr<StoreContext> ctx, int64_t id) : ctx_(std::move(ctx)), id_(id) {}

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
      std::vector<TableValue> mine = {
          TableValue::Binary(PR_ENTRYID, ctx_->EntryId(StoreContext::Kind::kFolder, id_)),
          TableValue::Long(PR_OBJECT_TYPE, MAPI_FOLDER), TableValue::Long(PR_FOLDER_TYPE, FOLDER_GENERIC)};
      // The count lists the whole folder (a second for a million messages, and it fails with a
      // damaged index): only for a caller that asks for it.
      if (AsksFor(tags, PR_CONTENT_COUNT)) {
        std::vector<ListedMessage> listed;
        RETURN_IF_FAILED_EXPECTED(last_error_.Set(ctx_->db->List(id_, &listed)));
        mine.push_back(TableValue::Long(PR_CONTENT_COUNT, static_cast<LONG>(listed.size())));
      }
      mine.push_back(TableValue::String8(PR_DISPLAY_NAME_A, id_ == MessageDb::kRootFolder    ? "Root"
                                                            : id_ == MessageDb::kInboxFolder ? "Inbox"
                                                                                             : "Sent Items"));
      return GetPropsFromValues(mine, tags, ctx_->allocate_buffer, ctx_->allocate_more, ctx_->free_buffer, count, out);
    }
    CATCH_RETURN();
  }

  STDMETHODIMP GetContentsTable(ULONG, LPMAPITABLE FAR* out) override {
    try {
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out);
      *out = nullptr;
      RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
      return CreateContentsTable(ctx_, id_, out);
    }
    CATCH_RETURN();
  }

  STDMETHODIMP OpenEntry(ULONG cb, LPENTRYID eid, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    return OpenStoreEntry(ctx_, cb, eid, type, out, &last_error_);
  }

  STDMETHODIMP CreateMessage(LPCIID, ULONG, LPMESSAGE FAR* out) override {
    try {
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out);
      *out = nullptr;
      RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
      StoredMessage m;
      m.id = ctx_->db->NewMessageId();
      m.folder = id_;
      return CreateMessageObject(ctx_, std::move(m), /*is_new=*/true, out);
    }
    CATCH_RETURN();
  }

  STDMETHODIMP DeleteMessages(LPENTRYLIST list, ULONG_PTR, LPMAPIPROGRESS, ULONG) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !list);
    RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
    for (ULONG i = 0; i < list->cValues; ++i) {
      StoreContext::Kind kind{};
      int64_t id = 0;
      if (ctx_->ParseEntryId(list->lpbin[i].cb, reinterpret_cast<LPENTRYID>(list->lpbin[i].lpb), &kind, &id) &&
          kind == StoreContext::Kind::kMessage) {
        ctx_->db->Delete(id);
      }
    }
    return S_OK;
  }

 private:
  ~Folder() override = default;
  std::shared_ptr<StoreContext> ctx_;
  int64_t id_;
  LastError last_error_{"mapishut store"};  // why the last call failed: a read of the damaged store
};

}  // namespace

HRESULT CreateFolderObject(const std::shared_ptr<StoreContext>& ctx, int64_t folder, LPMAPIFOLDER* out) {
  try {
    *out = new Folder(ctx, folder);
    return S_OK;
  }
  CATCH_RETURN();
}

HRESULT OpenStoreEntry(const std::shared_ptr<StoreContext>& ctx, ULONG cb, LPENTRYID eid, ULONG* type, LPUNKNOWN* out,
                       LastError* last_error) {
  try {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !type || !out);
    *out = nullptr;
    RETURN_IF_FAILED_EXPECTED(ctx->Usable());
    StoreContext::Kind kind = StoreContext::Kind::kFolder;
    int64_t id = MessageDb::kRootFolder;
    if (cb != 0 && !ctx->ParseEntryId(cb, eid, &kind, &id)) return MAPI_E_INVALID_ENTRYID;
    if (kind == StoreContext::Kind::kFolder) {
      RETURN_HR_IF_EXPECTED(MAPI_E_NOT_FOUND, id < MessageDb::kRootFolder || id > MessageDb::kSentFolder);
      *type = MAPI_FOLDER;
      return CreateFolderObject(ctx, id, reinterpret_cast<LPMAPIFOLDER*>(out));
    }
    if (kind == StoreContext::Kind::kMessage) {
      StoredMessage m;
      // Never a part of it (MessageDb::Load): a message opened with some of its properties would
      // lose the others at its next SaveChanges.
      if (const Status loaded = ctx->db->Load(id, &m); !loaded.ok()) {
        return last_error ? last_error->Set(loaded) : HresultFromStatus(loaded);
      }
      *type = MAPI_MESSAGE;
      return CreateMessageObject(ctx, std::move(m), /*is_new=*/false, reinterpret_cast<LPMESSAGE*>(out));
    }
    return MAPI_E_INVALID_ENTRYID;
  }
  CATCH_RETURN();
}

}  // namespace mapishut
