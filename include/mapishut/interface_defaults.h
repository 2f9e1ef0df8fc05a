// Bases that give every method of a MAPI interface a body answering MAPI_E_NO_SUPPORT, so an
// implementation overrides only what it supports and every other vtable slot still answers.
// The method lists come from Microsoft's MAPI_I*_METHODS macros, so a base cannot drift from the
// header. The interfaces themselves (mapidefs.h, mapispi.h) stay pure, as COM requires.
//
//   class Folder final : public mapishut::ComObject<Folder, mapishut::MAPIFolderDefaults<IMAPIFolder>> { ... };
//
// An object whose unsupported methods must answer something else (the support object answers
// MAPI_E_END_OF_SESSION after the end) overrides Unsupported().
#pragma once

#include <mapicode.h>
#include <mapidefs.h>
#include <mapispi.h>
#include <mapix.h>

namespace mapishut {

// The root of every defaults base: names the interface it implements (for ComObject) and the
// answer of every method nobody overrode.
template <typename Interface>
class UnsupportedMethods : public Interface {
 public:
  using ImplementedInterface = Interface;

 protected:
  virtual HRESULT Unsupported() { return MAPI_E_NO_SUPPORT; }
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define MAPISHUT_UNSUPPORTED override { return this->Unsupported(); }
#define MAPISHUT_DEFAULTS(Name, Parent, ...)        \
  template <typename Interface>                     \
  class Name : public Parent<Interface> {           \
   public:                                          \
    __VA_ARGS__                                     \
  };

MAPISHUT_DEFAULTS(MAPIPropUnsupported, UnsupportedMethods, MAPI_IMAPIPROP_METHODS(MAPISHUT_UNSUPPORTED))

// IMAPIProp whose GetLastError works: no failure to tell (*out null, S_OK). An object whose calls
// fail with a reason keeps a LastError (mapishut/last_error.h) and answers from it instead.
template <typename Interface>
class MAPIPropDefaults : public MAPIPropUnsupported<Interface> {
 public:
  STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR FAR* out) override {
    if (out == nullptr) return MAPI_E_INVALID_PARAMETER;
    *out = nullptr;
    return S_OK;
  }
};

MAPISHUT_DEFAULTS(MAPIContainerDefaults, MAPIPropDefaults, MAPI_IMAPICONTAINER_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(MAPIFolderDefaults, MAPIContainerDefaults, MAPI_IMAPIFOLDER_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(ABContainerDefaults, MAPIContainerDefaults, MAPI_IABCONTAINER_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(MsgStoreDefaults, MAPIPropDefaults, MAPI_IMSGSTORE_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(MessageDefaults, MAPIPropDefaults, MAPI_IMESSAGE_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(MailUserDefaults, MAPIPropDefaults, MAPI_IMAILUSER_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(AddrBookDefaults, MAPIPropDefaults, MAPI_IADDRBOOK_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(MAPIStatusDefaults, MAPIPropDefaults, MAPI_IMAPISTATUS_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(MAPITableDefaults, UnsupportedMethods, MAPI_IMAPITABLE_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(MAPISupportDefaults, UnsupportedMethods,
                  MAPI_IMAPISUPPORT_METHODS1(MAPISHUT_UNSUPPORTED) MAPI_IMAPISUPPORT_METHODS2(MAPISHUT_UNSUPPORTED)
                      MAPI_IMAPISUPPORT_METHODS3(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(XPLogonUnsupported, UnsupportedMethods, MAPI_IXPLOGON_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(ABLogonUnsupported, UnsupportedMethods, MAPI_IABLOGON_METHODS(MAPISHUT_UNSUPPORTED))
MAPISHUT_DEFAULTS(MSLogonUnsupported, UnsupportedMethods, MAPI_IMSLOGON_METHODS(MAPISHUT_UNSUPPORTED))

#undef MAPISHUT_DEFAULTS
#undef MAPISHUT_UNSUPPORTED
#pragma GCC diagnostic pop

}  // namespace mapishut
