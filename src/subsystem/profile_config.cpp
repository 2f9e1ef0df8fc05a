#include "profile_config.h"

#include <cerrno>
#include <cctype>
#include <cstdlib>

#include "ini_file.h"
#include "mapishut/result.h"
#include "mapishut/text.h"

namespace mapishut {
namespace {

constexpr uint32_t kPtLong = 0x0003, kPtBoolean = 0x000B, kPtString8 = 0x001E, kPtUnicode = 0x001F;

struct NamedValue {
  const char* name;
  uint32_t value;
};

// The property names a MAPISVC.INF commonly uses, and mapishut's own (mapishut/provider_props.h).
constexpr NamedValue kTagNames[] = {
    {"PR_DISPLAY_NAME", 0x3001001E},       {"PR_PROVIDER_DISPLAY", 0x3006001E},
    {"PR_RESOURCE_FLAGS", 0x30090003},     {"PR_PROVIDER_DLL_NAME", 0x300A001E},
    {"PR_SERVICE_NAME", 0x3D09001E},       {"PR_SERVICE_DLL_NAME", 0x3D0A001E},
    {"PR_SERVICE_ENTRY_NAME", 0x3D0B001E}, {"PR_PROFILE_NAME", 0x3D12001E},
    {"PR_RESOURCE_TYPE", 0x3E030003},      {"PR_MAPISHUT_DATA_PATH", 0x6620001E},
    {"PR_MAPISHUT_REMOTE_PATH", 0x6621001E}, {"PR_MAPISHUT_POLL_INTERVAL", 0x66220003},
    {"PR_MAPISHUT_SAMPLE_OPT_OUT", 0x66230003}, {"PR_MAPISHUT_MAX_VALUE_SIZE", 0x66260003},
};
constexpr uint32_t kPrResourceType = 0x3E030003, kPrResourceFlags = 0x30090003,
                   kPrProviderDllName = 0x300A001E, kPrDisplayName = 0x3001001E,
                   kPrProviderDisplay = 0x3006001E;

// Symbolic values allowed in PT_LONG entries (PR_RESOURCE_TYPE, PR_RESOURCE_FLAGS).
constexpr NamedValue kValueNames[] = {
    {"MAPI_STORE_PROVIDER", 33},        {"MAPI_AB_PROVIDER", 35},
    {"MAPI_TRANSPORT_PROVIDER", 36},    {"STATUS_DEFAULT_OUTBOUND", 0x1},
    {"STATUS_DEFAULT_STORE", 0x2},      {"STATUS_PRIMARY_IDENTITY", 0x4},
    {"STATUS_SIMPLE_STORE", 0x8},       {"STATUS_NO_DEFAULT_STORE", 0x40},
    {"STATUS_TEMP_SECTION", 0x80},      {"STATUS_OWN_STORE", 0x100},
    {"SERVICE_DEFAULT_STORE", 0x1},     {"SERVICE_SINGLE_COPY", 0x2},
    {"SERVICE_PRIMARY_IDENTITY", 0x8},
};

std::vector<std::string> SplitList(std::string_view text, char sep) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const size_t end = text.find(sep);
    const std::string_view item = Trim(text.substr(0, end));
    if (!item.empty()) items.emplace_back(item);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return items;
}

bool ParseNumberOrNames(std::string_view text, int32_t* out) {
  uint32_t total = 0;
  for (const auto& part : SplitList(text, '|')) {
    // A 32-bit value, written in decimal or hex; no sign (strtoul would wrap "-4294967261" to 35).
    if (!part.empty() && (std::isdigit(static_cast<unsigned char>(part[0])) != 0)) {
      errno = 0;
      char* end = nullptr;
      const unsigned long long n = std::strtoull(part.c_str(), &end, 0);
      if (errno != 0 || end == nullptr || *end != '\0' || n > 0xFFFFFFFFull) return false;
      total |= static_cast<uint32_t>(n);
      continue;
    }
    bool known = false;
    for (const auto& v : kValueNames) {
      if (EqualsIgnoreCase(part, v.name)) {
        total |= v.value;
        known = true;
      }
    }
    if (!known) return false;
  }
  *out = static_cast<int32_t>(total);
  return true;
}

Status ParseProperty(const IniFile& file, const IniEntry& entry, const ConfigLocation& where,
                     ProfileProperty* out) {
  if (!ParsePropertyTag(entry.key, &out->tag)) {
    return Status::Invalid(file.Where(entry.line) + ": unknown property '" + std::string(entry.key) +
                           "' (use a PR_ name or a hex tag such as 0x6620001E)");
  }
  switch (out->tag & 0xFFFF) {
    case kPtString8:
    case kPtUnicode: {
      Status s = ExpandVariables(entry.value, where, &out->text);
      if (!s.ok()) return Status::Invalid(file.Where(entry.line) + ": " + s.message());
      return Status::Ok();
    }
    case kPtLong:
    case kPtBoolean:
      if (EqualsIgnoreCase(entry.value, "true")) out->number = 1;
      else if (EqualsIgnoreCase(entry.value, "false")) out->number = 0;
      else if (!ParseNumberOrNames(entry.value, &out->number)) {
        return Status::Invalid(file.Where(entry.line) + ": '" + std::string(entry.value) +
                               "' is not a 32-bit number or a known name for " + std::string(entry.key));
      }
      // A resource type is one kind; or-ing flags into it would make another kind of it.
      if (out->tag == kPrResourceType && entry.value.find('|') != std::string_view::npos) {
        return Status::Invalid(file.Where(entry.line) + ": PR_RESOURCE_TYPE takes one kind (MAPI_STORE_PROVIDER, "
                               "MAPI_AB_PROVIDER or MAPI_TRANSPORT_PROVIDER), not '" + std::string(entry.value) +
                               "'; flags such as STATUS_DEFAULT_STORE belong in PR_RESOURCE_FLAGS");
      }
      return Status::Ok();  // the number only: its text is not kept (a profile of thousands of providers)
    default:
      return Status::Invalid(file.Where(entry.line) + ": property " + std::string(entry.key) +
                             " has a type mapishut cannot read from a profile (PT_LONG, PT_BOOLEAN, PT_STRING8, PT_UNICODE)");
  }
}

void SetProperty(std::vector<ProfileProperty>* props, ProfileProperty p) {
  for (auto& existing : *props) {
    if (existing.tag == p.tag) {
      existing = std::move(p);
      return;
    }
  }
  props->push_back(std::move(p));
}

const ProfileProperty* FindProperty(const std::vector<ProfileProperty>& props, uint32_t tag) {
  for (const auto& p : props) {
    if (p.tag == tag) return &p;
  }
  return nullptr;
}

Status ReadProvider(const IniFile& svc, const IniFile* profiles, const IniSection& provider,
                    const std::string& profile_name, const ConfigLocation& where, ProviderConfig* out) {
  out->section = provider.name;
  out->line = provider.line;
  const std::string& name = out->section;
  std::vector<ProfileProperty>& properties = out->properties;
  properties.reserve(provider.entries.size());
  for (const auto& entry : provider.entries) {
    ProfileProperty p;
    MAPISHUT_RETURN_IF_ERROR(ParseProperty(svc, entry, where, &p));
    SetProperty(&properties, std::move(p));
  }
  if (profiles) {
    if (const IniSection* over = profiles->Find("Profile " + profile_name + "/" + name)) {
      for (const auto& entry : over->entries) {
        ProfileProperty p;
        MAPISHUT_RETURN_IF_ERROR(ParseProperty(*profiles, entry, where, &p));
        SetProperty(&properties, std::move(p));
      }
    }
  }
  const ProfileProperty* type = FindProperty(properties, kPrResourceType);
  if (!type) return Status::Invalid(svc.Where(provider.line) + ": provider [" + name + "] has no PR_RESOURCE_TYPE");
  switch (type->number) {
    case 33: out->kind = ProviderKind::kStore; break;
    case 35: out->kind = ProviderKind::kAddressBook; break;
    case 36: out->kind = ProviderKind::kTransport; break;
    default:
      return Status::Invalid(svc.Where(provider.line) + ": provider [" + name + "] has PR_RESOURCE_TYPE " +
                             std::to_string(static_cast<uint32_t>(type->number)) + " (" +
                             HexCode(static_cast<HRESULT>(type->number)) + ")" +
                             "; mapishut loads MAPI_STORE_PROVIDER (33), MAPI_AB_PROVIDER (35) and MAPI_TRANSPORT_PROVIDER (36)");
  }
  if (out->dll_name().empty()) {
    return Status::Invalid(svc.Where(provider.line) + ": provider [" + name + "] has no PR_PROVIDER_DLL_NAME");
  }
  const ProfileProperty* flags = FindProperty(properties, kPrResourceFlags);
  out->resource_flags = flags ? static_cast<uint32_t>(flags->number) : 0;
  return Status::Ok();
}

// The text of the string property `tag`, or nullptr.
const std::string* FindText(const std::vector<ProfileProperty>& props, uint32_t tag) {
  const ProfileProperty* p = FindProperty(props, tag);
  return p ? &p->text : nullptr;
}

}  // namespace

std::string_view ProviderConfig::dll_name() const {
  const std::string* dll = FindText(properties, kPrProviderDllName);
  return dll ? std::string_view(*dll) : std::string_view();
}

std::string_view ProviderConfig::display_name() const {
  const std::string* display = FindText(properties, kPrDisplayName);
  return display ? std::string_view(*display) : std::string_view(section);
}

std::string_view ProviderConfig::provider_display() const {
  const std::string* display = FindText(properties, kPrProviderDisplay);
  return display ? std::string_view(*display) : display_name();
}

bool ParsePropertyTag(std::string_view text, uint32_t* tag) {
  for (const auto& t : kTagNames) {
    if (EqualsIgnoreCase(text, t.name)) {
      *tag = t.value;
      return true;
    }
  }
  std::string hex(text);
  if (hex.rfind("0x", 0) == 0 || hex.rfind("0X", 0) == 0) hex = hex.substr(2);
  if (hex.size() != 8 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return false;
  *tag = static_cast<uint32_t>(std::strtoul(hex.c_str(), nullptr, 16));
  return true;
}

Status LoadProfile(const ConfigLocation& where, const std::string& requested, Profile* out) {
  IniFile profiles;
  Status s = ReadIniFile(where.ProfilesPath(), &profiles);
  if (!s.ok()) {
    return Status::NotFound("no profiles: " + s.message() + " (configuration directory " + where.dir +
                            ", " + where.origin + ")");
  }
  std::string name = requested;
  if (name.empty()) {
    const IniSection* list = profiles.Find("Profiles");
    const IniEntry* def = list ? list->Find("Default") : nullptr;
    if (!def) return Status::NotFound("no profile name given and " + where.ProfilesPath() + " names no Default= profile");
    name = def->value;
  }
  const IniSection* section = profiles.Find("Profile " + name);
  if (!section) return Status::NotFound("profile '" + name + "' is not in " + where.ProfilesPath());
  const IniEntry* services = section->Find("Services");
  if (!services) return Status::Invalid(profiles.Where(section->line) + ": profile '" + name + "' has no Services=");

  IniFile svc;
  MAPISHUT_RETURN_IF_ERROR(ReadIniFile(where.MapisvcPath(), &svc));
  Profile profile;
  profile.name = name;
  const std::vector<std::string> service_names = SplitList(services->value, ',');
  profile.providers.reserve(service_names.size());  // most services have one provider
  for (const auto& service : service_names) {
    const IniSection* service_section = svc.Find(service);
    if (!service_section) {
      return Status::NotFound(profiles.Where(services->line) + ": profile '" + name + "' uses service '" + service +
                              "', which " + where.MapisvcPath() + " does not describe");
    }
    const IniEntry* providers = service_section->Find("Providers");
    if (!providers) return Status::Invalid(svc.Where(service_section->line) + ": service [" + service + "] has no Providers=");
    for (const auto& provider_name : SplitList(providers->value, ',')) {
      const IniSection* provider = svc.Find(provider_name);
      if (!provider) {
        return Status::NotFound(svc.Where(providers->line) + ": service [" + service + "] lists provider [" +
                                provider_name + "], which has no section");
      }
      auto config = std::make_shared<ProviderConfig>();
      MAPISHUT_RETURN_IF_ERROR(ReadProvider(svc, &profiles, *provider, name, where, config.get()));
      profile.providers.push_back(std::move(config));
    }
  }
  *out = std::move(profile);
  return Status::Ok();
}

}  // namespace mapishut
