// The store at the edges SIGKILL does not reach (issue 10; SPEC.md "The edges of the contract",
// rule 7): a second owner of one database, a value too large to store.
#include <stdio.h>
#include <unistd.h>

#include <string>

#include <gmock/gmock.h>

#include "mapishut/com_ptr.h"
#include "store_client.h"
#include "store_fixture.h"

namespace mapishut::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Runs the probe (a second client process) against `dir`; its one line of output.
std::string SecondClientLogon(const std::string& dir) {
  const std::string command = std::string(MAPISHUT_BINARY_DIR "/tests/store/logon_probe ") + dir;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  char line[1024] = {};
  const bool read = fgets(line, sizeof line, pipe) != nullptr;
  pclose(pipe);
  return read ? line : "no output";
}

class StoreFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeStoreProfile();
    UseStoreProfile(dir_);
    ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  }
  void TearDown() override { MAPIUninitialize(); }
  HRESULT LogonDefault(com_ptr<IMAPISession>* s) {
    return MAPILogonEx(0, nullptr, nullptr, MAPI_EXTENDED | MAPI_USE_DEFAULT, s->put());
  }
  std::string dir_;
};

TEST_F(StoreFaultsTest, ASecondProcessOnTheSameStoreIsRefusedNamingTheFileAndTheHolder) {
  com_ptr<IMAPISession> s;
  ASSERT_EQ(LogonDefault(&s), S_OK);
  const std::string answer = SecondClientLogon(dir_);
  EXPECT_THAT(answer, StartsWith("0x8004010B"));  // MAPI_E_BUSY
  EXPECT_THAT(answer, HasSubstr(dir_ + "/store.db"));
  EXPECT_THAT(answer, HasSubstr("process " + std::to_string(getpid())));
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  s.reset();
  EXPECT_THAT(SecondClientLogon(dir_), StartsWith("0x00000000"));  // free again once closed
}

TEST_F(StoreFaultsTest, AStoreServiceListedTwiceInAProfileIsRefusedAtLogon) {
  std::ofstream(dir_ + "/profiles.inf") << "[Profiles]\nDefault=p\n[Profile p]\nServices=Store, Store\n";
  com_ptr<IMAPISession> s;
  EXPECT_EQ(LogonDefault(&s), MAPI_E_BUSY);
  EXPECT_THAT(LastErrorMessage(), HasSubstr(dir_ + "/store.db"));
  EXPECT_THAT(LastErrorMessage(), HasSubstr("this process"));
}

TEST_F(StoreFaultsTest, AValueTooLargeToStoreFailsSaveChangesInsteadOfVanishing) {
  com_ptr<IMAPISession> s;
  ASSERT_EQ(LogonDefault(&s), S_OK);
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
  ASSERT_EQ(OpenDefaultStore(s.get(), &store), S_OK);
  ASSERT_EQ(OpenInbox(store.get(), &inbox), S_OK);
  com_ptr<IMessage> m;
  ASSERT_EQ(inbox->CreateMessage(nullptr, 0, m.put()), S_OK);
  std::string body(1'000'000'100, 'x');  // over SQLite's default limit of 1,000,000,000 bytes
  SPropValue value;
  value.ulPropTag = PR_BODY_A;
  value.Value.lpszA = body.data();
  ASSERT_EQ(m->SetProps(1, &value, nullptr), S_OK);
  EXPECT_EQ(m->SaveChanges(0), MAPI_E_TOO_BIG);
}

}  // namespace
}  // namespace mapishut::test
