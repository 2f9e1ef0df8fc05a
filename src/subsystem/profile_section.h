// A provider's profile section (IProfSect) over the properties read from MAPISVC.INF and
// profiles.inf. Providers read their settings through IMAPISupport::OpenProfileSection.
#pragma once

#include <mapidefs.h>

#include <memory>
#include <vector>

#include "profile_config.h"

namespace mapishut {

// *out holds one reference on success. Changes made with SetProps live in memory only, in this
// section (it copies the shared properties first): profiles are files the administrator owns.
HRESULT CreateProfileSection(ProfileProperties properties, LPPROFSECT* out);

}  // namespace mapishut
