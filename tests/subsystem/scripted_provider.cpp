// A provider library for the tests: it exports all three entry points, and every object it makes
// records its calls in the journal and answers from the test's script. It is loaded through the
// real loader (dlopen) like any provider.
#include <mapicode.h>
#include <mapidefs.h>
#include <mapiguid.h>
#include <mapispi.h>
#include <mapitags.h>

#include <atomic>
#include <string>

#include "journal.h"
#include "mapishut/com_object.h"
#include "mapishut/com_ptr.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/logon_defaults.h"
#include "mapishut/provider_base.h"

using testjournal::Method;
using testjournal::Perform;

namespace {

std::atomic<LPFREEBUFFER> g_free{nullptr};

// The provider's name is the PR_DISPLAY_NAME of its profile section, read the MAPI way.
std::string ReadDisplayName(LPMAPISUP support) {
  LPPROFSECT section = nullptr;
  if (FAILED(support->OpenProfileSection(nullptr, 0, &section)) || section == nullptr) return "?";
  SizedSPropTagArray(1, tags) = {1, {PR_DISPLAY_NAME_A}};
  ULONG count = 0;
  LPSPropValue props = nullptr;
  std::string name = "?";
  if (SUCCEEDED(section->GetProps(reinterpret_cast<LPSPropTagArray>(&tags), 0, &count, &props)) && count == 1 &&
      props[0].ulPropTag == PR_DISPLAY_NAME_A) {
    name = props[0].Value.lpszA;
  }
  if (props) g_free(props);
  section->Release();
  return name;
}

// The objects a scripted store hands out (its message store and everything reached through it).
// Every call is journaled as kObjectCall under the store's name, and none of them refuses by
// itself after DoFastShutdown: only the subsystem's gate stands between them and a client.
template <typename Derived, typename Defaults>
class Journaled : public mapishut::ComObject<Derived, Defaults> {
 public:
  explicit Journaled(std::string owner) : owner_(std::move(owner)) {}

 protected:
  // Its last Release reached it: journaled, so a test sees whether a client's release did.
  ~Journaled() override { testjournal::Journal::Get().Record(owner_, Method::kDestroyed); }
  void Touch() { (void)Perform(owner_, Method::kObjectCall); }  // journaled; may be scripted to hang
  HRESULT Unsupported() override {
    Touch();
    return MAPI_E_NO_SUPPORT;
  }
  template <typename Object, typename Out>
  HRESULT HandOut(Out** out) {
    Touch();
    if (out == nullptr) return E_INVALIDARG;
    *out = new Object(owner_);
    return S_OK;
  }
  std::string owner_;
};

class JournaledTable final : public Journaled<JournaledTable, mapishut::MAPITableDefaults<IMAPITable>> {
 public:
  using Journaled::Journaled;
};

class JournaledAttach final : public Journaled<JournaledAttach, mapishut::MAPIPropDefaults<IAttach>> {
 public:
  using Journaled::Journaled;
};

class JournaledStream final : public mapishut::ComObject<JournaledStream, IStream> {
 public:
  explicit JournaledStream(std::string owner) : owner_(std::move(owner)) {}
  STDMETHODIMP Read(void*, ULONG, ULONG*) override { return Touch(); }
  STDMETHODIMP Write(const void*, ULONG, ULONG*) override { return Touch(); }
  STDMETHODIMP Seek(LARGE_INTEGER, DWORD, ULARGE_INTEGER*) override { return Touch(); }
  STDMETHODIMP SetSize(ULARGE_INTEGER) override { return Touch(); }
  STDMETHODIMP CopyTo(IStream*, ULARGE_INTEGER, ULARGE_INTEGER*, ULARGE_INTEGER*) override { return Touch(); }
  STDMETHODIMP Commit(DWORD) override { return Touch(); }
  STDMETHODIMP Revert() override { return Touch(); }
  STDMETHODIMP LockRegion(ULARGE_INTEGER, ULARGE_INTEGER, DWORD) override { return Touch(); }
  STDMETHODIMP UnlockRegion(ULARGE_INTEGER, ULARGE_INTEGER, DWORD) override { return Touch(); }
  STDMETHODIMP Stat(STATSTG*, DWORD) override { return Touch(); }
  STDMETHODIMP Clone(IStream** out) override {
    Touch();
    *out = new JournaledStream(owner_);
    return S_OK;
  }

 private:
  HRESULT Touch() {
    testjournal::Journal::Get().Record(owner_, Method::kObjectCall);
    return MAPI_E_NO_SUPPORT;
  }
  std::string owner_;
};

class JournaledMessage final : public Journaled<JournaledMessage, mapishut::MessageDefaults<IMessage>> {
 public:
  using Journaled::Journaled;
  STDMETHODIMP OpenProperty(ULONG, LPCIID, ULONG, ULONG, LPUNKNOWN FAR* out) override {
    return HandOut<JournaledStream>(reinterpret_cast<IStream**>(out));
  }
  STDMETHODIMP GetAttachmentTable(ULONG, LPMAPITABLE FAR* out) override { return HandOut<JournaledTable>(out); }
  STDMETHODIMP GetRecipientTable(ULONG, LPMAPITABLE FAR* out) override { return HandOut<JournaledTable>(out); }
  STDMETHODIMP OpenAttach(ULONG, LPCIID, ULONG, LPATTACH FAR* out) override { return HandOut<JournaledAttach>(out); }
  STDMETHODIMP CreateAttach(LPCIID, ULONG, ULONG FAR* number, LPATTACH FAR* out) override {
    if (number) *number = 0;
    return HandOut<JournaledAttach>(out);
  }
};

class JournaledFolder final : public Journaled<JournaledFolder, mapishut::MAPIFolderDefaults<IMAPIFolder>> {
 public:
  using Journaled::Journaled;
  STDMETHODIMP CreateMessage(LPCIID, ULONG, LPMESSAGE FAR* out) override { return HandOut<JournaledMessage>(out); }
  STDMETHODIMP GetContentsTable(ULONG, LPMAPITABLE FAR* out) override { return HandOut<JournaledTable>(out); }
  STDMETHODIMP GetHierarchyTable(ULONG, LPMAPITABLE FAR* out) override { return HandOut<JournaledTable>(out); }
  STDMETHODIMP OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    if (type) *type = MAPI_MESSAGE;
    return HandOut<JournaledMessage>(reinterpret_cast<IMessage**>(out));
  }
};

// Opens the root folder for an empty entry ID and a message for any other.
class JournaledStore final : public Journaled<JournaledStore, mapishut::MsgStoreDefaults<IMsgStore>> {
 public:
  using Journaled::Journaled;
  STDMETHODIMP_(ULONG) AddRef() override {
    testjournal::RunHook(owner_, Method::kReference);
    return Journaled::AddRef();
  }
  STDMETHODIMP_(ULONG) Release() override {
    testjournal::RunHook(owner_, Method::kReference);
    return Journaled::Release();
  }
  STDMETHODIMP OpenEntry(ULONG cb, LPENTRYID, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    if (cb == 0) {
      if (type) *type = MAPI_FOLDER;
      return HandOut<JournaledFolder>(reinterpret_cast<IMAPIFolder**>(out));
    }
    if (type) *type = MAPI_MESSAGE;
    return HandOut<JournaledMessage>(reinterpret_cast<IMessage**>(out));
  }
  STDMETHODIMP GetReceiveFolderTable(ULONG, LPMAPITABLE FAR* out) override { return HandOut<JournaledTable>(out); }
};

// An address book's entries: its root container (with a contents table, and a mail user for any
// entry ID) and its mail users, journaled under the address book's name like a store's objects.
class JournaledMailUser final : public Journaled<JournaledMailUser, mapishut::MailUserDefaults<IMailUser>> {
 public:
  using Journaled::Journaled;
};

class JournaledABContainer final : public Journaled<JournaledABContainer, mapishut::ABContainerDefaults<IABContainer>> {
 public:
  using Journaled::Journaled;
  STDMETHODIMP GetContentsTable(ULONG, LPMAPITABLE FAR* out) override { return HandOut<JournaledTable>(out); }
  STDMETHODIMP OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    if (type) *type = MAPI_MAILUSER;
    return HandOut<JournaledMailUser>(reinterpret_cast<IMailUser**>(out));
  }
};

template <typename Base>
class Counted : public Base {
 public:
  template <typename... Args>
  explicit Counted(std::string name, Args&&... args) : Base(std::forward<Args>(args)...), name_(std::move(name)) {
    testjournal::Journal::Get().ObjectCreated();
  }

 protected:
  ~Counted() override {
    testjournal::Journal::Get().Record(name_, Method::kDestroyed);
    testjournal::Journal::Get().ObjectDestroyed();
  }
  std::string name_;
};

class XPLogon final : public Counted<mapishut::XPLogonDefaults> {
 public:
  using Counted::Counted;
  STDMETHODIMP TransportLogoff(ULONG) override { return Perform(name_, Method::kLogoff); }
  STDMETHODIMP SubmitMessage(ULONG, LPMESSAGE, ULONG_PTR FAR*, ULONG_PTR FAR*) override { return Perform(name_, Method::kSubmit); }
};

class ABLogon final : public Counted<mapishut::ABLogonDefaults> {
 public:
  using Counted::Counted;
  STDMETHODIMP Logoff(ULONG) override { return Perform(name_, Method::kLogoff); }
  // The root container for an empty entry ID, a mail user for any other, whatever interface was
  // asked for (journaled as kObjectCall, and answering what kObjectCall is scripted to).
  STDMETHODIMP OpenEntry(ULONG cb, LPENTRYID, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    if (const HRESULT hr = Perform(name_, Method::kObjectCall); FAILED(hr)) return hr;
    if (out == nullptr) return E_INVALIDARG;
    if (cb == 0) {
      if (type) *type = MAPI_ABCONT;
      *out = static_cast<IABContainer*>(new JournaledABContainer(name_));
    } else {
      if (type) *type = MAPI_MAILUSER;
      *out = static_cast<IMailUser*>(new JournaledMailUser(name_));
    }
    return S_OK;
  }
};

class MSLogon final : public Counted<mapishut::MSLogonDefaults> {
 public:
  using Counted::Counted;
  STDMETHODIMP Logoff(ULONG FAR*) override { return Perform(name_, Method::kLogoff); }
};

// The provider object: its interface plus a scripted IMAPIProviderShutdown.
template <typename Interface>
class Scripted : public mapishut::ComObject<Scripted<Interface>, Interface, IMAPIProviderShutdown> {
  using Base = mapishut::ComObject<Scripted<Interface>, Interface, IMAPIProviderShutdown>;

 public:
  Scripted() { testjournal::Journal::Get().ObjectCreated(); }

  STDMETHODIMP QueryInterface(REFIID riid, LPVOID FAR* ppv) override {
    if (ppv != nullptr && riid == IID_IMAPIProviderShutdown) {
      *ppv = nullptr;
      const HRESULT hr = Perform(name_, Method::kQueryInterface);
      if (!testjournal::Journal::Get().HasShutdownInterface(name_)) return E_NOINTERFACE;
      if (FAILED(hr)) return hr;
    }
    return Base::QueryInterface(riid, ppv);
  }
  STDMETHODIMP_(ULONG) AddRef() override {
    testjournal::RunHook(name_, Method::kReference);
    return Base::AddRef();
  }
  STDMETHODIMP_(ULONG) Release() override {
    testjournal::RunHook(name_, Method::kReference);
    return Base::Release();
  }
  // The last Release runs the script (it may throw), then frees the object.
  void OnFinalRelease() override {
    struct Free {
      Scripted* self;
      ~Free() { delete self; }  // also when the script throws
    } free{this};
    Perform(name_, Method::kRelease);
  }
  STDMETHODIMP QueryFastShutdown() override { return Perform(name_, Method::kQuery); }
  STDMETHODIMP NotifyProcessShutdown() override { return Perform(name_, Method::kNotify); }
  STDMETHODIMP DoFastShutdown() override { return Perform(name_, Method::kDo); }
  STDMETHODIMP Shutdown(ULONG FAR*) override { return Perform(name_, Method::kShutdown); }

 protected:
  ~Scripted() override {
    testjournal::Journal::Get().Record(name_, Method::kDestroyed);
    testjournal::RunHook(name_, Method::kDestroyed);  // a destructor that calls back into MAPI
    testjournal::Journal::Get().ObjectDestroyed();
  }
  // Logs on: learns its name, runs the script, and hands back a logon object unless told not to.
  template <typename Logon, typename Out>
  HRESULT LogonAs(LPMAPISUP support, Out** out) {
    *out = nullptr;
    name_ = ReadDisplayName(support);
    support_ = mapishut::com_ptr<IMAPISupport>(support);
    testjournal::Journal::Get().SetSupport(name_, support);
    const HRESULT hr = Perform(name_, Method::kLogon);
    if (FAILED(hr) || testjournal::Journal::Get().For(name_, Method::kLogon).returns_no_object) return hr;
    *out = new Logon(name_);
    return S_OK;
  }

  std::string name_;
  mapishut::com_ptr<IMAPISupport> support_;
};

class XPProvider final : public Scripted<IXPProvider> {
 public:
  STDMETHODIMP TransportLogon(LPMAPISUP sup, ULONG_PTR, LPTSTR, ULONG FAR*, LPMAPIERROR FAR* err, LPXPLOGON FAR* out) override {
    if (err) *err = nullptr;
    return LogonAs<XPLogon>(sup, out);
  }
};

class ABProvider final : public Scripted<IABProvider> {
 public:
  STDMETHODIMP Logon(LPMAPISUP sup, ULONG_PTR, LPTSTR, ULONG, ULONG FAR* cb, LPBYTE FAR* sec, LPMAPIERROR FAR* err,
                     LPABLOGON FAR* out) override {
    if (cb) *cb = 0;
    if (sec) *sec = nullptr;
    if (err) *err = nullptr;
    return LogonAs<ABLogon>(sup, out);
  }
};

class MSProvider final : public Scripted<IMSProvider> {
 public:
  STDMETHODIMP Logon(LPMAPISUP sup, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG FAR* cb, LPBYTE FAR* sec,
                     LPMAPIERROR FAR* err, LPMSLOGON FAR* out, LPMDB FAR* mdb) override {
    if (cb) *cb = 0;
    if (sec) *sec = nullptr;
    if (err) *err = nullptr;
    if (mdb) *mdb = nullptr;
    const HRESULT hr = LogonAs<MSLogon>(sup, out);
    if (hr == S_OK && *out != nullptr && mdb != nullptr) *mdb = new JournaledStore(name_);
    return hr;
  }
  STDMETHODIMP SpoolerLogon(LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG, LPBYTE, LPMAPIERROR FAR*,
                            LPMSLOGON FAR*, LPMDB FAR*) override {
    return MAPI_E_NO_SUPPORT;
  }
  STDMETHODIMP CompareStoreIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }
};

template <typename Provider, typename Out>
HRESULT Init(const char* entry, LPFREEBUFFER free_buffer, ULONG ulMAPIVer, ULONG FAR* lpulProviderVer, Out** out) {
  g_free = free_buffer;
  *out = nullptr;
  RETURN_IF_FAILED(mapishut::CheckSpiVersion(ulMAPIVer, lpulProviderVer));
  const HRESULT hr = Perform(entry, Method::kInit);
  if (const ULONG v = testjournal::Journal::Get().For(entry, Method::kInit).spi_version) *lpulProviderVer = v;
  if (FAILED(hr) || testjournal::Journal::Get().For(entry, Method::kInit).returns_no_object) return hr;
  *out = new Provider();
  return S_OK;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) STDINITMETHODIMP XPProviderInit(
    HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE, LPFREEBUFFER lpFreeBuffer, ULONG, ULONG ulMAPIVer,
    ULONG FAR* lpulProviderVer, LPXPPROVIDER FAR* lppXPProvider) {
  return Init<XPProvider>("XPProviderInit", lpFreeBuffer, ulMAPIVer, lpulProviderVer, lppXPProvider);
}

__attribute__((visibility("default"))) STDINITMETHODIMP ABProviderInit(
    HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE, LPFREEBUFFER lpFreeBuffer, ULONG, ULONG ulMAPIVer,
    ULONG FAR* lpulProviderVer, LPABPROVIDER FAR* lppABProvider) {
  return Init<ABProvider>("ABProviderInit", lpFreeBuffer, ulMAPIVer, lpulProviderVer, lppABProvider);
}

__attribute__((visibility("default"))) STDINITMETHODIMP MSProviderInit(
    HINSTANCE, LPMALLOC, LPALLOCATEBUFFER, LPALLOCATEMORE, LPFREEBUFFER lpFreeBuffer, ULONG, ULONG ulMAPIVer,
    ULONG FAR* lpulProviderVer, LPMSPROVIDER FAR* lppMSProvider) {
  return Init<MSProvider>("MSProviderInit", lpFreeBuffer, ulMAPIVer, lpulProviderVer, lppMSProvider);
}

}  // extern "C"
