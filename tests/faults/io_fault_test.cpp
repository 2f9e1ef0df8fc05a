// Injected I/O errors (issue 13, item 3). A client (io_fault_child) runs with libfiu's POSIX
// wrappers preloaded; after its logon one call of write, pwrite, fsync, fdatasync, rename or open
// fails with EIO or ENOSPC, at a seeded point among all the calls the run makes (counted first in
// a run without a fault). It saves messages in the store, submits mail through the Maildir spool,
// or lets the address book save its download, and exits as PrepareToExit says. For every run:
// - no S_OK for data that did not become durable: every message acknowledged is on disk, whole,
//   unless the exit says it was lost;
// - a failed fsync of a database is never retried into a claim: the fast exit is refused;
// - a failure reaches the client with the file and the system's reason: in LastErrorMessage, the
//   exit helper's report of what was lost, and the shutdown record.
#include <errno.h>
#include <fcntl.h>
#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "../../providers/store/message_db.h"
#include "../../providers/store/prop_codec.h"
#include "../store/store_fixture.h"
#include "durability_round.h"
#include "maildir_files.h"
#include "mapishut/exit_log.h"

namespace mapishut::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFiuPreload = "/usr/lib/fiu/fiu_posix_preload.so";

// What the child preloads. libfiu's wrappers define malloc, calloc and realloc too; in a sanitizer
// build they would take memory from under the sanitizer's allocator (the child crashes in its
// first allocation), so the sanitizer's runtime, found among this process's own libraries, goes
// first: it keeps malloc, and its interceptors for write, fsync and open call on into libfiu's.
std::string Preload() {
  for (const char* entry : {"__asan_init", "__tsan_init"}) {
    Dl_info info{};
    void* symbol = dlsym(RTLD_DEFAULT, entry);
    if (symbol && dladdr(symbol, &info) && info.dli_fname) return std::string(info.dli_fname) + " " + kFiuPreload;
  }
  return kFiuPreload;
}

// What one run of the child printed, by the first word of each line.
struct ChildRun {
  int status = -1;
  std::multimap<std::string, std::string> lines;
  std::string text;
  std::string One(const std::string& key) const {
    auto it = lines.find(key);
    return it == lines.end() ? "" : it->second;
  }
};

// Runs the child; `syncs_only`: `fail_at` counts the fsync and fdatasync calls alone.
ChildRun RunFaultChild(const std::string& config, const std::string& workload, long fail_at, int error,
                       bool syncs_only = false) {
  const std::string preload = Preload();
  int out[2];
  if (pipe(out) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(out[1], STDERR_FILENO);  // a crash report or a sanitizer's finding reaches the failure message
    close(out[0]);
    setenv("LD_PRELOAD", preload.c_str(), 1);
    setenv("MAPISHUT_PROVIDER_PATH", MAPISHUT_PROVIDER_BUILD_DIR, 1);
    setenv("XDG_STATE_HOME", (config + "/state").c_str(), 1);
    const std::string at = std::to_string(fail_at), code = std::to_string(error);
    execl(MAPISHUT_IO_FAULT_CHILD, "io_fault_child", config.c_str(), workload.c_str(), at.c_str(), code.c_str(),
          syncs_only ? "sync" : "all", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  ChildRun run;
  char buf[4096];
  ssize_t n = 0;
  while ((n = read(out[0], buf, sizeof buf)) > 0) run.text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  waitpid(pid, &run.status, 0);
  std::istringstream in(run.text);
  for (std::string line; std::getline(in, line);) {
    const size_t space = line.find(' ');
    run.lines.emplace(line.substr(0, space), space == std::string::npos ? "" : line.substr(space + 1));
  }
  return run;
}

std::string HowItEnded(int status) {
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  return "with exit status " + std::to_string(WEXITSTATUS(status));
}

// A profile in a fresh directory with the providers `workload` needs, their data beside it.
std::string MakeProfile(const std::string& workload) {
  char tmpl[] = "/tmp/mapishut-fault-XXXXXX";
  if (!mkdtemp(tmpl)) return {};
  const std::string dir = tmpl;
  std::ostringstream svc, services;
  svc << "[Services]\n";
  if (workload != "ab") {
    services << "Store";
    svc << "Store=Store\n";
  }
  if (workload == "spool") {
    services << ", Mail";
    svc << "Mail=Mail\n";
  }
  if (workload == "ab") {
    services << "AB";
    svc << "AB=AB\n";
    fs::create_directories(dir + "/server");
    for (int i = 0; i < 6; ++i) {
      std::ofstream(dir + "/server/" + std::to_string(100 + i) + ".vcf")
          << "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:uid-" << i << "\r\nFN:Person " << i << "\r\nEMAIL:p" << i
          << "@example.org\r\nEND:VCARD\r\n";
    }
  }
  svc << "[Store]\nProviders=Store Provider\n[Store Provider]\nPR_PROVIDER_DLL_NAME=libmapishut_store.so\n"
         "PR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\nPR_RESOURCE_FLAGS=STATUS_DEFAULT_STORE\nPR_DISPLAY_NAME=Store\n"
         "PR_MAPISHUT_DATA_PATH=" << dir << "/store.db\n"
      << "[Mail]\nProviders=Mail Provider\n[Mail Provider]\nPR_PROVIDER_DLL_NAME=libmapishut_maildir.so\n"
         "PR_RESOURCE_TYPE=MAPI_TRANSPORT_PROVIDER\nPR_DISPLAY_NAME=Maildir\nPR_MAPISHUT_REMOTE_PATH=" << dir << "/mail\n"
         "PR_MAPISHUT_POLL_INTERVAL=60000\n"
      << "[AB]\nProviders=AB Provider\n[AB Provider]\nPR_PROVIDER_DLL_NAME=libmapishut_oab.so\n"
         "PR_RESOURCE_TYPE=MAPI_AB_PROVIDER\nPR_DISPLAY_NAME=Address Book\nPR_MAPISHUT_DATA_PATH=" << dir << "/oab.db\n"
         "PR_MAPISHUT_REMOTE_PATH=" << dir << "/server\nPR_MAPISHUT_POLL_INTERVAL=60000\n";
  std::ofstream(dir + "/mapisvc.inf") << svc.str();
  std::ofstream(dir + "/profiles.inf") << "[Profiles]\nDefault=p\n[Profile p]\nServices=" << services.str() << "\n";
  return dir;
}

bool HasSubject(const StoredMessage& m, const std::string& subject) {
  const std::wstring wide(subject.begin(), subject.end());
  SPropValue v{};
  v.ulPropTag = PR_SUBJECT_W;
  v.Value.lpszW = const_cast<wchar_t*>(wide.c_str());
  std::string want;
  EncodeProp(v, &want);
  auto it = m.props.find(PR_SUBJECT_W);
  return it != m.props.end() && it->second == want;
}

class IoFaultTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (access(kFiuPreload, R_OK) != 0) GTEST_SKIP() << "libfiu's POSIX wrappers are not installed (" << kFiuPreload << ")";
  }

  // The checks every run must pass; `what` names the run in messages.
  void Check(const std::string& dir, const ChildRun& run, const std::string& what) {
    const std::string& workload = GetParam();
    ASSERT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0) << what << " ended " << HowItEnded(run.status) << ":\n" << run.text;
    const bool fast = run.One("exit").rfind("fast", 0) == 0;
    const bool lost = run.One("lost").rfind("yes", 0) == 0;
    const std::string injected = run.One("injected");
    const int code = std::atoi(what.substr(what.rfind(' ') + 1).c_str());
    const std::string reason = std::strerror(code);
    const std::string data_file = workload == "ab" ? "oab.db" : workload == "spool" ? "/mail/" : "store.db";

    // A failed fsync of a database is not retried into a claim that its data is durable.
    // The provider stops (no further fsync at all), reports, and the client shuts down normally.
    if (workload != "spool" && injected.find("/sync/") != std::string::npos) {
      EXPECT_FALSE(fast) << what << ": a failed " << injected << " and still a fast exit:\n" << run.text;
      EXPECT_EQ(run.One("syncs_after"), "0") << what << ": the provider synced again after its fsync failed\n" << run.text;
    }
    // A fast exit refused because of the fault says why, with the file and the reason.
    if (!fast && injected != "none") {
      EXPECT_THAT(run.One("why"), ::testing::HasSubstr(reason)) << what << ": the exit helper does not say why\n" << run.text;
    }
    // What was lost, or why a call failed, names the file and the system's reason.
    if (lost) {
      EXPECT_THAT(run.One("lost"), ::testing::HasSubstr(workload == "spool" ? "store.db" : data_file)) << what << "\n" << run.text;
      EXPECT_THAT(run.One("lost"), ::testing::HasSubstr(reason)) << what << "\n" << run.text;
      const std::vector<std::string> record = ReadExitLog(dir + "/state/mapishut/exits.log");
      ASSERT_FALSE(record.empty()) << what << ": no shutdown record";
      EXPECT_THAT(record.back(), ::testing::HasSubstr(reason)) << what << ": the shutdown record does not say why";
    }
    for (auto [it, end] = run.lines.equal_range("error"); it != end; ++it) {
      // The spool's workload also writes the store: its queue of submitted messages.
      EXPECT_THAT(it->second, ::testing::AnyOf(::testing::HasSubstr(data_file), ::testing::HasSubstr("store.db")))
          << what << "\n" << run.text;
      EXPECT_THAT(it->second, ::testing::HasSubstr(reason)) << what << "\n" << run.text;
    }
    if (workload == "store" && !lost) {
      std::unique_ptr<MessageDb> db;
      const Status s = MessageDb::Open(dir + "/store.db", &db);
      ASSERT_TRUE(s.ok()) << what << ": " << s.ToString();
      int id = 0;
      for (auto [it, end] = run.lines.equal_range("save"); it != end; ++it) {
        ++id;
        if (it->second.substr(it->second.find(' ') + 1) != "00000000") continue;
        StoredMessage m;
        const Status loaded = db->Load(id, &m);
        ASSERT_TRUE(loaded.ok()) << what << ": acknowledged message " << id << " is not on disk: " << loaded.ToString() << "\n"
                                 << run.text;
        for (const auto& v : SampleProps(id - 1).values) {
          std::string want;
          EncodeProp(v, &want);
          EXPECT_EQ(m.props[v.ulPropTag], want) << what << ": message " << id << " differs";
        }
      }
    }
    if (workload == "spool") {
      std::vector<std::string> torn;
      const std::set<std::string> spooled = WholeMessages(dir + "/mail/outbox/new", &torn);
      EXPECT_THAT(torn, ::testing::IsEmpty()) << what << ": new/ must only ever hold whole messages";
      std::unique_ptr<MessageDb> db;
      ASSERT_TRUE(MessageDb::Open(dir + "/store.db", &db).ok());
      int i = 0;
      for (auto [it, end] = run.lines.equal_range("submit"); it != end; ++it) {
        ++i;
        if (it->second.substr(it->second.find(' ') + 1) != "00000000" || lost) continue;
        const std::string subject = "message " + std::to_string(i);
        bool queued = false;
        std::vector<int64_t> outgoing;
        ASSERT_TRUE(db->Submitted(&outgoing).ok()) << what;
        for (int64_t id : outgoing) {
          StoredMessage m;
          const Status loaded = db->Load(id, &m);
          ASSERT_TRUE(loaded.ok()) << what << ": queued message " << id << ": " << loaded.ToString();
          queued = queued || HasSubject(m, subject);
        }
        EXPECT_TRUE(spooled.count(subject) == 1 || queued) << what << ": submitted " << subject << " is neither spooled nor queued\n" << run.text;
      }
    }
  }
};

TEST_P(IoFaultTest, EveryFailureIsToldAndNothingAcknowledgedIsLost) {
  const std::string& workload = GetParam();
  // The number of calls a run makes without a fault: the range the fault is placed in.
  const std::string calibration = MakeProfile(workload);
  const ChildRun clean = RunFaultChild(calibration, workload, 0, 0);
  Check(calibration, clean, "the run without a fault, errno 0");
  fs::remove_all(calibration);
  const long calls = std::atol(clean.One("calls").c_str());
  const long syncs = std::atol(clean.One("sync_calls").c_str());
  ASSERT_GT(calls, 0) << "the run made no I/O call to fail:\n" << clean.text;
  ASSERT_GT(syncs, 0) << "the run made no fsync to fail:\n" << clean.text;
  ASSERT_EQ(clean.One("injected"), "none");

  std::mt19937 rng(SoakSeed(20261203));
  const int runs = SoakRounds("MAPISHUT_SOAK_FAULTS", 24);
  int injected = 0, failed_syncs = 0;
  for (int r = 0; r < runs; ++r) {
    // One run in three fails an fsync: the rule about them is checked in every batch.
    const bool syncs_only = r % 3 == 2;
    const long range = syncs_only ? syncs : calls;
    const long fail_at = 1 + static_cast<long>(rng() % static_cast<unsigned long>(range));
    const int error = rng() % 2 ? EIO : ENOSPC;
    const std::string dir = MakeProfile(workload);
    const ChildRun run = RunFaultChild(dir, workload, fail_at, error, syncs_only);
    const bool met = run.One("injected") != "none";
    injected += met;
    // How many calls a run makes depends on timing (the writer's batches), so a fault placed from
    // the calibration can lie past a run's last call. A run that reached its fault met it.
    const long made = std::atol(run.One(syncs_only ? "sync_calls" : "calls").c_str());
    EXPECT_EQ(met, made >= fail_at) << workload << " run " << r << " made " << made << " calls, the fault was at " << fail_at;
    failed_syncs += run.One("injected").find("/sync/") != std::string::npos;
    Check(dir, run, workload + " run " + std::to_string(r) + ": " + (syncs_only ? "sync " : "call ") + std::to_string(fail_at) +
                        " fails with errno " + std::to_string(error));
    fs::remove_all(dir);
    if (HasFailure()) return;
  }
  EXPECT_GT(injected, runs / 3) << "too few runs reached their fault: the calibration no longer measures the runs";
  EXPECT_GT(failed_syncs, 0) << "no run met a failed fsync: the rule about retrying one went unchecked";
  ReportRounds(runs);
}

INSTANTIATE_TEST_SUITE_P(Workloads, IoFaultTest, ::testing::Values("store", "spool", "ab"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace mapishut::test
