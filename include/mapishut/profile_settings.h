// Reading a provider's own settings from its profile section, the MAPI way
// (IMAPISupport::OpenProfileSection with no UID, then GetProps). Values are copied out before
// the property buffer is freed: nothing returned points into MAPI memory.
#pragma once

#include <mapidefs.h>
#include <mapispi.h>

#include <functional>
#include <optional>
#include <string>

namespace mapishut {

// Calls `use` with the property `tag` of the provider's profile section while it is valid;
// false when the section has no such property. `free_buffer` is the one the provider got at
// its entry point.
inline bool WithProfileSetting(LPMAPISUP support, LPFREEBUFFER free_buffer, ULONG tag,
                               const std::function<void(const SPropValue&)>& use) {
  LPPROFSECT section = nullptr;
  if (!support || FAILED(support->OpenProfileSection(nullptr, 0, &section)) || !section) return false;
  SizedSPropTagArray(1, tags) = {1, {tag}};
  ULONG count = 0;
  LPSPropValue props = nullptr;
  bool found = false;
  if (SUCCEEDED(section->GetProps(reinterpret_cast<LPSPropTagArray>(&tags), 0, &count, &props)) && count == 1 &&
      props[0].ulPropTag == tag) {
    use(props[0]);
    found = true;
  }
  if (props) free_buffer(props);
  section->Release();
  return found;
}

// The PT_STRING8 property `tag` of the provider's profile section, or "".
inline std::string ReadProfileString(LPMAPISUP support, LPFREEBUFFER free_buffer, ULONG tag) {
  std::string text;
  WithProfileSetting(support, free_buffer, CHANGE_PROP_TYPE(tag, PT_STRING8),
                     [&](const SPropValue& v) { text = v.Value.lpszA ? v.Value.lpszA : ""; });
  return text;
}

// The PT_LONG property `tag` of the provider's profile section, or `fallback`.
inline LONG ReadProfileLong(LPMAPISUP support, LPFREEBUFFER free_buffer, ULONG tag, LONG fallback) {
  LONG value = fallback;
  WithProfileSetting(support, free_buffer, CHANGE_PROP_TYPE(tag, PT_LONG), [&](const SPropValue& v) { value = v.Value.l; });
  return value;
}

}  // namespace mapishut
