// One provider loaded into one session: its library, its provider object, its logon objects.
#pragma once

#include <mapidefs.h>
#include <mapispi.h>

#include <string>

#include "../gate/gate.h"
#include "../shutdown/coordinator.h"
#include "../shutdown/kept_until_exit.h"
#include "dynamic_library.h"
#include "mapishut/com_ptr.h"
#include "profile_config.h"
#include "provider_status.h"

namespace mapishut {

struct LoadedProvider {
  SharedProviderConfig config;  // never null once loaded
  DynamicLibrary* library = nullptr;  // owned by the process; closed at MAPIUninitialize
  std::shared_ptr<const ProviderNames> names;  // made when its library opened: for its records

  // The provider and its logon, each held as IUnknown but being the kind's own interface pointer
  // (IXPProvider / IABProvider / IMSProvider; IXPLogon / IABLogon / IMSLogon): DescribeKind
  // (mapishut/provider_kind.h) has the calls that differ by kind.
  com_ptr<IUnknown> provider;
  com_ptr<IUnknown> logon;
  com_ptr<IMsgStore> msg_store;    // a store's: what IMSProvider::Logon handed back
  com_ptr<IMsgStore> gated_store;  // what clients get: the subsystem's gate around msg_store
  // An address book's: the gate around its logon, which the session's IAddrBook opens entries
  // through (never handed to a client itself).
  com_ptr<IABLogon> gated_ab_logon;
  // What every wrapper of this provider shares (a store's, an address book's; null for a
  // transport, which has none): closed when its normal shutdown begins.
  std::shared_ptr<GateContext> gate;

  com_ptr<IMAPISupport> support;
  // Its row of the status table as it set it (IMAPISupport::ModifyStatusRow), shared with its
  // support object (made with it).
  std::shared_ptr<ProviderStatus> status;

  const ProviderKindInfo& kind() const { return DescribeKind(config->kind); }
  // The path that was loaded ("" before its library is open): the library's own, not a copy.
  const std::string& library_path() const {
    static const std::string kNone;
    return library ? library->path() : kNone;
  }
  // "Display name (library path)": how the loader's reports and call scopes name it.
  std::string Who() const { return std::string(config->display_name()) + " (" + library_path() + ")"; }
  // A transport's logon, for the spooler; null for other kinds.
  IXPLogon* transport_logon() const {
    return config->kind == ProviderKind::kTransport ? static_cast<IXPLogon*>(logon.get()) : nullptr;
  }

  // Gives up every reference without a call into the provider, its Release included: for a
  // provider that is still running a call abandoned at its deadline.
  void Abandon() {
    if (gate) gate->Close(/*wait_for_calls=*/false);  // what a client holds of it answers the end, and is kept too
    KeepUntilExit(gated_store.detach());
    KeepUntilExit(gated_ab_logon.detach());
    KeepUntilExit(msg_store.detach());
    KeepUntilExit(logon.detach());
    KeepUntilExit(provider.detach());
  }

  ShutdownTarget Target(uint32_t session) const {
    return ShutdownTarget{session, config->kind, names, provider.get(), logon.get()};
  }
};

}  // namespace mapishut
