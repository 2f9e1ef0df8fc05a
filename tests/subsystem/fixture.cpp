#include "fixture.h"

#include <algorithm>

#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace mapishut::test {
namespace {

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kTransport: return "MAPI_TRANSPORT_PROVIDER";
    case Kind::kAddressBook: return "MAPI_AB_PROVIDER";
    case Kind::kStore: return "MAPI_STORE_PROVIDER";
  }
  return "";
}

}  // namespace

void SubsystemTest::SetUp() {
  journal().Reset();
  char tmpl[] = "/tmp/mapishut-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_TEST_PROVIDER_DIR, 1);
  SetConfigDirectory(dir_);
  SetPolicyReader(NewFixedPolicyReader(std::nullopt, "test: no policy"));
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
}

void SubsystemTest::TearDown() {
  if (uninitialize_in_teardown_ && !GetShutdownRecord().ended) MAPIUninitialize();
  journal().ReleaseHangs();
  std::filesystem::remove_all(dir_);
}

void SubsystemTest::WriteFile(const std::string& name, const std::string& text) {
  std::ofstream(dir_ + "/" + name) << text;
}

void SubsystemTest::WriteProfile(const std::string& profile, const std::vector<ProviderSpec>& providers) {
  std::string services;
  for (const auto& p : providers) {
    const std::string service = profile + "_" + p.name;
    services += (services.empty() ? "" : ", ") + service;
    services_ += "[" + service + "]\nPR_DISPLAY_NAME=" + p.name + " service\nProviders=" + service + " Provider\n\n";
    services_ += "[" + service + " Provider]\nPR_PROVIDER_DLL_NAME=" + p.dll + "\nPR_RESOURCE_TYPE=" + KindName(p.kind) +
                 "\nPR_DISPLAY_NAME=" + p.name + "\nPR_PROVIDER_DISPLAY=Scripted " + KindName(p.kind) + "\n" + p.settings + "\n";
  }
  profiles_ += "\n[Profile " + profile + "]\nServices=" + services + "\n";
  WriteFile("mapisvc.inf", "[Services]\n\n" + services_);
  WriteFile("profiles.inf", profiles_);
}

HRESULT SubsystemTest::Logon(const std::string& profile, com_ptr<IMAPISession>* session) {
  std::string name = profile;
  // The flags MFCMAPI passes on Windows; a subsystem without UI accepts them and shows none.
  return MAPILogonEx(0, name.data(), nullptr,
                     MAPI_EXTENDED | MAPI_EXPLICIT_PROFILE | MAPI_ALLOW_OTHERS | MAPI_NEW_SESSION | MAPI_LOGON_UI,
                     session->put());
}

com_ptr<IMAPIClientShutdown> SubsystemTest::ClientShutdown(const com_ptr<IMAPISession>& session) {
  com_ptr<IMAPIClientShutdown> cs;
  EXPECT_EQ(session.query_to(IID_IMAPIClientShutdown, cs.put()), S_OK);
  return cs;
}

bool SubsystemTest::AnyReportContains(const std::string& text) {
  for (const auto& r : GetShutdownRecord().reports) {
    if (r.find(text) != std::string::npos) return true;
  }
  return false;
}

std::vector<std::string> SubsystemTest::Order(testjournal::Method method) {
  std::vector<std::string> names;
  for (const auto& c : journal().Calls(method)) names.push_back(c.provider);
  return names;
}

std::vector<std::string> SubsystemTest::OrderAmong(testjournal::Method method, const std::vector<std::string>& names) {
  std::vector<std::string> order;
  for (const auto& name : Order(method)) {
    if (std::find(names.begin(), names.end(), name) != names.end()) order.push_back(name);
  }
  return order;
}

}  // namespace mapishut::test
