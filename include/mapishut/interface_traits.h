// What the code needs to know about a COM interface at compile time: its IID and the interface it
// derives from. ComObject answers QueryInterface from these, so an object implementing IMessage
// also answers IMAPIProp and IUnknown, and com_ptr::try_query<I>() needs no IID argument.
//
//   static_assert(mapishut::InterfaceChainContains<IMessage>(IID_IMAPIProp));
#pragma once

#include <mapidefs.h>
#include <mapiguid.h>
#include <mapispi.h>
#include <mapix.h>

#include <type_traits>

namespace mapishut {

// Specialised once per interface below. `Base` is void for IUnknown.
template <typename Interface>
struct InterfaceTraits;

#define MAPISHUT_INTERFACE(Interface, BaseInterface, Iid)       \
  template <>                                                   \
  struct InterfaceTraits<Interface> {                           \
    using Base = BaseInterface;                                 \
    static const IID& iid() { return Iid; }                     \
  }

MAPISHUT_INTERFACE(IUnknown, void, IID_IUnknown);
MAPISHUT_INTERFACE(IMalloc, IUnknown, IID_IMalloc);
MAPISHUT_INTERFACE(IStream, IUnknown, IID_IStream);  // ISequentialStream has no IID of its own here
MAPISHUT_INTERFACE(IMAPIProp, IUnknown, IID_IMAPIProp);
MAPISHUT_INTERFACE(IMAPITable, IUnknown, IID_IMAPITable);
MAPISHUT_INTERFACE(IMAPIContainer, IMAPIProp, IID_IMAPIContainer);
MAPISHUT_INTERFACE(IMAPIFolder, IMAPIContainer, IID_IMAPIFolder);
MAPISHUT_INTERFACE(IMsgStore, IMAPIProp, IID_IMsgStore);
MAPISHUT_INTERFACE(IMessage, IMAPIProp, IID_IMessage);
MAPISHUT_INTERFACE(IAttach, IMAPIProp, IID_IAttachment);
MAPISHUT_INTERFACE(IABContainer, IMAPIContainer, IID_IABContainer);
MAPISHUT_INTERFACE(IMailUser, IMAPIProp, IID_IMailUser);
MAPISHUT_INTERFACE(IDistList, IMAPIContainer, IID_IDistList);
MAPISHUT_INTERFACE(IMAPIStatus, IMAPIProp, IID_IMAPIStatus);
MAPISHUT_INTERFACE(IProfSect, IMAPIProp, IID_IProfSect);
MAPISHUT_INTERFACE(IAddrBook, IMAPIProp, IID_IAddrBook);
MAPISHUT_INTERFACE(IMAPISession, IUnknown, IID_IMAPISession);
MAPISHUT_INTERFACE(IMAPIClientShutdown, IUnknown, IID_IMAPIClientShutdown);
MAPISHUT_INTERFACE(IMAPIProviderShutdown, IUnknown, IID_IMAPIProviderShutdown);
MAPISHUT_INTERFACE(IMAPISupport, IUnknown, IID_IMAPISup);
MAPISHUT_INTERFACE(IXPProvider, IUnknown, IID_IXPProvider);
MAPISHUT_INTERFACE(IABProvider, IUnknown, IID_IABProvider);
MAPISHUT_INTERFACE(IMSProvider, IUnknown, IID_IMSProvider);
MAPISHUT_INTERFACE(IXPLogon, IUnknown, IID_IXPLogon);
MAPISHUT_INTERFACE(IABLogon, IUnknown, IID_IABLogon);
MAPISHUT_INTERFACE(IMSLogon, IUnknown, IID_IMSLogon);

#undef MAPISHUT_INTERFACE

template <typename Interface>
const IID& IidOf() {
  return InterfaceTraits<Interface>::iid();
}

// The interface a base class implements: the class itself, or for the defaults bases of
// interface_defaults.h the interface they name as ImplementedInterface.
template <typename T, typename = void>
struct InterfaceOfBase {
  using type = T;
};
template <typename T>
struct InterfaceOfBase<T, std::void_t<typename T::ImplementedInterface>> {
  using type = typename T::ImplementedInterface;
};
template <typename T>
using InterfaceOf = typename InterfaceOfBase<T>::type;

// True when `riid` names `Interface` or one of the interfaces it derives from.
template <typename Interface>
bool InterfaceChainContains(REFIID riid) {
  if (riid == InterfaceTraits<Interface>::iid()) return true;
  using Base = typename InterfaceTraits<Interface>::Base;
  if constexpr (std::is_void_v<Base>) {
    return false;
  } else {
    return InterfaceChainContains<Base>(riid);
  }
}

}  // namespace mapishut
