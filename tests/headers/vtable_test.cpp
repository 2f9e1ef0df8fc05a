// The interfaces keep COM's and Microsoft's slot order: an object built from a plain C table of
// function pointers, laid out as Microsoft's headers lay out the vtable, is called correctly
// through the C++ interfaces. If a method moved, the call would land in the wrong slot.
#include <gtest/gtest.h>
#include <mapicode.h>
#include <mapidefs.h>
#include <mapispi.h>
#include <mapix.h>

namespace {

// Every slot records its own index when called.
int g_called = -1;
template <int N>
HRESULT STDMETHODCALLTYPE Slot(void*) {
  g_called = N;
  return MAKE_MAPI_E(0x700 + N);
}

template <int... N>
struct Table {
  void* slots[sizeof...(N)] = {reinterpret_cast<void*>(&Slot<N>)...};
};

// A C-style object: its first word points at the table, as a COM object's does.
struct CObject {
  void** vtable;
};

template <typename Interface, typename TableT>
Interface* AsInterface(CObject* o, TableT* t) {
  o->vtable = t->slots;
  return reinterpret_cast<Interface*>(o);
}

TEST(VtableOrder, IUnknownIsQueryInterfaceAddRefRelease) {
  Table<0, 1, 2> table;
  CObject o;
  IUnknown* u = AsInterface<IUnknown>(&o, &table);
  u->QueryInterface(IID_IUnknown, nullptr);
  EXPECT_EQ(g_called, 0);
  u->AddRef();
  EXPECT_EQ(g_called, 1);
  u->Release();
  EXPECT_EQ(g_called, 2);
}

TEST(VtableOrder, ShutdownInterfacesFollowIUnknownInDocumentedOrder) {
  Table<0, 1, 2, 3, 4, 5> table;
  CObject o;
  auto* client = AsInterface<IMAPIClientShutdown>(&o, &table);
  EXPECT_EQ(client->QueryFastShutdown(), MAKE_MAPI_E(0x703));
  EXPECT_EQ(client->NotifyProcessShutdown(), MAKE_MAPI_E(0x704));
  EXPECT_EQ(client->DoFastShutdown(), MAKE_MAPI_E(0x705));
  auto* provider = AsInterface<IMAPIProviderShutdown>(&o, &table);
  EXPECT_EQ(provider->QueryFastShutdown(), MAKE_MAPI_E(0x703));
  EXPECT_EQ(provider->DoFastShutdown(), MAKE_MAPI_E(0x705));
}

TEST(VtableOrder, ProviderInterfacesPutShutdownFirstAndLogonSecond) {
  Table<0, 1, 2, 3, 4, 5, 6> table;
  CObject o;
  ULONG flags = 0;
  EXPECT_EQ(AsInterface<IXPProvider>(&o, &table)->Shutdown(&flags), MAKE_MAPI_E(0x703));
  EXPECT_EQ(AsInterface<IXPProvider>(&o, &table)->TransportLogon(nullptr, 0, nullptr, &flags, nullptr, nullptr),
            MAKE_MAPI_E(0x704));
  EXPECT_EQ(AsInterface<IABProvider>(&o, &table)->Logon(nullptr, 0, nullptr, 0, nullptr, nullptr, nullptr, nullptr),
            MAKE_MAPI_E(0x704));
  EXPECT_EQ(AsInterface<IMSProvider>(&o, &table)->CompareStoreIDs(0, nullptr, 0, nullptr, 0, nullptr), MAKE_MAPI_E(0x706));
}

TEST(VtableOrder, SessionMethodsSitInMicrosoftsSlots) {
  Table<0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21> table;
  CObject o;
  auto* s = AsInterface<IMAPISession>(&o, &table);
  EXPECT_EQ(s->GetMsgStoresTable(0, nullptr), MAKE_MAPI_E(0x704));
  EXPECT_EQ(s->OpenMsgStore(0, 0, nullptr, nullptr, 0, nullptr), MAKE_MAPI_E(0x705));
  EXPECT_EQ(s->Logoff(0, 0, 0), MAKE_MAPI_E(0x711));  // slot 17
  EXPECT_EQ(s->PrepareForm(nullptr, nullptr, nullptr), MAKE_MAPI_E(0x715));
}

TEST(VtableOrder, MsgStoreAndMessageExtendIMAPIProp) {
  Table<0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28> table;
  CObject o;
  // IMAPIProp: GetLastError(3) SaveChanges(4) GetProps(5) ... GetIDsFromNames(13); IMsgStore from 14.
  EXPECT_EQ(AsInterface<IMsgStore>(&o, &table)->SaveChanges(0), MAKE_MAPI_E(0x704));
  EXPECT_EQ(AsInterface<IMsgStore>(&o, &table)->Advise(0, nullptr, 0, nullptr, nullptr), MAKE_MAPI_E(0x70E));
  EXPECT_EQ(AsInterface<IMessage>(&o, &table)->GetAttachmentTable(0, nullptr), MAKE_MAPI_E(0x70E));
  EXPECT_EQ(AsInterface<IMessage>(&o, &table)->SubmitMessage(0), MAKE_MAPI_E(0x714));  // slot 20
}

}  // namespace
