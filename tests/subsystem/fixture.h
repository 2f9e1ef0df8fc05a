// A test fixture that writes a profile of scripted providers into a fresh configuration
// directory, points the subsystem at it, and initializes MAPI. Each TEST runs in its own
// process under ctest, which matters: a successful fast shutdown ends MAPI for the process.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <mapicode.h>
#include <mapiguid.h>
#include <mapix.h>

#include <string>
#include <vector>

#include "journal.h"
#include "mapishut/com_ptr.h"
#include "mapishut/subsystem.h"

namespace mapishut::test {

enum class Kind { kTransport, kAddressBook, kStore };

struct ProviderSpec {
  std::string name;  // PR_DISPLAY_NAME: the journal's key
  Kind kind;
  std::string dll = "libscripted_provider.so";
  std::string settings = "";  // more lines for its provider section ("PR_MAPISHUT_DATA_PATH=...\n")
};

class SubsystemTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Adds a profile with one service per provider, in the given order.
  void WriteProfile(const std::string& profile, const std::vector<ProviderSpec>& providers);
  // Writes raw files (for malformed-configuration tests).
  void WriteFile(const std::string& name, const std::string& text);

  HRESULT Logon(const std::string& profile, com_ptr<IMAPISession>* session);
  com_ptr<IMAPIClientShutdown> ClientShutdown(const com_ptr<IMAPISession>& session);

  testjournal::Journal& journal() { return testjournal::Journal::Get(); }
  // Names of the providers that got `method`, in call order.
  std::vector<std::string> Order(testjournal::Method method);
  // The same, only for `names` (one session's providers): sessions are told concurrently, so
  // only the order inside each session is defined.
  std::vector<std::string> OrderAmong(testjournal::Method method, const std::vector<std::string>& names);
  void Policy(std::optional<FastShutdownBehavior> value) { SetPolicyReader(NewFixedPolicyReader(value, "test policy")); }
  // True when a line of the shutdown record's reports contains `text`.
  bool AnyReportContains(const std::string& text);

  std::string dir_;
  bool uninitialize_in_teardown_ = true;

 private:
  std::string services_;
  std::string profiles_ = "[Profiles]\n";
};

}  // namespace mapishut::test
