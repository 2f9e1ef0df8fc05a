// Many threads at once (SPEC.md "The edges of the contract", rules 1-3 and 5): eight threads ask
// QueryFastShutdown over and over, then all call NotifyProcessShutdown and DoFastShutdown, while
// four others log sessions on and off and release them. Run under ThreadSanitizer in CI; here it
// checks what must hold whatever the interleaving.
#include <atomic>
#include <thread>

#include "fixture.h"

using testjournal::Method;

namespace mapishut::test {
namespace {

class StressTest : public SubsystemTest {};

TEST_F(StressTest, QueryNotifyAndDoFromEightThreadsWhileSessionsComeAndGo) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> anchor;  // the session the client asks through
  ASSERT_EQ(Logon("p", &anchor), S_OK);
  auto shutdown = ClientShutdown(anchor);

  std::atomic<int> logons{0};
  std::atomic<bool> askers_done{false};
  std::vector<std::thread> churn;
  for (int t = 0; t < 4; ++t) {
    churn.emplace_back([&, t] {
      for (int i = 0; !askers_done.load(); ++i) {
        com_ptr<IMAPISession> s;
        const HRESULT hr = Logon("p", &s);
        if (hr == MAPI_E_END_OF_SESSION) return;  // providers were told: no new sessions now
        ASSERT_EQ(hr, S_OK);
        ++logons;
        if ((i + t) % 2 == 0) {
          const HRESULT off = s->Logoff(0, 0, 0);
          EXPECT_TRUE(off == S_OK || off == MAPI_E_END_OF_SESSION) << off;
        }
        s.reset();  // the last Release: a normal shutdown unless the process has ended
      }
    });
  }
  std::vector<HRESULT> queries(8, S_OK), notifies(8, E_FAIL), dos(8, E_FAIL);
  std::vector<std::thread> askers;
  for (int t = 0; t < 8; ++t) {
    askers.emplace_back([&, t] {
      // Ask while sessions come and go, until enough of them did (progress, not time).
      for (int i = 0; i < 5 || logons.load() < 40; ++i) {
        const HRESULT q = shutdown->QueryFastShutdown();
        if (q != S_OK) queries[t] = q;
      }
      notifies[t] = shutdown->NotifyProcessShutdown();
      dos[t] = shutdown->DoFastShutdown();
    });
  }
  for (auto& a : askers) a.join();
  askers_done = true;
  for (auto& c : churn) c.join();

  for (int t = 0; t < 8; ++t) {
    // A Query racing the end may see it; anything else means a provider refused, which none does.
    EXPECT_TRUE(queries[t] == S_OK || queries[t] == MAPI_E_END_OF_SESSION) << queries[t];
    EXPECT_EQ(notifies[t], S_OK);
    EXPECT_EQ(dos[t], S_OK);
  }
  EXPECT_GE(logons.load(), 40);
  const ShutdownRecord record = GetShutdownRecord();
  EXPECT_TRUE(record.ended);
  // Every normal-shutdown call happened before the fast shutdown's DoFastShutdown fan-out, none
  // after the end; and every provider told to save was asked first.
  const auto dos_called = journal().Calls(Method::kDo);
  ASSERT_FALSE(dos_called.empty());
  for (const auto& c : journal().Calls()) {
    if (c.method == Method::kLogoff || c.method == Method::kShutdown) {
      EXPECT_LT(c.seq, dos_called.front().seq);
    }
  }
  EXPECT_LE(dos_called.size(), journal().Calls(Method::kQuery).size());
}

}  // namespace
}  // namespace mapishut::test
