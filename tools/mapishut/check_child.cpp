#include "check_child.h"

#include <mapicode.h>
#include <mapitags.h>
#include <mapiutil.h>
#include <mapix.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "check_run.h"
#include "mailbox.h"
#include "thread_ticks.h"
#include "mapishut/com_ptr.h"
#include "mapishut/result.h"
#include "mapishut/subsystem.h"
#include "mapishut/text.h"

namespace {

constexpr ULONG kBlobTag = PROP_TAG(PT_BINARY, 0x6710);

std::string Hex(HRESULT hr) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(hr));
  return text;
}

std::string Ms(std::chrono::nanoseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", std::chrono::duration<double, std::milli>(d).count());
  return text;
}

// Late calls into MAPI, as the subsystem reports them (kLateSupportCallStep).
std::mutex g_late_mutex;
std::vector<std::string> g_late;

void Prepare(const CheckSetup& s, std::optional<mapishut::FastShutdownBehavior> policy) {
  setenv("XDG_STATE_HOME", s.state_dir.c_str(), 1);
  mapishut::SetConfigDirectory(s.config_dir);
  mapishut::SetPolicyReader(mapishut::NewFixedPolicyReader(policy, "mapishut check --policy"));
  mapishut::SetProviderCallDeadline(s.deadline);
  mapishut::SetFailureSink([](const mapishut::FailureEvent& e) {
    if (e.step != mapishut::kLateSupportCallStep) return;
    std::lock_guard lock(g_late_mutex);
    g_late.push_back(e.what);
  });
}

void SendRecord(int fd) {
  const mapishut::ShutdownRecord r = mapishut::GetShutdownRecord();
  for (const auto& p : r.providers) {
    WriteCheckLine(fd, {"iface", p.has_shutdown_interface ? "1" : "0"});
    for (const auto& c : p.calls) {
      WriteCheckLine(fd, {"call", mapishut::ShutdownStepName(c.step), Hex(c.hr), mapishut::CallOutcomeName(c.outcome),
                          Ms(c.duration), c.note});
    }
  }
  for (const auto& line : r.reports) WriteCheckLine(fd, {"report", line});
}

bool Logon(int fd, mapishut::com_ptr<IMAPISession>* session) {
  WriteCheckLine(fd, {"step", "MAPILogonEx"});
  char profile[] = "check";
  if (FAILED(MAPIInitialize(nullptr)) ||
      FAILED(MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED | MAPI_EXPLICIT_PROFILE | MAPI_NEW_SESSION, session->put()))) {
    WriteCheckLine(fd, {"error", "logon", mapishut::LastErrorMessage()});
    return false;
  }
  return true;
}

// Every thread but this one that used at least a fifth of a CPU during the window.
void WatchThreads(const CheckSetup& s, int fd) {
  const long self = syscall(SYS_gettid);
  const auto before = ThreadTicks();
  std::this_thread::sleep_for(s.watch);  // the measurement window itself
  const double ms_per_tick = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const auto& [tid, now] : ThreadTicks()) {
    if (tid == self) continue;
    const auto was = before.find(tid);
    const double used = static_cast<double>(now.second - (was == before.end() ? 0 : was->second.second)) * ms_per_tick;
    if (used >= static_cast<double>(s.watch.count()) / 5) {
      WriteCheckLine(fd, {"busy", std::to_string(tid), mapishut::Printable(now.first), Ms(std::chrono::microseconds(
                                                                                           static_cast<long>(used * 1000)))});
    }
  }
}

void ShutDownNormally(int fd, mapishut::com_ptr<IMAPISession>* session) {
  WriteCheckLine(fd, {"step", "Logoff"});
  (*session)->Logoff(0, 0, 0);
  WriteCheckLine(fd, {"step", "Release"});
  session->reset();
  WriteCheckLine(fd, {"step", "MAPIUninitialize"});
  MAPIUninitialize();
}

mapishut::com_ptr<IMAPIClientShutdown> ClientShutdown(IMAPISession* session) {
  mapishut::com_ptr<IMAPIClientShutdown> cs;
  session->QueryInterface(IID_IMAPIClientShutdown, cs.put_as<void>());
  return cs;
}

HRESULT Call(int fd, IMAPIClientShutdown* cs, const char* name, HRESULT (IMAPIClientShutdown::*method)()) {
  WriteCheckLine(fd, {"step", name});
  const HRESULT hr = (cs->*method)();
  WriteCheckLine(fd, {"client", name, Hex(hr)});
  return hr;
}

// Message `i` of durability run `run`: what is saved, and what must be read back.
struct CheckMessage {
  CheckMessage(int run, int i)
      : subject(L"mapishut check run " + std::to_wstring(run) + L" message " + std::to_wstring(i)),
        body(L"body of message " + std::to_wstring(i) + L" of run " + std::to_wstring(run) + L": \u00e9\u00e8 " +
             std::wstring(200, L'x')),
        importance((run + i) % 3),
        blob{static_cast<BYTE>(run), static_cast<BYTE>(i), 0xFF, 0} {}
  std::wstring subject, body;
  LONG importance;
  std::vector<BYTE> blob;
};

HRESULT Save(IMAPIFolder* folder, const CheckMessage& m) {
  mapishut::com_ptr<IMessage> message;
  RETURN_IF_FAILED_EXPECTED(folder->CreateMessage(nullptr, 0, message.put()));
  std::wstring subject = m.subject, body = m.body;
  std::vector<BYTE> blob = m.blob;
  SPropValue p[4];
  p[0].ulPropTag = PR_SUBJECT_W;
  p[0].Value.lpszW = subject.data();
  p[1].ulPropTag = PR_BODY_W;
  p[1].Value.lpszW = body.data();
  p[2].ulPropTag = PR_IMPORTANCE;
  p[2].Value.l = m.importance;
  p[3].ulPropTag = kBlobTag;
  p[3].Value.bin = SBinary{static_cast<ULONG>(blob.size()), blob.data()};
  RETURN_IF_FAILED_EXPECTED(message->SetProps(4, p, nullptr));
  return message->SaveChanges(0);
}

// "" when `row` holds exactly what `m` saved, else what differs.
std::string Differs(const SRow& row, const CheckMessage& m) {
  const SPropValue* p = row.lpProps;
  if (p[1].ulPropTag != PR_BODY_W || m.body != p[1].Value.lpszW) return "PR_BODY_W differs or is missing";
  if (p[2].ulPropTag != PR_IMPORTANCE || p[2].Value.l != m.importance) return "PR_IMPORTANCE differs or is missing";
  if (p[3].ulPropTag != kBlobTag || std::vector<BYTE>(p[3].Value.bin.lpb, p[3].Value.bin.lpb + p[3].Value.bin.cb) != m.blob) {
    return "the binary property 0x67100102 differs or is missing";
  }
  return {};
}

}  // namespace

void RunSequence(const CheckSetup& setup, mapishut::FastShutdownBehavior policy, int fd) {
  Prepare(setup, policy);
  mapishut::com_ptr<IMAPISession> session;
  if (!Logon(fd, &session)) {
    SendRecord(fd);
    return WriteCheckLine(fd, {"done"});
  }
  auto cs = ClientShutdown(session.get());
  if (Call(fd, cs.get(), "QueryFastShutdown", &IMAPIClientShutdown::QueryFastShutdown) == S_OK) {
    Call(fd, cs.get(), "NotifyProcessShutdown", &IMAPIClientShutdown::NotifyProcessShutdown);
    WriteCheckLine(fd, {"step", "watching threads after NotifyProcessShutdown"});
    WatchThreads(setup, fd);
    if (Call(fd, cs.get(), "DoFastShutdown", &IMAPIClientShutdown::DoFastShutdown) == S_OK) {
      WriteCheckLine(fd, {"step", "watching calls into MAPI after DoFastShutdown"});
      std::this_thread::sleep_for(setup.watch);  // the window in which late calls are counted
      SendRecord(fd);
      std::lock_guard lock(g_late_mutex);
      for (const auto& what : g_late) WriteCheckLine(fd, {"late", what});
      WriteCheckLine(fd, {"done"});
      return;  // exit now, as a client does
    }
  }
  cs.reset();
  ShutDownNormally(fd, &session);
  SendRecord(fd);
  WriteCheckLine(fd, {"done"});
}

void RunSaveThenExitFast(const CheckSetup& setup, int run, int fd) {
  Prepare(setup, mapishut::FastShutdownBehavior::kUnlessOptedOut);
  mapishut::com_ptr<IMAPISession> session;
  if (!Logon(fd, &session)) return;
  {
    mapishut::com_ptr<IMsgStore> store;
    mapishut::com_ptr<IMAPIFolder> inbox;
    WriteCheckLine(fd, {"step", "opening the inbox"});
    if (const HRESULT hr = OpenMailbox(session.get(), &store, &inbox); FAILED(hr)) {
      return WriteCheckLine(fd, {"error", "inbox", "opening the default store's receive folder failed with " + Hex(hr)});
    }
    WriteCheckLine(fd, {"step", "SaveChanges"});
    for (int i = 0; i < setup.messages; ++i) {
      if (const HRESULT hr = Save(inbox.get(), CheckMessage(run, i)); FAILED(hr)) {
        return WriteCheckLine(fd, {"error", "save", "saving message " + std::to_string(i) + " failed with " + Hex(hr)});
      }
    }
  }
  WriteCheckLine(fd, {"saved", std::to_string(setup.messages)});
  auto cs = ClientShutdown(session.get());
  if (Call(fd, cs.get(), "QueryFastShutdown", &IMAPIClientShutdown::QueryFastShutdown) != S_OK) {
    return WriteCheckLine(fd, {"done"});  // no fast exit to test: the policy runs judge the answer
  }
  Call(fd, cs.get(), "NotifyProcessShutdown", &IMAPIClientShutdown::NotifyProcessShutdown);
  WriteCheckLine(fd, {"step", "DoFastShutdown"});
  const auto start = std::chrono::steady_clock::now();
  const HRESULT hr = cs->DoFastShutdown();
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  WriteCheckLine(fd, {"exit-now", Hex(hr), std::to_string(ms)});
  if (hr == S_OK) raise(SIGKILL);  // the instant it returned: no store thread gets a moment more (check_run.h)
  WriteCheckLine(fd, {"done"});
}

void RunVerify(const CheckSetup& setup, int runs, int fd) {
  Prepare(setup, mapishut::FastShutdownBehavior::kDisabled);
  mapishut::com_ptr<IMAPISession> session;
  if (!Logon(fd, &session)) return;
  {
    mapishut::com_ptr<IMsgStore> store;
    mapishut::com_ptr<IMAPIFolder> inbox;
    mapishut::com_ptr<IMAPITable> contents;
    WriteCheckLine(fd, {"step", "reading the inbox"});
    if (FAILED(OpenMailbox(session.get(), &store, &inbox)) || FAILED(inbox->GetContentsTable(0, contents.put()))) {
      return WriteCheckLine(fd, {"error", "inbox", "the inbox could not be opened again"});
    }
    SizedSPropTagArray(4, cols) = {4, {PR_SUBJECT_W, PR_BODY_W, PR_IMPORTANCE, kBlobTag}};
    LPSRowSet rows = nullptr;
    if (const HRESULT hr = HrQueryAllRows(contents.get(), reinterpret_cast<LPSPropTagArray>(&cols), nullptr, nullptr, 0, &rows);
        FAILED(hr)) {
      return WriteCheckLine(fd, {"error", "inbox", "reading the inbox's contents table failed with " + Hex(hr)});
    }
    std::map<std::wstring, const SRow*> by_subject;
    for (ULONG i = 0; i < rows->cRows; ++i) {
      const SPropValue* p = rows->aRow[i].lpProps;
      if (p[0].ulPropTag == PR_SUBJECT_W) by_subject[p[0].Value.lpszW] = &rows->aRow[i];
    }
    for (int run = 1; run <= runs; ++run) {
      int found = 0;
      std::string problem;
      for (int i = 0; i < setup.messages; ++i) {
        const CheckMessage m(run, i);
        const auto row = by_subject.find(m.subject);
        const std::string differs = row == by_subject.end() ? "missing" : Differs(*row->second, m);
        if (differs.empty()) {
          ++found;
        } else if (problem.empty()) {
          problem = "message " + std::to_string(i) + ": " + differs;
        }
      }
      WriteCheckLine(fd, {"verified", std::to_string(run), std::to_string(found), std::to_string(setup.messages), problem});
    }
    FreeProws(rows);
  }
  ShutDownNormally(fd, &session);
  WriteCheckLine(fd, {"done"});
}
