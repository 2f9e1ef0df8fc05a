// FastShutdownBehavior from where an administrator really puts it (docs/POLICY.md):
//   1. system-wide policy files, $MAPISHUT_SYSTEM_POLICY_DIR or /etc/mapishut/policy.d, *.reg in
//      name order (a later file overrides an earlier one), trusted only when owned by root,
//      writable by nobody else and not a symbolic link (checked on the opened descriptor), like
//      the Policies key on Windows;
//   2. the user's own policy file, $XDG_CONFIG_HOME/mapishut/policy.reg (else
//      ~/.config/mapishut/policy.reg), used only when the file it reaches is the user's (or
//      root's) and writable by nobody else;
//   3. Wine's hive of the user, $WINEPREFIX/user.reg (else ~/.wine/user.reg).
// The first source (in that order) with a valid value wins; inside a source, the newest Office
// version (16.0, 15.0, 14.0) with a valid value wins.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mapishut/policy.h"

namespace mapishut {

struct RegistryPolicyOptions {
  std::string system_dir;  // "" : no system-wide source
  std::string user_file;   // "" : no user source
  std::string wine_file;   // "" : no Wine source
  // Files and directories of the system source must be owned by this user (root) and writable
  // by no one else.
  unsigned trusted_owner_uid = 0;

  // The locations above, from the environment at the time of the call.
  static RegistryPolicyOptions FromEnvironment();
};

// Reads the sources each time Read() is called. Thread-safe; never throws.
std::unique_ptr<PolicyReader> NewRegistryPolicyReader(RegistryPolicyOptions options);

// The reader the subsystem starts with: the registry sources, located from the environment
// anew at every Read().
std::unique_ptr<PolicyReader> NewDefaultPolicyReader();

// The registry key and value read, for messages.
extern const char* const kShutdownPolicyKeyFormat;  // ...\Office\%s\Outlook\Options\Shutdown
extern const char* const kShutdownPolicyValue;      // FastShutdownBehavior

}  // namespace mapishut
