// GetLastError on provider objects (issue 9, item 3): every IMAPIProp from the SDK's defaults
// answers it, and an object keeping a LastError hands back its last failure's file and reason.
#include <gtest/gtest.h>
#include <mapix.h>

#include <string>

#include "mapishut/com_object.h"
#include "mapishut/com_ptr.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/last_error.h"

namespace mapishut {
namespace {

// A message that implements nothing but what the defaults give it.
class BareMessage final : public ComObject<BareMessage, MessageDefaults<IMessage>> {};

// A message whose SaveChanges fails with a reason.
class FailingMessage final : public ComObject<FailingMessage, MessageDefaults<IMessage>> {
 public:
  STDMETHODIMP SaveChanges(ULONG) override { return last_error_.Set(Status::NoSpace("/data/store.db: disk full")); }
  STDMETHODIMP GetLastError(HRESULT hr, ULONG, LPMAPIERROR FAR* e) override { return last_error_.Get(hr, MAPIAllocateBuffer, e); }

 private:
  LastError last_error_{"test store"};
};

TEST(LastError, AnObjectThatNeverFailedAnswersGetLastErrorWithNoError) {
  com_ptr<IMessage> m;
  m.attach(new BareMessage());
  LPMAPIERROR e = reinterpret_cast<LPMAPIERROR>(1);
  EXPECT_EQ(m->GetLastError(MAPI_E_CALL_FAILED, 0, &e), S_OK);
  EXPECT_EQ(e, nullptr);
  EXPECT_EQ(m->GetLastError(MAPI_E_CALL_FAILED, 0, nullptr), MAPI_E_INVALID_PARAMETER);
}

TEST(LastError, AFailedCallsReasonComesBackAsAMapiError) {
  com_ptr<IMessage> m;
  m.attach(new FailingMessage());
  EXPECT_EQ(m->SaveChanges(0), MAPI_E_NOT_ENOUGH_DISK);
  LPMAPIERROR e = nullptr;
  ASSERT_EQ(m->GetLastError(MAPI_E_NOT_ENOUGH_DISK, 0, &e), S_OK);
  ASSERT_NE(e, nullptr);
  EXPECT_NE(std::string(reinterpret_cast<const char*>(e->lpszError)).find("/data/store.db: disk full"), std::string::npos);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(e->lpszComponent)), "test store");
  MAPIFreeBuffer(e);
}

// GetLastError is asked about the failure the caller just got (its first argument): the reason
// of an older failure is never handed out for another one, such as a bad parameter afterwards.
TEST(LastError, AReasonIsGivenOnlyForTheFailureItExplains) {
  com_ptr<IMessage> m;
  m.attach(new FailingMessage());
  EXPECT_EQ(m->SaveChanges(0), MAPI_E_NOT_ENOUGH_DISK);
  LPMAPIERROR e = reinterpret_cast<LPMAPIERROR>(1);
  ASSERT_EQ(m->GetLastError(MAPI_E_INVALID_PARAMETER, 0, &e), S_OK);
  EXPECT_EQ(e, nullptr) << reinterpret_cast<const char*>(e->lpszError);
}

}  // namespace
}  // namespace mapishut
