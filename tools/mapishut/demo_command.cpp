// `mapishut demo`: the promise, end to end, on the bundled providers (SQLite store, vCard
// address book, Maildir transport) with no setup. A client process logs on, saves messages,
// submits mail, runs the exit sequence and is killed with SIGKILL the instant it may exit; then
// the demo logs on again and verifies that every message, every submitted mail and the address
// list survived. It prints what each provider answered and how long each step took.
#include "demo_command.h"

#include <mapicode.h>
#include <mapitags.h>
#include <mapiutil.h>
#include <mapix.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "mailbox.h"
#include "mapishut/client_exit.h"
#include "mapishut/com_ptr.h"
#include "mapishut/result.h"
#include "mapishut/subsystem.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
constexpr int kMessages = 20;
constexpr int kSubmitted = 3;
constexpr int kContacts = 4;

std::string Ms(Clock::time_point since) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f ms", std::chrono::duration<double, std::milli>(Clock::now() - since).count());
  return buf;
}

std::string FirstExisting(std::initializer_list<const char*> dirs) {
  for (const char* d : dirs) {
    if (fs::is_directory(d)) return d;
  }
  return {};
}

HRESULT SaveMessage(IMAPIFolder* folder, int i, bool submit) {
  mapishut::com_ptr<IMessage> m;
  RETURN_IF_FAILED_EXPECTED(folder->CreateMessage(nullptr, 0, m.put()));
  std::wstring subject = (submit ? L"Outgoing " : L"Note ") + std::to_wstring(i);
  std::wstring to = L"colleague@example.org";
  SPropValue p[3];
  p[0].ulPropTag = PR_SUBJECT_W;
  p[0].Value.lpszW = subject.data();
  p[1].ulPropTag = PR_DISPLAY_TO_W;
  p[1].Value.lpszW = to.data();
  p[2].ulPropTag = PR_IMPORTANCE;
  p[2].Value.l = i % 3;
  RETURN_IF_FAILED_EXPECTED(m->SetProps(3, p, nullptr));
  return submit ? m->SubmitMessage(0) : m->SaveChanges(0);
}

int Logon(mapishut::com_ptr<IMAPISession>* s, std::ostream& err) {
  if (FAILED(MAPIInitialize(nullptr))) return 1;
  char profile[] = "demo";
  if (FAILED(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED | MAPI_EXPLICIT_PROFILE | MAPI_NEW_SESSION, s->put()))) {
    err << "mapishut demo: " << mapishut::LastErrorMessage() << "\n";
    return 1;
  }
  return 0;
}

// The client: work, then exit the way mapishut promises. Killed by the parent at "exit now".
[[noreturn]] void Client(int report, std::ostream& out, std::ostream& err) {
  mapishut::com_ptr<IMAPISession> s;
  auto t = Clock::now();
  if (Logon(&s, err) != 0) _exit(2);
  out << "client: logged on to profile 'demo' (3 providers loaded)      " << Ms(t) << "\n";
  mapishut::com_ptr<IMsgStore> store;
  mapishut::com_ptr<IMAPIFolder> inbox;
  if (FAILED(OpenMailbox(s.get(), &store, &inbox))) _exit(3);
  t = Clock::now();
  for (int i = 0; i < kMessages; ++i) {
    if (FAILED(SaveMessage(inbox.get(), i, false))) _exit(4);
  }
  out << "client: saved " << kMessages << " messages (SaveChanges, write-behind)      " << Ms(t) << "\n";
  t = Clock::now();
  for (int i = 0; i < kSubmitted; ++i) {
    if (FAILED(SaveMessage(inbox.get(), i, true))) _exit(5);
  }
  out << "client: submitted " << kSubmitted << " messages (spooled to the Maildir outbox) " << Ms(t) << "\n";
  inbox.reset();
  store.reset();
  t = Clock::now();
  const mapishut::ExitDecision d = mapishut::PrepareToExit(s.get());
  out << "client: exit sequence (query, notify, do)                  " << Ms(t) << "\n\n";
  out << mapishut::FormatShutdownRecord(mapishut::GetShutdownRecord()) << "\n";
  out << "decision: " << (d.exit_now ? "exit now" : "normal shutdown") << " - " << d.why << "\n";
  out.flush();
  const char c = d.exit_now ? 'x' : 'n';
  if (write(report, &c, 1) != 1) _exit(6);
  if (!d.exit_now) s.reset();
  pause();  // the parent kills us now: no destructor, no checkpoint, nothing more
  _exit(0);
}

long long Count(const std::string& db, const char* sql) {
  sqlite3* h = nullptr;
  long long n = -1;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return n;
}

struct DemoOptions {
  std::optional<mapishut::FastShutdownBehavior> policy;
  bool keep = false;  // leave the data directory for inspection
};

bool ParseArgs(const std::vector<std::string>& args, DemoOptions* o) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--keep") {
      o->keep = true;
    } else if (args[i] == "--policy" && i + 1 < args.size() && args[i + 1].size() == 1 && args[i + 1][0] >= '0' &&
               args[i + 1][0] <= '2') {
      o->policy = static_cast<mapishut::FastShutdownBehavior>(args[++i][0] - '0');
    } else {
      return false;
    }
  }
  return true;
}

// Points MAPI at the bundled profile and providers and a fresh data directory (with the address
// book's "server" of vCards); returns the directory, or "" after telling `err` why not.
std::string PrepareDemo(const DemoOptions& o, std::ostream& out, std::ostream& err) {
  const std::string config = FirstExisting({MAPISHUT_DEMO_BUILD_CONFIG, MAPISHUT_DEMO_INSTALLED_CONFIG});
  if (config.empty()) {
    err << "mapishut demo: the bundled profile is missing (looked in " << MAPISHUT_DEMO_BUILD_CONFIG << " and "
        << MAPISHUT_DEMO_INSTALLED_CONFIG << ")\n";
    return {};
  }
  const std::string providers = FirstExisting({MAPISHUT_DEMO_BUILD_PROVIDERS, MAPISHUT_DEMO_INSTALLED_PROVIDERS});
  char tmpl[] = "/tmp/mapishut-demo-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    err << "mapishut demo: cannot create a data directory in /tmp: " << std::strerror(errno) << "\n";
    return {};
  }
  const std::string data = tmpl;
  fs::create_directories(data + "/server/contacts");
  for (int i = 0; i < kContacts; ++i) {
    std::ofstream(data + "/server/contacts/" + std::to_string(i) + ".vcf")
        << "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:demo-" << i << "\r\nFN:Colleague " << i << "\r\nEMAIL:c" << i
        << "@example.org\r\nEND:VCARD\r\n";
  }
  setenv("MAPISHUT_DATA_DIR", data.c_str(), 1);
  setenv("MAPISHUT_PROVIDER_PATH", providers.c_str(), 1);
  mapishut::SetConfigDirectory(config);
  if (o.policy) mapishut::SetPolicyReader(mapishut::NewFixedPolicyReader(o.policy, "mapishut demo --policy"));
  out << "profile 'demo' from " << config << "\nproviders from " << providers << "\ndata in " << data << "\n\n";
  out.flush();
  return data;
}

// Runs the client in a child and SIGKILLs it the instant it reports it may exit; false when it
// failed before that.
bool RunClientUntilItMayExit(std::ostream& out, std::ostream& err) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Client(fds[1], out, err);
  }
  close(fds[1]);
  char decision = 0;
  const bool reported = read(fds[0], &decision, 1) == 1;
  kill(pid, SIGKILL);  // the instant the client may exit
  int status = 0;
  waitpid(pid, &status, 0);
  close(fds[0]);
  if (!reported) err << "mapishut demo: the client failed before it could exit (status " << status << ")\n";
  return reported;
}

// What a new logon finds after the kill, against what the client was told was accepted.
struct Survivors {
  ULONG saved = 0;
  size_t outbox = 0;
  long long sent = -1, contacts = -1, integrity = -1;
  bool complete() const {
    return saved == static_cast<ULONG>(kMessages) && outbox == static_cast<size_t>(kSubmitted) && sent == kSubmitted &&
           contacts == kContacts && integrity == 1;
  }
};

// Reopens the data in this process (which never used MAPI before) and counts what survived.
bool CountSurvivors(const std::string& data, Survivors* found, std::ostream& err) {
  mapishut::com_ptr<IMAPISession> s;
  if (Logon(&s, err) != 0) return false;
  {
    mapishut::com_ptr<IMsgStore> store;
    mapishut::com_ptr<IMAPIFolder> inbox;
    mapishut::com_ptr<IMAPITable> contents;
    if (FAILED(OpenMailbox(s.get(), &store, &inbox)) || FAILED(inbox->GetContentsTable(0, contents.put())) ||
        FAILED(contents->GetRowCount(0, &found->saved))) {
      return false;
    }
  }
  found->sent = Count(data + "/mailbox.db", "SELECT COUNT(*) FROM messages WHERE folder=3");
  if (fs::is_directory(data + "/server/mail/outbox/new")) {
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(data + "/server/mail/outbox/new")) ++found->outbox;
  }
  s->Logoff(0, 0, 0);
  s.reset();
  MAPIUninitialize();
  found->contacts = Count(data + "/oab.db", "SELECT COUNT(*) FROM contacts");
  found->integrity = Count(data + "/mailbox.db", "SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check='ok'");
  return true;
}

void PrintSurvivors(const Survivors& f, Clock::time_point killed_at, std::ostream& out) {
  out << "  messages in the inbox:          " << f.saved << " of " << kMessages << "\n";
  out << "  submitted mail in outbox/new:   " << f.outbox << " of " << kSubmitted << " (and " << f.sent << " in Sent Items)\n";
  out << "  address list entries cached:    " << f.contacts << " of " << kContacts << "\n";
  out << "  store integrity_check:          " << (f.integrity == 1 ? "ok" : "FAILED") << "\n";
  out << "  verified in " << Ms(killed_at) << " after the kill\n\n";
  out << (f.complete() ? "nothing the providers accepted was lost.\n" : "DATA WAS LOST: see above.\n");
}

}  // namespace

int RunDemoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  DemoOptions options;
  if (!ParseArgs(args, &options)) {
    err << "usage: mapishut demo [--policy 0|1|2] [--keep]\n";
    return 2;
  }
  const std::string data = PrepareDemo(options, out, err);
  if (data.empty()) return 1;
  if (!RunClientUntilItMayExit(out, err)) return 1;
  const auto killed_at = Clock::now();
  out << "\nthe client was killed with SIGKILL the instant it could exit; reopening to verify...\n";
  Survivors found;
  if (!CountSurvivors(data, &found, err)) return 1;
  PrintSurvivors(found, killed_at, out);
  if (!options.keep) fs::remove_all(data);
  return found.complete() ? 0 : 1;
}
