// The three kinds of provider and everything that differs between them, in one table: the loader
// finds the entry point and logs on through it, the session and the shutdown order read it, and
// the configuration names kinds with it. Header-only: nothing here links anything.
#pragma once

#include <mapidefs.h>
#include <mapiguid.h>
#include <mapispi.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace mapishut {

// MAPI's PR_RESOURCE_TYPE values for the three kinds of provider mapishut loads.
enum class ProviderKind : uint32_t { kStore = 33, kAddressBook = 35, kTransport = 36 };

// The MAPI allocators an entry point is handed.
struct ProviderAllocators {
  LPMALLOC malloc;
  LPALLOCATEBUFFER allocate_buffer;
  LPALLOCATEMORE allocate_more;
  LPFREEBUFFER free_buffer;
};

struct ProviderKindInfo {
  ProviderKind kind;
  const char* name;            // for people: "transport"
  const char* entry_point;     // the symbol the library exports: "XPProviderInit"
  int shutdown_rank;           // the order inside a session, fast and normal shutdown alike: 0 first
  const IID* provider_iid;     // what the entry point hands back
  const IID* logon_iid;        // what its logon hands back
  const char* logon_method;    // for messages: "IXPProvider::TransportLogon"
  const char* logoff_method;   // "IXPLogon::TransportLogoff"
  // The calls whose signatures differ by kind, on the objects held as IUnknown (each pointer is
  // the kind's own interface pointer, so the casts below are the COM identity of that interface).
  HRESULT (*init)(void* entry, HINSTANCE instance, const ProviderAllocators& a, ULONG* spi_version, IUnknown** provider);
  // `free_buffer` frees what the logon hands back that the subsystem does not keep; `store` receives
  // a store's IMsgStore.
  HRESULT (*logon)(IUnknown* provider, LPMAPISUP support, LPTSTR profile, LPFREEBUFFER free_buffer, LPMAPIERROR* error,
                   IUnknown** logon, LPMDB* store);
  HRESULT (*logoff)(IUnknown* logon);
  HRESULT (*shutdown)(IUnknown* provider);
  // The logon's own account of a failure (GetLastError); null where the SPI gives it none.
  HRESULT (*last_error)(IUnknown* logon, HRESULT hr, LPMAPIERROR* error);
};

namespace provider_kind_detail {

// An entry point of type `Init` handing back a `Provider`, as the table's init.
template <typename Provider, typename Init>
HRESULT InitAs(void* entry, HINSTANCE instance, const ProviderAllocators& a, ULONG* version, IUnknown** out) {
  Provider* p = nullptr;
  const HRESULT hr = reinterpret_cast<Init>(entry)(instance, a.malloc, a.allocate_buffer, a.allocate_more, a.free_buffer, 0,
                                                   CURRENT_SPI_VERSION, version, &p);
  *out = p;
  return hr;
}

template <typename Provider>
HRESULT ShutdownAs(IUnknown* provider) {
  ULONG flags = 0;
  return static_cast<Provider*>(provider)->Shutdown(&flags);
}

template <typename Logon>
HRESULT LastErrorAs(IUnknown* logon, HRESULT hr, LPMAPIERROR* error) {
  return static_cast<Logon*>(logon)->GetLastError(hr, 0, error);
}

}  // namespace provider_kind_detail

inline constexpr ProviderKindInfo kTransportKind{
    ProviderKind::kTransport, "transport", "XPProviderInit", 0, &IID_IXPProvider, &IID_IXPLogon,
    "IXPProvider::TransportLogon", "IXPLogon::TransportLogoff",
    &provider_kind_detail::InitAs<IXPProvider, LPXPPROVIDERINIT>,
    [](IUnknown* provider, LPMAPISUP support, LPTSTR profile, LPFREEBUFFER, LPMAPIERROR* error, IUnknown** out,
       LPMDB*) -> HRESULT {
      IXPLogon* logon = nullptr;
      ULONG flags = 0;
      const HRESULT hr = static_cast<IXPProvider*>(provider)->TransportLogon(support, 0, profile, &flags, error, &logon);
      *out = logon;
      return hr;
    },
    [](IUnknown* logon) { return static_cast<IXPLogon*>(logon)->TransportLogoff(0); },
    &provider_kind_detail::ShutdownAs<IXPProvider>,
    nullptr};

inline constexpr ProviderKindInfo kAddressBookKind{
    ProviderKind::kAddressBook, "address book", "ABProviderInit", 1, &IID_IABProvider, &IID_IABLogon,
    "IABProvider::Logon", "IABLogon::Logoff",
    &provider_kind_detail::InitAs<IABProvider, LPABPROVIDERINIT>,
    [](IUnknown* provider, LPMAPISUP support, LPTSTR profile, LPFREEBUFFER free_buffer, LPMAPIERROR* error,
       IUnknown** out, LPMDB*) -> HRESULT {
      IABLogon* logon = nullptr;
      ULONG cb_security = 0;
      LPBYTE security = nullptr;
      const HRESULT hr =
          static_cast<IABProvider*>(provider)->Logon(support, 0, profile, 0, &cb_security, &security, error, &logon);
      if (security) free_buffer(security);
      *out = logon;
      return hr;
    },
    [](IUnknown* logon) { return static_cast<IABLogon*>(logon)->Logoff(0); },
    &provider_kind_detail::ShutdownAs<IABProvider>,
    &provider_kind_detail::LastErrorAs<IABLogon>};

inline constexpr ProviderKindInfo kStoreKind{
    ProviderKind::kStore, "store", "MSProviderInit", 2, &IID_IMSProvider, &IID_IMSLogon,
    "IMSProvider::Logon", "IMSLogon::Logoff",
    &provider_kind_detail::InitAs<IMSProvider, LPMSPROVIDERINIT>,
    [](IUnknown* provider, LPMAPISUP support, LPTSTR profile, LPFREEBUFFER free_buffer, LPMAPIERROR* error,
       IUnknown** out, LPMDB* store) -> HRESULT {
      IMSLogon* logon = nullptr;
      ULONG cb_spool = 0;
      LPBYTE spool = nullptr;
      const HRESULT hr = static_cast<IMSProvider*>(provider)->Logon(support, 0, profile, 0, nullptr, MAPI_BEST_ACCESS, nullptr,
                                                                    &cb_spool, &spool, error, &logon, store);
      if (spool) free_buffer(spool);
      *out = logon;
      return hr;
    },
    [](IUnknown* logon) -> HRESULT {
      ULONG flags = 0;
      return static_cast<IMSLogon*>(logon)->Logoff(&flags);
    },
    &provider_kind_detail::ShutdownAs<IMSProvider>,
    &provider_kind_detail::LastErrorAs<IMSLogon>};

constexpr const ProviderKindInfo& DescribeKind(ProviderKind kind) {
  return kind == ProviderKind::kTransport ? kTransportKind : kind == ProviderKind::kAddressBook ? kAddressBookKind : kStoreKind;
}
constexpr const char* ProviderKindName(ProviderKind kind) { return DescribeKind(kind).name; }
constexpr int ShutdownRank(ProviderKind kind) { return DescribeKind(kind).shutdown_rank; }

inline constexpr int kShutdownRanks = 3;  // transports, address books, stores

// Puts `items` (a vector or a span) in shutdown order (transports, address books, stores),
// keeping the order of the profile within a kind; `kind_of(item)` names an item's kind. The fast
// and the normal shutdown both order with this. A stable bucket sort over the three ranks: one
// pass, linear in the items (a comparison sort made each phase of a large exit N log N).
template <typename Items, typename KindOf>
void SortForShutdown(Items&& items, KindOf kind_of) {
  using Item = typename std::remove_reference_t<Items>::value_type;
  std::array<std::vector<Item>, kShutdownRanks> buckets;
  for (auto& item : items) buckets[ShutdownRank(kind_of(item))].push_back(std::move(item));
  size_t i = 0;
  for (auto& bucket : buckets) {
    for (auto& item : bucket) items[i++] = std::move(item);
  }
}

}  // namespace mapishut
