// Profiles and the providers they load, read from MAPISVC.INF and profiles.inf.
//
// mapisvc.inf is Microsoft's format: [Services] names each service; a service's section lists
// its provider sections in Providers=; a provider section carries PR_PROVIDER_DLL_NAME,
// PR_RESOURCE_TYPE, PR_DISPLAY_NAME, PR_PROVIDER_DISPLAY, PR_RESOURCE_FLAGS and any other
// property (by PR_ name or hex tag), which the provider reads from its profile section.
// profiles.inf says which services each profile uses, in order:
//   [Profiles]
//   Default=demo
//   [Profile demo]
//   Services=SampleTransport, SampleAB, SampleStore
//   [Profile demo/SampleStore Provider]     ; optional per-profile properties of one provider
//   PR_MAPISHUT_DATA_PATH=${MAPISHUT_DATA_DIR}/demo/store.db
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config_location.h"
#include "mapishut/provider_kind.h"
#include "mapishut/status.h"

namespace mapishut {

// One property of a provider's profile section, typed by its tag's property type.
struct ProfileProperty {
  uint32_t tag = 0;
  int32_t number = 0;  // PT_LONG / PT_BOOLEAN
  std::string text;    // PT_STRING8 / PT_UNICODE (UTF-8 here)
};

// A provider's profile section: its properties, as its profile sections hand them out.
using ProfileProperties = std::shared_ptr<const std::vector<ProfileProperty>>;

struct ProviderConfig {
  std::string section;  // the provider's section in mapisvc.inf
  int line = 0;         // that section's line, for messages ("mapisvc.inf:12")
  ProviderKind kind = ProviderKind::kStore;
  uint32_t resource_flags = 0;
  std::vector<ProfileProperty> properties;  // everything in the section, overrides applied

  // Read from `properties`, never copied out of them: PR_PROVIDER_DLL_NAME; PR_DISPLAY_NAME, else
  // the section's name; PR_PROVIDER_DISPLAY, else the display name.
  std::string_view dll_name() const;
  std::string_view display_name() const;
  std::string_view provider_display() const;
};

// A provider's configuration, read once and shared, never copied: by its loaded provider, its
// support object (which names it in reports) and every profile section it opens.
using SharedProviderConfig = std::shared_ptr<const ProviderConfig>;

// The properties of `config`, sharing its ownership (no allocation).
inline ProfileProperties PropertiesOf(const SharedProviderConfig& config) {
  return ProfileProperties(config, &config->properties);
}

struct Profile {
  std::string name;
  std::vector<SharedProviderConfig> providers;  // in profile order: services in order, providers in order
};

// Reads the profile `name` ("" means the Default= profile). NotFound names the profile and the
// file searched; Invalid names the file and line of a malformed entry.
Status LoadProfile(const ConfigLocation& where, const std::string& name, Profile* out);

// Parses "PR_DISPLAY_NAME", "0x3001001E" or "3001001E" into a property tag.
bool ParsePropertyTag(std::string_view text, uint32_t* tag);

}  // namespace mapishut
