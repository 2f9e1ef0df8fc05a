// Profile properties of mapishut's own providers, in the provider-defined range (0x6600-0x67FF).
// A MAPISVC.INF or profiles.inf sets them by these names (src/subsystem/profile_config.cpp).
#pragma once

#include <mapidefs.h>

// Where the provider keeps its data (a directory, or a database file for the store).
#define PR_MAPISHUT_DATA_PATH PROP_TAG(PT_STRING8, 0x6620)
// The directory that stands in for the server (address book vCards, transport Maildirs).
#define PR_MAPISHUT_REMOTE_PATH PROP_TAG(PT_STRING8, 0x6621)
// Milliseconds between background polls or downloads.
#define PR_MAPISHUT_POLL_INTERVAL PROP_TAG(PT_LONG, 0x6622)
// Sample providers only: 1 makes QueryFastShutdown answer MAPI_E_NO_SUPPORT.
#define PR_MAPISHUT_SAMPLE_OPT_OUT PROP_TAG(PT_LONG, 0x6623)
