// Profiles and loading (issue 2, item 3): providers come from real shared libraries through
// their documented entry points, and every failure names what failed and unloads the rest.
#include "dynamic_library.h"
#include "fixture.h"

using testjournal::Behavior;
using testjournal::Method;

namespace mapishut::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class LoaderTest : public SubsystemTest {};

TEST_F(LoaderTest, LogonCallsTheEntryPointOfEachKindAndLogsEachProviderOn) {
  WriteProfile("p", {{"Store", Kind::kStore}, {"Book", Kind::kAddressBook}, {"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK) << LastErrorMessage();
  EXPECT_EQ(journal().Count("MSProviderInit", Method::kInit), 1);
  EXPECT_EQ(journal().Count("ABProviderInit", Method::kInit), 1);
  EXPECT_EQ(journal().Count("XPProviderInit", Method::kInit), 1);
  EXPECT_THAT(Order(Method::kLogon), ElementsAre("Store", "Book", "Mail"));  // profile order
}

TEST_F(LoaderTest, UnknownProfileFailsNamingIt) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("nosuch", &s), MAPI_E_LOGON_FAILED);
  EXPECT_FALSE(s);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("'nosuch'"));
}

TEST_F(LoaderTest, MissingConfigurationFilesAreNamed) {
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_LOGON_FAILED);
  EXPECT_THAT(LastErrorMessage(), HasSubstr(dir_ + "/profiles.inf"));
}

TEST_F(LoaderTest, MalformedMapisvcNamesFileAndLine) {
  WriteFile("profiles.inf", "[Profile p]\nServices=S\n");
  WriteFile("mapisvc.inf", "[Services]\nS=x\n[S]\nProviders=P\n[P]\nPR_RESOURCE_TYPE=MAPI_NO_SUCH_THING\n");
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_LOGON_FAILED);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("mapisvc.inf:6"));
}

TEST_F(LoaderTest, MissingLibraryFailsWithDlerrorAndShutsDownProvidersAlreadyLoaded) {
  WriteProfile("p", {{"First", Kind::kTransport}, {"Ghost", Kind::kStore, "/nonexistent/libghost.so"}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_NOT_FOUND);
  const std::string msg = LastErrorMessage();
  EXPECT_THAT(msg, HasSubstr("profile 'p'"));
  EXPECT_THAT(msg, HasSubstr("/nonexistent/libghost.so"));
  EXPECT_THAT(msg, HasSubstr("No such file"));  // dlerror()'s own words
  EXPECT_EQ(journal().Count("First", Method::kLogoff), 1);
  EXPECT_EQ(journal().Count("First", Method::kShutdown), 1);
  EXPECT_EQ(journal().LiveObjects(), 0);
}

TEST_F(LoaderTest, LibraryWithoutTheEntryPointIsNamedBySymbolAndFile) {
  WriteProfile("p", {{"Mail", Kind::kTransport, "libno_entry_provider.so"}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_NOT_FOUND);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("no entry point [XPProviderInit] in"));
  EXPECT_THAT(LastErrorMessage(), HasSubstr("libno_entry_provider.so"));
}

TEST_F(LoaderTest, EntryPointFailureIsReturnedAndNamed) {
  journal().Script("ABProviderInit", Method::kInit, Behavior{MAPI_E_NOT_ENOUGH_MEMORY});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_NOT_ENOUGH_MEMORY);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("ABProviderInit"));
  EXPECT_EQ(journal().Count("Mail", Method::kShutdown), 1);
  EXPECT_EQ(journal().LiveObjects(), 0);
}

TEST_F(LoaderTest, EntryPointThatHandsBackNothingFails) {
  Behavior b;
  b.returns_no_object = true;
  journal().Script("MSProviderInit", Method::kInit, b);
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_CALL_FAILED);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("no provider object"));
}

TEST_F(LoaderTest, EntryPointThatThrowsFailsWithoutTakingTheProcessDown) {
  Behavior b;
  b.throws = true;
  journal().Script("XPProviderInit", Method::kInit, b);
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_CALL_FAILED);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("threw"));
}

TEST_F(LoaderTest, LogonFailureShutsTheProviderDownAndNamesIt) {
  journal().Script("Store", Method::kLogon, Behavior{MAPI_E_NO_ACCESS});
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_NO_ACCESS);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("IMSProvider::Logon"));
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);
  EXPECT_EQ(journal().Count("Mail", Method::kShutdown), 1);
  EXPECT_EQ(journal().LiveObjects(), 0);
}

// The loader's seam, wrapped the way LevelDB's FaultInjectionTestEnv wraps Env.
class VanishingSymbolLoader : public LibraryLoader {
 public:
  class Library : public DynamicLibrary {
   public:
    explicit Library(std::unique_ptr<DynamicLibrary> real) : real_(std::move(real)) {}
    const std::string& path() const override { return real_->path(); }
    void* handle() const override { return real_->handle(); }
    Status Symbol(const char* name, void** address) override {
      if (std::string(name) == "XPProviderInit") return Status::NotFound("no entry point [XPProviderInit] in " + path() + ": vanished");
      return real_->Symbol(name, address);
    }

   private:
    std::unique_ptr<DynamicLibrary> real_;
  };
  Status Open(const std::string& path, std::unique_ptr<DynamicLibrary>* out) override {
    std::unique_ptr<DynamicLibrary> real;
    MAPISHUT_RETURN_IF_ERROR(SystemLibraryLoader()->Open(path, &real));
    *out = std::make_unique<Library>(std::move(real));
    return Status::Ok();
  }
};

TEST_F(LoaderTest, SeamMakesAnEntryPointVanish) {
  VanishingSymbolLoader loader;
  SetLibraryLoaderForTesting(&loader);
  WriteProfile("p", {{"Store", Kind::kStore}, {"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_NOT_FOUND);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("[XPProviderInit]"));
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);  // the store loaded first is unwound
  SetLibraryLoaderForTesting(nullptr);
}

TEST_F(LoaderTest, SeveralSessionsAtOnceAlsoToTheSameProfileGetTheirOwnProviders) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> a, b;
  ASSERT_EQ(Logon("p", &a), S_OK);
  ASSERT_EQ(Logon("p", &b), S_OK);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(journal().Count("XPProviderInit", Method::kInit), 2);  // a new provider object per load
  EXPECT_EQ(journal().LiveObjects(), 4);  // two providers, two logon objects
}

TEST_F(LoaderTest, LogonBeforeInitializeIsRefused) {
  MAPIUninitialize();
  uninitialize_in_teardown_ = false;
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_NOT_INITIALIZED);
}

TEST_F(LoaderTest, DefaultProfileIsUsedWhenNoNameIsGiven) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  WriteFile("profiles.inf", "[Profiles]\nDefault=p\n[Profile p]\nServices=p_Mail\n");
  com_ptr<IMAPISession> s;
  ASSERT_EQ(MAPILogonEx(0, nullptr, nullptr, MAPI_USE_DEFAULT, s.put()), S_OK) << LastErrorMessage();
  EXPECT_EQ(journal().Count("Mail", Method::kLogon), 1);
}

}  // namespace
}  // namespace mapishut::test
