// Where the subsystem finds MAPISVC.INF, the profiles and the provider libraries.
//
// The configuration directory is, first match wins:
//   1. the directory given to mapishut::SetConfigDirectory() (mapishut/subsystem.h),
//   2. $MAPISHUT_CONFIG_DIR,
//   3. $XDG_CONFIG_HOME/mapishut (else ~/.config/mapishut) if it holds a mapisvc.inf,
//   4. the system directory (/etc/mapishut, or the install prefix's sysconfdir).
// It holds mapisvc.inf (services and providers) and profiles.inf (which services a profile uses).
// A provider library named without a '/' is looked up in $MAPISHUT_PROVIDER_PATH (':'-separated),
// then in the configuration directory, then in the installed provider directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mapishut/status.h"

namespace mapishut {

struct ConfigLocation {
  std::string dir;
  std::string origin;  // why this directory: "SetConfigDirectory", "$MAPISHUT_CONFIG_DIR", ...
  std::vector<std::string> provider_search_path;

  // dir/mapisvc.inf, or the file of that name in any case (MAPISVC.INF, as on Windows).
  std::string MapisvcPath() const;
  std::string ProfilesPath() const;
};

ConfigLocation ResolveConfigLocation();

// Overrides the configuration directory for this process ("" restores the default search).
void SetConfigDirectoryOverride(const std::string& dir);

// The path of the library `dll_name`: as given when it contains '/', else the first existing
// file along the search path. NotFound lists every place that was tried.
Status FindProviderLibrary(const ConfigLocation& where, const std::string& dll_name, std::string* path);

// Expands ${NAME} from the environment. MAPISHUT_DATA_DIR defaults to $XDG_DATA_HOME/mapishut
// (else ~/.local/share/mapishut) and MAPISHUT_CONFIG_DIR to the directory in use. An unknown
// or unterminated reference is an error.
Status ExpandVariables(std::string_view text, const ConfigLocation& where, std::string* out);

}  // namespace mapishut
