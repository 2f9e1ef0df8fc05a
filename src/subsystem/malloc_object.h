// The IMalloc handed to every provider entry point (the lpMalloc parameter). Providers use it
// for memory they manage themselves; MAPI's own buffers go through MAPIAllocateBuffer.
#pragma once

#include <mapidefs.h>

namespace mapishut {

// The process's IMalloc. It lives as long as the process; AddRef/Release do not free it.
LPMALLOC ProcessMalloc();

}  // namespace mapishut
