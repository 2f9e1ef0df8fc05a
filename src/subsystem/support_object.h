// The IMAPISupport object the subsystem hands each provider at logon: its allocators, its
// profile section, new UIDs, and the spooler notification. Everything else answers
// MAPI_E_NO_SUPPORT from its slot. After a completed fast shutdown every method answers
// MAPI_E_END_OF_SESSION: a provider must not reach the subsystem then either.
#pragma once

#include <mapispi.h>

#include <functional>
#include <vector>

#include "profile_config.h"

namespace mapishut {

struct SupportObjectOptions {
  ProfileProperties properties;  // the provider's profile section
  LPALLOCATEBUFFER allocate_buffer = nullptr;
  LPALLOCATEMORE allocate_more = nullptr;
  LPFREEBUFFER free_buffer = nullptr;
  std::function<bool()> ended;                        // the process finished a fast shutdown
  std::function<HRESULT(ULONG flags, LPVOID data)> spooler_notify;  // SpoolerNotify; null: MAPI_E_NO_SUPPORT
  // Told of the first call refused because the process ended (its method's name), once.
  std::function<void(const char* method)> late_call;
};

// *out holds one reference on success.
HRESULT CreateSupportObject(SupportObjectOptions options, LPMAPISUP* out);

}  // namespace mapishut
