// One provider loaded into one session: its library, its provider object, its logon objects.
#pragma once

#include <mapidefs.h>
#include <mapispi.h>

#include <string>

#include "../shutdown/coordinator.h"
#include "../shutdown/kept_until_exit.h"
#include "dynamic_library.h"
#include "mapishut/com_ptr.h"
#include "profile_config.h"

namespace mapishut {

struct LoadedProvider {
  ProviderConfig config;
  std::string library_path;
  DynamicLibrary* library = nullptr;  // owned by the process; closed at MAPIUninitialize

  com_ptr<IUnknown> provider;  // the object below, as IUnknown (the coordinator's view)
  com_ptr<IXPProvider> transport;
  com_ptr<IABProvider> address_book;
  com_ptr<IMSProvider> store;

  com_ptr<IXPLogon> transport_logon;
  com_ptr<IABLogon> address_book_logon;
  com_ptr<IMSLogon> store_logon;
  com_ptr<IMsgStore> msg_store;    // what IMSProvider::Logon handed back
  com_ptr<IMsgStore> gated_store;  // what clients get: the subsystem's gate around msg_store

  com_ptr<IMAPISupport> support;

  // Gives up every reference without a call into the provider, its Release included: for a
  // provider that is still running a call abandoned at its deadline.
  void Abandon() {
    KeepUntilExit(gated_store.detach());
    KeepUntilExit(msg_store.detach());
    KeepUntilExit(transport_logon.detach());
    KeepUntilExit(address_book_logon.detach());
    KeepUntilExit(store_logon.detach());
    KeepUntilExit(transport.detach());
    KeepUntilExit(address_book.detach());
    KeepUntilExit(store.detach());
    KeepUntilExit(provider.detach());
  }

  ShutdownTarget Target(uint32_t session) const {
    return ShutdownTarget{session, config.kind, config.display_name, library_path, config.section, provider.get()};
  }
};

}  // namespace mapishut
