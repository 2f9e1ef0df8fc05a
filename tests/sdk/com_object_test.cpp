// mapishut::ComObject and TearOff (include/mapishut/com_object.h): one IUnknown for every COM
// class, answering the whole interface chain with COM's codes and keeping one identity.
#include <gtest/gtest.h>

#include "mapishut/com_object.h"
#include "mapishut/com_ptr.h"
#include "mapishut/interface_defaults.h"

namespace mapishut {
namespace {

int g_destroyed = 0;

class Message final : public ComObject<Message, MessageDefaults<IMessage>> {
 public:
  ~Message() override { ++g_destroyed; }
};

class KeptAlive final : public ComObject<KeptAlive, MAPITableDefaults<IMAPITable>, MAPIPropDefaults<IMAPIProp>> {
 public:
  int final_releases = 0;

 private:
  void OnFinalRelease() override { ++final_releases; }
};

class ShutdownTearOff final : public TearOff<IMAPIClientShutdown> {
 public:
  using TearOff::TearOff;
  MAPI_IMAPICLIENTSHUTDOWN_METHODS(IMPL)
};
STDMETHODIMP ShutdownTearOff::QueryFastShutdown() { return S_OK; }
STDMETHODIMP ShutdownTearOff::NotifyProcessShutdown() { return S_OK; }
STDMETHODIMP ShutdownTearOff::DoFastShutdown() { return S_OK; }

class Owner final : public ComObject<Owner, MAPIPropDefaults<IMAPIProp>> {
 public:
  Owner() : tear_off_(identity()) {}

 private:
  IUnknown* QueryExtra(REFIID riid) override {
    return riid == IID_IMAPIClientShutdown ? static_cast<IMAPIClientShutdown*>(&tear_off_) : nullptr;
  }
  ShutdownTearOff tear_off_;
};

IUnknown* IdentityOf(IUnknown* object) {
  IUnknown* unknown = nullptr;
  EXPECT_EQ(object->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(&unknown)), S_OK);
  unknown->Release();
  return unknown;
}

TEST(ComObject, AnswersTheWholeInterfaceChainWithOneIdentity) {
  com_ptr<IMessage> message = adopt<IMessage>(new Message());
  auto prop = message.try_query<IMAPIProp>();
  ASSERT_TRUE(prop);
  EXPECT_EQ(static_cast<void*>(prop.get()), static_cast<void*>(message.get()));
  EXPECT_EQ(IdentityOf(prop.get()), IdentityOf(message.get()));
  EXPECT_FALSE(message.try_query<IMAPIFolder>());
  EXPECT_FALSE(message.try_query<IMAPITable>());
}

TEST(ComObject, UsesCOMsCodesForNullPointersAndUnknownInterfaces) {
  com_ptr<IMessage> message = adopt<IMessage>(new Message());
  EXPECT_EQ(message->QueryInterface(IID_IMessage, nullptr), E_INVALIDARG);
  void* out = reinterpret_cast<void*>(1);
  EXPECT_EQ(message->QueryInterface(IID_IMAPIFolder, &out), E_NOINTERFACE);
  EXPECT_EQ(out, nullptr);
}

TEST(ComObject, FreesTheObjectOnTheLastReleaseOnly) {
  g_destroyed = 0;
  auto* message = new Message();
  EXPECT_EQ(message->AddRef(), 2u);
  EXPECT_EQ(message->Release(), 1u);
  EXPECT_EQ(g_destroyed, 0);
  EXPECT_EQ(message->Release(), 0u);
  EXPECT_EQ(g_destroyed, 1);
}

TEST(ComObject, SeveralInterfacesShareOneCountAndTheFinalReleaseHookRunsOnce) {
  KeptAlive object;  // the hook does not free it
  object.AddRef();   // the caller's reference (the object starts with one, released below)
  IMAPIProp* prop = nullptr;
  ASSERT_EQ(static_cast<IMAPITable*>(&object)->QueryInterface(IID_IMAPIProp, reinterpret_cast<void**>(&prop)), S_OK);
  EXPECT_EQ(IdentityOf(prop), IdentityOf(static_cast<IMAPITable*>(&object)));
  prop->Release();
  object.Release();
  EXPECT_EQ(object.final_releases, 0);
  object.Release();
  EXPECT_EQ(object.final_releases, 1);
}

TEST(ComObject, ATearOffIsTheSamePointerEachTimeAndHasItsOwnersIdentity) {
  com_ptr<IMAPIProp> owner = adopt<IMAPIProp>(new Owner());
  auto first = owner.try_query<IMAPIClientShutdown>();
  auto second = owner.try_query<IMAPIClientShutdown>();
  ASSERT_TRUE(first);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(IdentityOf(first.get()), IdentityOf(owner.get()));
  auto back = first.try_query<IMAPIProp>();  // the tear-off hands other interfaces to its owner
  EXPECT_EQ(back.get(), owner.get());
}

TEST(InterfaceDefaults, EveryMethodTheImplementationLeavesOutAnswersNoSupport) {
  com_ptr<IMessage> message = adopt<IMessage>(new Message());
  EXPECT_EQ(message->SubmitMessage(0), MAPI_E_NO_SUPPORT);
  EXPECT_EQ(message->SaveChanges(0), MAPI_E_NO_SUPPORT);
  ULONG count = 0;
  LPSPropValue values = nullptr;
  EXPECT_EQ(message->GetProps(nullptr, 0, &count, &values), MAPI_E_NO_SUPPORT);
}

}  // namespace
}  // namespace mapishut
