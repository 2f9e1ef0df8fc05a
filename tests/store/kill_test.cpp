// Durability proven with real processes (issue 4, item 5; issue 13, item 2). A child logs on
// through the subsystem, saves messages, and is SIGKILLed by the parent: the instant
// DoFastShutdown returns, or at a random (seeded) moment before any shutdown. Each round ends in
// one of three ways: the kill alone (the kernel keeps what the child wrote), the kill and a
// power cut (the store lives on the power-cut filesystem, which then forgets everything not
// fsync'ed), or the kill and a power cut that tears the last unsynced write. The parent then
// reopens the store from the disk: it must pass PRAGMA integrity_check and hold every message
// the child saw acknowledged as durable (PR_MAPISHUT_DURABLE_SEQ) - and, after a completed
// DoFastShutdown, every message it saved - with identical properties; a message only
// acknowledged (write-behind) is there whole or not at all. MAPISHUT_SOAK_KILLS raises the
// number of rounds (scripts/soak.sh).
#include <sched.h>
#include <sqlite3.h>

#include <cstdio>
#include <random>

#include "../../providers/store/message_db.h"
#include "../../providers/store/prop_codec.h"
#include "child_process.h"
#include "durability_round.h"
#include "mapishut/provider_props.h"
#include "store_client.h"
#include "store_fixture.h"

namespace mapishut::test {
namespace {

// Child: log on, save `messages` samples reporting "ack <i> <durable>" after each, then, when
// asked, the fast shutdown reporting "done"; then it waits for the kill.
int Child(ChildPipe& child, int messages, bool fast_shutdown) {
  com_ptr<IMAPISession> s;
  char profile[] = "p";
  if (MAPIInitialize(nullptr) != S_OK || MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED, s.put()) != S_OK) return 2;
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> inbox;
  if (OpenDefaultStore(s.get(), &store) != S_OK || OpenInbox(store.get(), &inbox) != S_OK) return 3;
  for (int i = 0; i < messages; ++i) {
    com_ptr<IMessage> m;
    SampleProps props(i);
    if (inbox->CreateMessage(nullptr, 0, m.put()) != S_OK ||
        m->SetProps(static_cast<ULONG>(props.values.size()), props.values.data(), nullptr) != S_OK ||
        m->SaveChanges(0) != S_OK) {
      return 4;
    }
    // Every third save the child waits until the writer has committed it, so that kills land
    // both before and after completed flushes.
    long long durable = 0;
    do {
      LPSPropValue v = nullptr;
      if (HrGetOneProp(store.get(), PR_MAPISHUT_DURABLE_SEQ, &v) != S_OK) return 5;
      durable = v->Value.li.QuadPart;
      MAPIFreeBuffer(v);
      if (i % 3 == 2 && durable < i + 1) sched_yield();
    } while (i % 3 == 2 && durable < i + 1);
    child.Report("ack " + std::to_string(i + 1) + " " + std::to_string(durable));
  }
  if (!fast_shutdown) child.KillHere("saved all");
  com_ptr<IMAPIClientShutdown> cs;
  if (s.query_to(IID_IMAPIClientShutdown, cs.put()) != S_OK || cs->QueryFastShutdown() != S_OK ||
      cs->NotifyProcessShutdown() != S_OK || cs->DoFastShutdown() != S_OK) {
    return 6;
  }
  child.KillHere("done");
}

struct Outcome {
  ChildEnd end;
  int acks = 0;
  long long durable = 0;
  bool done = false;
};

// Runs one child, kills it the instant its `kill_after_acks`th acknowledgement arrives (or at
// "done"), and returns what it reported before dying.
Outcome RunAndKill(int messages, bool fast_shutdown, int kill_after_acks) {
  Outcome o;
  o.end = RunChild([&](ChildPipe& child) { return Child(child, messages, fast_shutdown); },
                   [&](const std::vector<std::string>& reports) {
                     return !fast_shutdown && static_cast<int>(reports.size()) >= kill_after_acks;
                   });
  for (const std::string& line : o.end.reports) {
    int i = 0;
    long long d = 0;
    if (std::sscanf(line.c_str(), "ack %d %lld", &i, &d) == 2) {
      o.acks = i;
      o.durable = std::max(o.durable, d);
    }
  }
  o.done = !o.end.reports.empty() && o.end.reports.back() == "done";
  return o;
}

// Every message up to `expected` is in the store with identical properties, any other of the
// `saved` is whole or absent, and the database is sound.
::testing::AssertionResult Verify(const std::string& dir, int expected, int saved) {
  sqlite3* raw = nullptr;
  if (sqlite3_open((dir + "/store.db").c_str(), &raw) != SQLITE_OK) return ::testing::AssertionFailure() << "cannot open";
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, nullptr);
  const bool sound = sqlite3_step(st) == SQLITE_ROW && std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok";
  sqlite3_finalize(st);
  sqlite3_close(raw);
  if (!sound) return ::testing::AssertionFailure() << "integrity_check failed";

  std::unique_ptr<MessageDb> db;
  const Status s = MessageDb::Open(dir + "/store.db", &db);
  if (!s.ok()) return ::testing::AssertionFailure() << s.ToString();
  for (int i = 0; i < saved; ++i) {
    StoredMessage m;
    if (const Status loaded = db->Load(i + 1, &m); !loaded.ok()) {
      if (loaded.code() != Status::Code::kNotFound) return ::testing::AssertionFailure() << loaded.ToString();
      if (i < expected) return ::testing::AssertionFailure() << "message " << i << " of " << expected << " lost";
      continue;  // acknowledged, never durable: absent is allowed
    }
    for (const auto& v : SampleProps(i).values) {
      std::string want;
      EncodeProp(v, &want);
      if (m.props[v.ulPropTag] != want) return ::testing::AssertionFailure() << "message " << i << " property differs (torn)";
    }
  }
  return ::testing::AssertionSuccess();
}

class KillTest : public ::testing::TestWithParam<Ending> {
 protected:
  void SetUp() override {
    const std::string why = DurabilityRound::WhyUnavailable(GetParam());
    if (!why.empty()) GTEST_SKIP() << why;
  }

  // One child, killed as `kill_after` says, then the round's ending; verified from the disk.
  void Round(int messages, bool fast_shutdown, int kill_after, unsigned seed, Outcome* o) {
    DurabilityRound round(GetParam());
    std::string why;
    ASSERT_TRUE(round.Start(&why)) << why;
    const std::string dir = MakeStoreProfile(round.data());
    UseStoreProfile(dir);
    *o = RunAndKill(messages, fast_shutdown, kill_after);
    ASSERT_TRUE(round.End(&why, seed)) << why;
    ASSERT_TRUE(o->end.killed) << o->end.Describe();
    if (fast_shutdown) {
      ASSERT_TRUE(o->done) << "the child did not complete the fast shutdown";
      EXPECT_TRUE(Verify(round.disk(), messages, messages));  // everything saved, although killed at once
    } else {
      EXPECT_TRUE(Verify(round.disk(), static_cast<int>(o->durable), o->acks));  // at least everything acknowledged as durable
    }
    std::filesystem::remove_all(dir);
  }
  // The power-cut rounds cost a mount each: a quarter as many, the soak runs more.
  int Rounds(int base) const { return SoakRounds("MAPISHUT_SOAK_KILLS", GetParam() == Ending::kSigkill ? base : base / 4); }
};

TEST_P(KillTest, KilledTheInstantDoFastShutdownReturnsLosesNothing) {
  const int rounds = Rounds(40);
  for (int r = 0; r < rounds; ++r) {
    Outcome o;
    Round(5, /*fast_shutdown=*/true, 0, SoakSeed(static_cast<unsigned>(r)), &o);
    if (HasFailure()) return;
  }
  ReportRounds(rounds);
}

TEST_P(KillTest, KilledAtRandomMomentsTheStoreReopensSoundWithEverythingDurable) {
  std::mt19937 rng(SoakSeed(20261124));  // seeded: the same moments every run
  const int rounds = Rounds(160);
  long long durable_seen = 0;
  for (int r = 0; r < rounds; ++r) {
    Outcome o;
    Round(8, /*fast_shutdown=*/false, static_cast<int>(rng() % 9), static_cast<unsigned>(rng()), &o);
    durable_seen += o.durable;
    if (HasFailure()) return;
  }
  // The check must have had something to check: the writer commits while the child runs.
  EXPECT_GT(durable_seen, 0);
  ReportRounds(rounds);
}

INSTANTIATE_TEST_SUITE_P(Endings, KillTest, AllEndings(), EndingName);

}  // namespace
}  // namespace mapishut::test
