// The IMAPISupport object the subsystem hands each provider at logon: its allocators, its
// profile section, new UIDs, the spooler notification and its row of the status table. Everything else answers
// MAPI_E_NO_SUPPORT from its slot. After a completed fast shutdown every method answers
// MAPI_E_END_OF_SESSION: a provider must not reach the subsystem then either.
#pragma once

#include <mapispi.h>

#include <functional>
#include <memory>
#include <string>

#include "../gate/gate.h"
#include "profile_config.h"
#include "provider_status.h"

namespace mapishut {

// What the support objects of one logon share, made once per MAPILogonEx: a profile of
// thousands of providers holds one of each, not one per provider.
struct SupportServices {
  std::function<bool()> ended;                                      // the process finished a fast shutdown
  std::function<HRESULT(ULONG flags, LPVOID data)> spooler_notify;  // SpoolerNotify; null: MAPI_E_NO_SUPPORT
  // Told of the first call a provider's support object refused because the process ended: its
  // provider, named as the shutdown record names it, and the method's name. Once per support
  // object.
  std::function<void(const std::string& provider, const char* method)> late_call;
  // The gate of the profile sections handed out: a provider's thread reading one after the end
  // gets MAPI_E_END_OF_SESSION.
  Gate section_gate;
};

// Each held, never borrowed: a provider's thread can keep its support object after the provider
// was shut down.
struct SupportObjectOptions {
  SharedProviderConfig config;  // the provider's: its profile section, and its name in reports
  std::shared_ptr<const std::string> library;  // the path its library was loaded from
  std::shared_ptr<const SupportServices> services;
  std::shared_ptr<ProviderStatus> status;  // its row of the status table (ModifyStatusRow)
  LPALLOCATEBUFFER allocate_buffer = nullptr;
  LPALLOCATEMORE allocate_more = nullptr;
  LPFREEBUFFER free_buffer = nullptr;
};

// *out holds one reference on success.
HRESULT CreateSupportObject(SupportObjectOptions options, LPMAPISUP* out);

}  // namespace mapishut
