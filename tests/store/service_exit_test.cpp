// A service stopped with SIGTERM takes the fast path (issue 12, item 5): the signal's thread runs
// the exit sequence, the process ends with everything acknowledged on disk, and systemd hears
// STOPPING=1 and a timeout extension over a real NOTIFY_SOCKET this test creates.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <sqlite3.h>

#include "child_process.h"
#include "mapishut/service_exit.h"
#include "store_client.h"
#include "store_fixture.h"

namespace mapishut::test {
namespace {

using ::testing::Contains;
using ::testing::StartsWith;

// The service manager's end of NOTIFY_SOCKET: a datagram socket in the test's directory.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    bound_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~NotifySocket() { close(fd_); }
  bool bound() const { return bound_; }
  // Every state line sent so far (the sender has exited: nothing more is coming).
  std::vector<std::string> Received() {
    std::vector<std::string> lines;
    char buffer[256];
    ssize_t n;
    while ((n = recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT)) > 0) lines.emplace_back(buffer, static_cast<size_t>(n));
    return lines;
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
};

long long CountMessages(const std::string& db) {
  sqlite3* h = nullptr;
  long long n = -1;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM messages", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return n;
}

TEST(ServiceExit, SigtermRunsTheFastPathTellsSystemdAndLeavesEverySaveOnDisk) {
  const std::string dir = MakeStoreProfile();
  UseStoreProfile(dir);
  NotifySocket manager(dir + "/notify");
  ASSERT_TRUE(manager.bound());
  setenv("NOTIFY_SOCKET", (dir + "/notify").c_str(), 1);
  constexpr int kSaves = 20;
  const ChildEnd end = RunChild([](ChildPipe& child) {
    com_ptr<IMAPISession> s;
    char profile[] = "p";
    if (MAPIInitialize(nullptr) != S_OK || MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()) != S_OK) return 2;
    com_ptr<IMsgStore> store;
    com_ptr<IMAPIFolder> inbox;
    if (OpenDefaultStore(s.get(), &store) != S_OK || OpenInbox(store.get(), &inbox) != S_OK) return 3;
    for (int i = 0; i < kSaves; ++i) {
      SampleProps props(i);
      com_ptr<IMessage> m;
      if (inbox->CreateMessage(nullptr, 0, m.put()) != S_OK ||
          m->SetProps(static_cast<ULONG>(props.values.size()), props.values.data(), nullptr) != S_OK || m->SaveChanges(0) != S_OK) {
        return 4;
      }
    }
    StopOptions options;
    options.extend_every = std::chrono::milliseconds(5);
    if (!InstallStopHandler(s.get(), options).ok()) return 5;
    child.Report("serving");
    raise(SIGTERM);  // as systemctl stop would
    // The stop thread ends the process; a handler that did nothing would leave us here.
    for (int i = 0; i < 100; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return 6;
  });
  unsetenv("NOTIFY_SOCKET");
  EXPECT_TRUE(end.exited) << end.Describe();
  EXPECT_EQ(end.exit_code, 0) << end.Describe();
  const std::vector<std::string> lines = manager.Received();
  EXPECT_THAT(lines, Contains("STOPPING=1"));
  EXPECT_THAT(lines, Contains(StartsWith("EXTEND_TIMEOUT_USEC=")));
  EXPECT_EQ(CountMessages(dir + "/store.db"), kSaves);  // the fast path committed every save
  std::filesystem::remove_all(dir);
}

TEST(ServiceExit, WithoutNotifySocketNotifyingDoesNothingAndSucceeds) {
  unsetenv("NOTIFY_SOCKET");
  EXPECT_TRUE(NotifyServiceManager("READY=1").ok());
}

}  // namespace
}  // namespace mapishut::test
