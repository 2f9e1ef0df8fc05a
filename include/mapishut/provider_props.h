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
// The message store's acknowledgement counters (PT_I8, read-only on IMsgStore): every save up to
// PR_MAPISHUT_DURABLE_SEQ is on stable storage; PR_MAPISHUT_ACKED_SEQ saves were acknowledged.
#define PR_MAPISHUT_DURABLE_SEQ PROP_TAG(PT_I8, 0x6624)
#define PR_MAPISHUT_ACKED_SEQ PROP_TAG(PT_I8, 0x6625)
// The message store: the most bytes one property value may hold, as stored (a PT_UNICODE string
// in UTF-8). SaveChanges refuses a larger value with MAPI_E_TOO_BIG; values saved before a cap
// was set stay readable. Unset, 0, or above SQLite's own limit (the value read as unsigned): as
// much as SQLite takes, 1,000,000,000 bytes a row less the row's other 32.
#define PR_MAPISHUT_MAX_VALUE_SIZE PROP_TAG(PT_LONG, 0x6626)
