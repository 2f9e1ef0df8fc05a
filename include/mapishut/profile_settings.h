// Reading a provider's own settings from its profile section, the MAPI way
// (IMAPISupport::OpenProfileSection with no UID, then GetProps).
#pragma once

#include <mapidefs.h>
#include <mapispi.h>

#include <optional>
#include <string>

namespace mapishut {

// The PT_STRING8 or PT_LONG property `tag` of the provider's profile section, or nullopt when
// the section has none. `free_buffer` is the one the provider got at its entry point.
inline std::optional<SPropValue> ReadProfileSetting(LPMAPISUP support, LPFREEBUFFER free_buffer, ULONG tag,
                                                    std::string* text) {
  LPPROFSECT section = nullptr;
  if (!support || FAILED(support->OpenProfileSection(nullptr, 0, &section)) || !section) return std::nullopt;
  SizedSPropTagArray(1, tags) = {1, {tag}};
  ULONG count = 0;
  LPSPropValue props = nullptr;
  std::optional<SPropValue> value;
  if (SUCCEEDED(section->GetProps(reinterpret_cast<LPSPropTagArray>(&tags), 0, &count, &props)) && count == 1 &&
      props[0].ulPropTag == tag) {
    value = props[0];
    if (PROP_TYPE(tag) == PT_STRING8 && text) *text = props[0].Value.lpszA;
  }
  if (props) free_buffer(props);
  section->Release();
  return value;
}

inline std::string ReadProfileString(LPMAPISUP support, LPFREEBUFFER free_buffer, ULONG tag) {
  std::string text;
  ReadProfileSetting(support, free_buffer, CHANGE_PROP_TYPE(tag, PT_STRING8), &text);
  return text;
}

inline LONG ReadProfileLong(LPMAPISUP support, LPFREEBUFFER free_buffer, ULONG tag, LONG fallback) {
  const auto v = ReadProfileSetting(support, free_buffer, CHANGE_PROP_TYPE(tag, PT_LONG), nullptr);
  return v ? v->Value.l : fallback;
}

}  // namespace mapishut
