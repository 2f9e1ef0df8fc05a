// IMessage over the store engine: properties live in the object until SaveChanges, which hands
// the whole set to the engine (acknowledged at once, committed by the writer).
#include <mapiguid.h>
#include <mapitags.h>
#include <mapispi.h>

#include <mutex>

#include "mapishut/com_object.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/last_error.h"
#include "mapishut/mapi_error.h"
#include "mapishut/result.h"
#include "mapishut/row_table.h"
#include "prop_codec.h"
#include "store_context.h"

namespace mapishut {
namespace {

class Message final : public ComObject<Message, MessageDefaults<IMessage>> {
 public:
  Message(std::shared_ptr<StoreContext> ctx, StoredMessage m, bool is_new)
      : ctx_(std::move(ctx)), m_(std::move(m)), saved_once_(!is_new) {}

  STDMETHODIMP GetLastError(HRESULT hr, ULONG, LPMAPIERROR FAR* e) override {
    if (e) *e = nullptr;
    RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
    return last_error_.Get(hr, ctx_->allocate_buffer, e);
  }

  STDMETHODIMP SetProps(ULONG n, LPSPropValue values, LPSPropProblemArray FAR* problems) override {
    try {
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !values && n);
      if (problems) *problems = nullptr;
      RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
      std::lock_guard lock(mutex_);
      std::vector<SPropProblem> bad;
      for (ULONG i = 0; i < n; ++i) {
        std::string bytes;
        if (!EncodeProp(values[i], &bytes)) {
          bad.push_back({i, values[i].ulPropTag, MAPI_E_TYPE_NO_SUPPORT});
          continue;
        }
        std::erase_if(m_.props, [&](const auto& p) { return PROP_ID(p.first) == PROP_ID(values[i].ulPropTag); });
        m_.props[values[i].ulPropTag] = std::move(bytes);
      }
      if (problems && !bad.empty()) {
        void* p = nullptr;
        RETURN_IF_FAILED(ctx_->allocate_buffer(static_cast<ULONG>(CbNewSPropProblemArray(bad.size())), &p));
        auto* a = static_cast<LPSPropProblemArray>(p);
        a->cProblem = static_cast<ULONG>(bad.size());
        for (size_t i = 0; i < bad.size(); ++i) a->aProblem[i] = bad[i];
        *problems = a;
      }
      return S_OK;
    }
    CATCH_RETURN();
  }

  STDMETHODIMP DeleteProps(LPSPropTagArray tags, LPSPropProblemArray FAR* problems) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !tags);
    if (problems) *problems = nullptr;
    RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
    std::lock_guard lock(mutex_);
    for (ULONG i = 0; i < tags->cValues; ++i) {
      std::erase_if(m_.props, [&](const auto& p) { return PROP_ID(p.first) == PROP_ID(tags->aulPropTag[i]); });
    }
    return S_OK;
  }

  STDMETHODIMP GetPropList(ULONG, LPSPropTagArray FAR* out) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out);
    RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
    std::lock_guard lock(mutex_);
    void* p = nullptr;
    RETURN_IF_FAILED(ctx_->allocate_buffer(static_cast<ULONG>(CbNewSPropTagArray(m_.props.size() + 2)), &p));
    auto* a = static_cast<LPSPropTagArray>(p);
    a->cValues = 0;
    for (const auto& [tag, bytes] : m_.props) a->aulPropTag[a->cValues++] = tag;
    a->aulPropTag[a->cValues++] = PR_ENTRYID;
    a->aulPropTag[a->cValues++] = PR_OBJECT_TYPE;
    *out = a;
    return S_OK;
  }

  STDMETHODIMP GetProps(LPSPropTagArray tags, ULONG, ULONG FAR* count, LPSPropValue FAR* out) override {
    try {
      RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
      std::lock_guard lock(mutex_);
      std::vector<ULONG> all;
      for (const auto& [tag, bytes] : m_.props) all.push_back(tag);
      all.push_back(PR_ENTRYID);
      all.push_back(PR_OBJECT_TYPE);
      auto fill = [this](ULONG tag, void* parent, SPropValue* v) { return Fill(tag, parent, v); };
      return GetPropsWith(tags, all, fill, ctx_->allocate_buffer, ctx_->free_buffer, count, out);
    }
    CATCH_RETURN();
  }

  STDMETHODIMP SaveChanges(ULONG) override {
    try {
      RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
      std::lock_guard lock(mutex_);
      // Acknowledged only what the writer can keep (SPEC.md rule 7).
      RETURN_IF_FAILED_EXPECTED(last_error_.Set(ctx_->db->CheckStorable(m_)));
      ctx_->db->Save(m_);  // acknowledged now; the writer commits it in the next batch
      saved_once_ = true;
      return S_OK;
    }
    CATCH_RETURN();
  }

  STDMETHODIMP SubmitMessage(ULONG) override {
    try {
      RETURN_IF_FAILED_EXPECTED(ctx_->Usable());
      {
        std::lock_guard lock(mutex_);
        RETURN_IF_FAILED_EXPECTED(last_error_.Set(ctx_->db->CheckStorable(m_)));
        m_.submitted = true;
        ctx_->db->Save(m_);  // queued for sending, and kept in the store until the transport took it
        saved_once_ = true;
      }
      // The spooler hands the outgoing queue to the transports now. Without one (no transport
      // in the profile) the message simply stays queued.
      if (ctx_->support) {
        const HRESULT hr = ctx_->support->SpoolerNotify(NOTIFY_READYTOSEND, nullptr);
        if (FAILED(hr) && hr != MAPI_E_NO_SUPPORT) return hr;
      }
      return S_OK;
    }
    CATCH_RETURN();
  }

 private:
  ~Message() override = default;

  HRESULT Fill(ULONG tag, void* parent, SPropValue* v) {
    if (PROP_ID(tag) == PROP_ID(PR_ENTRYID) && saved_once_) {
      const auto e = ctx_->EntryId(StoreContext::Kind::kMessage, m_.id);
      return DecodeProp(PR_ENTRYID, std::string(e.begin(), e.end()), ctx_->allocate_more, parent, v);
    }
    if (PROP_ID(tag) == PROP_ID(PR_OBJECT_TYPE)) {
      v->ulPropTag = PR_OBJECT_TYPE;
      v->Value.l = MAPI_MESSAGE;
      return S_OK;
    }
    return DecodeStoredProp(m_.props, tag, ctx_->allocate_more, parent, v);
  }

  std::shared_ptr<StoreContext> ctx_;
  std::mutex mutex_;
  StoredMessage m_;
  bool saved_once_;
  LastError last_error_{"mapishut store"};  // why the last save was refused
};

}  // namespace

HRESULT CreateMessageObject(const std::shared_ptr<StoreContext>& ctx, StoredMessage message, bool is_new, LPMESSAGE* out) {
  try {
    *out = new Message(ctx, std::move(message), is_new);
    return S_OK;
  }
  CATCH_RETURN();
}

}  // namespace mapishut
