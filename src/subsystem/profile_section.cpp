#include "profile_section.h"

#include <mapicode.h>
#include <mapiguid.h>
#include <mapix.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "mapishut/com_object.h"
#include "mapishut/text.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/result.h"
#include "mapishut/row_table.h"

namespace mapishut {
namespace {

class ProfileSection final : public ComObject<ProfileSection, MAPIPropDefaults<IProfSect>> {
 public:
  explicit ProfileSection(ProfileProperties props) : props_(std::move(props)) {}

  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* e) override {
    if (e) *e = nullptr;
    return S_OK;
  }
  STDMETHODIMP SaveChanges(ULONG) override { return S_OK; }

  STDMETHODIMP GetProps(LPSPropTagArray tags, ULONG flags, ULONG FAR* count, LPSPropValue FAR* out) override {
    try {
      std::lock_guard lock(mutex_);
      std::vector<ULONG> all;  // every property: asked for only without a tag array
      if (!tags) {
        for (const auto& p : *props_) all.push_back(p.tag);
      }
      auto fill = [&](ULONG tag, void* parent, SPropValue* v) -> HRESULT {
        TableValue converted;
        if (Convert(tag, flags, &converted)) return CopyTableValue(converted, v, MAPIAllocateMore, parent);
        v->ulPropTag = CHANGE_PROP_TYPE(tag, PT_ERROR);
        v->Value.err = MAPI_E_NOT_FOUND;
        return S_OK;
      };
      return GetPropsWith(tags, all, fill, MAPIAllocateBuffer, MAPIFreeBuffer, count, out);
    }
    CATCH_RETURN();
  }

  STDMETHODIMP GetPropList(ULONG, LPSPropTagArray FAR* out) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out);
    std::lock_guard lock(mutex_);
    void* mem = nullptr;
    const std::vector<ProfileProperty>& props = *props_;
    RETURN_IF_FAILED(MAPIAllocateBuffer(static_cast<ULONG>(CbNewSPropTagArray(props.size())), &mem));
    auto* a = static_cast<LPSPropTagArray>(mem);
    a->cValues = static_cast<ULONG>(props.size());
    for (size_t i = 0; i < props.size(); ++i) a->aulPropTag[i] = props[i].tag;
    *out = a;
    return S_OK;
  }

  STDMETHODIMP SetProps(ULONG n, LPSPropValue values, LPSPropProblemArray FAR* problems) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !values);
    if (problems) *problems = nullptr;
    try {
      std::lock_guard lock(mutex_);
      auto props = std::make_shared<std::vector<ProfileProperty>>(*props_);  // this section's own from now on
      for (ULONG i = 0; i < n; ++i) {
        ProfileProperty p;
        p.tag = values[i].ulPropTag;
        switch (PROP_TYPE(p.tag)) {
          case PT_STRING8: p.text = values[i].Value.lpszA ? values[i].Value.lpszA : ""; break;
          case PT_LONG: p.number = values[i].Value.l; break;
          case PT_BOOLEAN: p.number = values[i].Value.b ? 1 : 0; break;
          default: continue;  // kept as the section's file can express them
        }
        std::erase_if(*props, [&](const ProfileProperty& q) { return PROP_ID(q.tag) == PROP_ID(p.tag); });
        props->push_back(std::move(p));
      }
      props_ = std::move(props);
      return S_OK;
    }
    CATCH_RETURN();
  }

 private:
  ~ProfileSection() override = default;

  // The stored property for `tag`, in the type `tag` asks for (strings as PT_STRING8 or PT_UNICODE).
  bool Convert(ULONG tag, ULONG flags, TableValue* out) const {
    for (const auto& p : *props_) {
      if (PROP_ID(p.tag) != PROP_ID(tag)) continue;
      ULONG type = PROP_TYPE(tag);
      const ULONG stored = PROP_TYPE(p.tag);
      if (type == PT_UNSPECIFIED) type = (stored == PT_STRING8 || stored == PT_UNICODE) ? ((flags & MAPI_UNICODE) ? PT_UNICODE : PT_STRING8) : stored;
      const ULONG out_tag = CHANGE_PROP_TYPE(tag, type);
      switch (type) {
        case PT_STRING8:
          if (stored != PT_STRING8 && stored != PT_UNICODE) return false;
          *out = TableValue::String8(out_tag, p.text);
          return true;
        case PT_UNICODE:
          if (stored != PT_STRING8 && stored != PT_UNICODE) return false;
          *out = TableValue::Unicode(out_tag, WideFromUtf8(p.text));
          return true;
        case PT_LONG:
          if (stored != PT_LONG && stored != PT_BOOLEAN) return false;
          *out = TableValue::Long(out_tag, p.number);
          return true;
        case PT_BOOLEAN:
          if (stored != PT_LONG && stored != PT_BOOLEAN) return false;
          *out = TableValue::Bool(out_tag, p.number != 0);
          return true;
        default:
          return false;
      }
    }
    return false;
  }

  std::mutex mutex_;
  // Shared with every other section of the same provider until SetProps makes it this one's own.
  ProfileProperties props_;
};

}  // namespace

HRESULT CreateProfileSection(ProfileProperties properties, LPPROFSECT* out) {
  RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !out);
  try {
    *out = new ProfileSection(std::move(properties));
    return S_OK;
  }
  CATCH_RETURN();
}

}  // namespace mapishut
