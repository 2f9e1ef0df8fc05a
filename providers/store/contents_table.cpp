// A folder's contents table: any stored property as a column, sorted by one of them, read a page
// at a time. The folder is listed (ids and the sort value only) when the table is first read and
// again after any save or delete; each QueryRows then loads just the rows it returns, so paging
// through a folder of N messages costs N row reads, not N^2.
#include <mapitags.h>

#include <algorithm>

#include "mapishut/result.h"
#include "mapishut/row_table.h"
#include "prop_codec.h"
#include "store_context.h"

namespace mapishut {
namespace {

class ContentsSource final : public TableSource {
 public:
  ContentsSource(std::weak_ptr<StoreContext> ctx, int64_t folder) : ctx_(std::move(ctx)), folder_(folder) {}

  std::vector<ULONG> DefaultColumns() override { return {PR_ENTRYID, PR_INSTANCE_KEY, PR_OBJECT_TYPE}; }

  Status Count(ULONG* rows) override {
    auto ctx = ctx_.lock();
    if (!ctx || ctx->Usable() != S_OK) {
      ids_.clear();
      listed_ = false;
      *rows = 0;
      return Status::Ok();
    }
    // Every save and delete takes the next acknowledgement number: an unchanged number means an
    // unchanged folder, and the listing is reused.
    const uint64_t now = ctx->db->AckedSeq();
    if (!listed_ || now != listed_at_) {
      listed_ = false;  // until a listing is read whole
      ids_.clear();
      MAPISHUT_RETURN_IF_ERROR(Listing(*ctx->db, &ids_));
      listed_at_ = now;
      listed_ = true;
    }
    *rows = static_cast<ULONG>(ids_.size());
    return Status::Ok();
  }

  Status Prefetch(ULONG begin, ULONG end, const std::vector<ULONG>& columns) override {
    auto ctx = ctx_.lock();
    if (!ctx) return Status::Aborted("the store was closed");
    std::vector<uint16_t> stored;
    for (ULONG tag : columns) stored.push_back(static_cast<uint16_t>(PROP_ID(tag)));
    page_begin_ = begin;
    page_.clear();
    return ctx->db->LoadProps(std::vector<int64_t>(ids_.begin() + begin, ids_.begin() + end), stored, &page_);
  }

  HRESULT FillRow(ULONG row, const std::vector<ULONG>& columns, LPALLOCATEMORE more, void* parent,
                  SPropValue* props) override {
    auto ctx = ctx_.lock();
    if (!ctx) return MAPI_E_END_OF_SESSION;
    const int64_t id = ids_.at(row);
    const PropertyBytes& values = page_.at(row - page_begin_);  // deleted since the listing: none
    const auto eid = ctx->EntryId(StoreContext::Kind::kMessage, id);
    for (size_t c = 0; c < columns.size(); ++c) {
      const ULONG tag = columns[c];
      SPropValue* v = &props[c];
      if (PROP_ID(tag) == PROP_ID(PR_ENTRYID) || PROP_ID(tag) == PROP_ID(PR_INSTANCE_KEY)) {
        RETURN_IF_FAILED(DecodeProp(CHANGE_PROP_TYPE(tag, PT_BINARY), std::string(eid.begin(), eid.end()), more, parent, v));
      } else if (PROP_ID(tag) == PROP_ID(PR_OBJECT_TYPE)) {
        v->ulPropTag = PR_OBJECT_TYPE;
        v->Value.l = MAPI_MESSAGE;
      } else {
        RETURN_IF_FAILED(DecodeStoredProp(values, tag, more, parent, v));
      }
    }
    return S_OK;
  }

  HRESULT Sort(const std::vector<SSortOrder>& keys) override {
    if (keys.size() > 1) return MAPI_E_TOO_COMPLEX;  // one column, as message lists sort
    if (!keys.empty() && (keys[0].ulOrder & ~ULONG{TABLE_SORT_DESCEND}) != 0) return MAPI_E_TOO_COMPLEX;
    by_ = keys.empty() ? 0 : static_cast<uint16_t>(PROP_ID(keys[0].ulPropTag));
    descending_ = !keys.empty() && keys[0].ulOrder == TABLE_SORT_DESCEND;
    listed_ = false;
    return S_OK;
  }

 private:
  // The folder's ids in the table's order; equal values keep creation order, a message without
  // the value sorts as the lowest.
  Status Listing(MessageDb& db, std::vector<int64_t>* ids) const {
    std::vector<ListedMessage> listed;
    MAPISHUT_RETURN_IF_ERROR(db.List(folder_, &listed, by_));
    ids->reserve(listed.size());
    if (by_ == 0) {
      for (const auto& m : listed) ids->push_back(m.id);
      return Status::Ok();
    }
    std::vector<std::pair<std::string, int64_t>> keyed;
    keyed.reserve(listed.size());
    for (auto& m : listed) keyed.emplace_back(m.tag ? OrderKey(PROP_TYPE(m.tag), m.value) : std::string(), m.id);
    auto by_key = [this](const auto& a, const auto& b) { return descending_ ? b.first < a.first : a.first < b.first; };
    std::stable_sort(keyed.begin(), keyed.end(), by_key);  // listed in creation order: ties stay so
    for (const auto& [key, id] : keyed) ids->push_back(id);
    return Status::Ok();
  }

  std::weak_ptr<StoreContext> ctx_;  // the table may outlive the logon; it then has no rows
  const int64_t folder_;
  uint16_t by_ = 0;  // the sort column's property id; 0: creation order
  bool descending_ = false;
  bool listed_ = false;
  uint64_t listed_at_ = 0;  // the acknowledgement number the listing reflects
  std::vector<int64_t> ids_;
  ULONG page_begin_ = 0;              // the rows Prefetch read, for FillRow
  std::vector<PropertyBytes> page_;
};

}  // namespace

HRESULT CreateContentsTable(const std::shared_ptr<StoreContext>& ctx, int64_t folder, LPMAPITABLE* out) {
  try {
    return CreateSourceTable(std::make_unique<ContentsSource>(ctx, folder), ctx->allocate_buffer, ctx->allocate_more,
                             ctx->free_buffer, out);
  }
  CATCH_RETURN();
}

}  // namespace mapishut
