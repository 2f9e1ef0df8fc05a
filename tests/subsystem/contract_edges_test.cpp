// SPEC.md "The edges of the contract", rules 1-6: late sessions, calls racing the end, gated
// objects, deadlines, re-entrant providers and failures inside the subsystem. Every test drives
// scripted providers through the real loader; a race is lined up by waiting until the racing
// call is parked in the coordinator (never by sleeping).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include <mapitags.h>
#include <mapiutil.h>

#include "fixture.h"
#include "mapishut/result.h"
#include "process.h"
#include "../gate/gate.h"
#include "../shutdown/provider_call.h"

using testjournal::Behavior;
using testjournal::Method;

namespace mapishut::test {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr auto kBound = std::chrono::seconds(20);  // fails a broken build; never a timing guess

// Waits until `condition` holds; false after kBound.
bool Eventually(const std::function<bool()>& condition) {
  const auto until = std::chrono::steady_clock::now() + kBound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

// A call on its own thread. Join() waits at most kBound; a call that never returns is left
// behind (and the test fails) instead of hanging the suite.
class Racer {
 public:
  explicit Racer(std::function<HRESULT()> call) : state_(std::make_shared<State>()) {
    std::thread([state = state_, call = std::move(call)] {
      const HRESULT hr = call();
      std::lock_guard lock(state->mutex);
      state->result = hr;
      state->cv.notify_all();
    }).detach();
  }
  std::optional<HRESULT> Join() {
    std::unique_lock lock(state_->mutex);
    state_->cv.wait_for(lock, kBound, [&] { return state_->result.has_value(); });
    return state_->result;
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    std::optional<HRESULT> result;
  };
  std::shared_ptr<State> state_;
};

class ContractEdgesTest : public SubsystemTest {
 protected:
  ShutdownCoordinator& coordinator() { return Process::Get().coordinator(); }
  // Waits until `n` calls are parked behind a running phase.
  void WaitForWaiters(int n) { ASSERT_TRUE(Eventually([&] { return coordinator().waiting() >= n; })); }
  // Logs on "p" with one store whose DoFastShutdown hangs, and starts Do on its own thread,
  // asked through a second session so that *s holds the only reference to its own.
  std::unique_ptr<Racer> StartHungDo(com_ptr<IMAPISession>* s) {
    journal().Script("Store", Method::kDo, testjournal::Hangs());
    WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
    WriteProfile("asker", {{"Fax", Kind::kTransport}});
    EXPECT_EQ(Logon("p", s), S_OK);
    EXPECT_EQ(Logon("asker", &asker_), S_OK);
    auto cs = ClientShutdown(asker_);
    EXPECT_EQ(cs->QueryFastShutdown(), S_OK);
    EXPECT_EQ(cs->NotifyProcessShutdown(), S_OK);
    auto racer = std::make_unique<Racer>([cs] { return cs->DoFastShutdown(); });
    journal().WaitForHungCalls(1);
    return racer;
  }
  com_ptr<IMAPISession> asker_;
  // Logs on "p" with a transport that calls MAPIInitialize at its logon and MAPIUninitialize
  // from `where` (its Shutdown, its destructor): that call will be the process's last.
  void LogOnAProviderThatUninitializesLastFrom(Method where, com_ptr<IMAPISession>* s) {
    Behavior initialize;
    initialize.callback = [] { return MAPIInitialize(nullptr); };
    Behavior uninitialize;
    uninitialize.callback = [] {
      MAPIUninitialize();
      return S_OK;
    };
    journal().Script("Mail", Method::kLogon, initialize);
    journal().Script("Mail", where, uninitialize);
    WriteProfile("p", {{"Mail", Kind::kTransport}});
    ASSERT_EQ(Logon("p", s), S_OK);
  }
  // Writes profile "a" (the transport Mail) and profile "b" (the store Store), logs on "a" (a_),
  // and hands back its IMAPIClientShutdown: "b" is the session that comes late.
  void LogOnAWithBToCome(com_ptr<IMAPIClientShutdown>* cs) {
    WriteProfile("a", {{"Mail", Kind::kTransport}});
    WriteProfile("b", {{"Store", Kind::kStore}});
    ASSERT_EQ(Logon("a", &a_), S_OK);
    *cs = ClientShutdown(a_);
  }
  com_ptr<IMAPISession> a_;
  // Starts a logon of profile "b" (one store) while a phase hangs, and waits until it is parked
  // behind the phase, none of its providers loaded: wholly after the phase. The session it
  // makes, if any, is b_, held for the rest of the test.
  std::unique_ptr<Racer> ParkALogonOfB() {
    auto logon = std::make_unique<Racer>([this, b = b_] { return Logon("b", b.get()); });
    WaitForWaiters(1);
    EXPECT_EQ(journal().Count("MSProviderInit", Method::kInit), 0);
    return logon;
  }
  std::shared_ptr<com_ptr<IMAPISession>> b_ = std::make_shared<com_ptr<IMAPISession>>();
  // A deadline of 200 ms, and `provider`'s `method` scripted to hang past it until ReleaseAbandoned.
  void HangPastTheDeadline(const std::string& provider, Method method) {
    SetProviderCallDeadline(std::chrono::milliseconds(200));
    journal().Script(provider, method, testjournal::Hangs());
  }
  // Lets the abandoned calls return, waits until they have, and lifts the deadline.
  void ReleaseAbandoned() {
    journal().ReleaseHangs();
    ASSERT_TRUE(Eventually([] { return AbandonedCallsRunning() == 0; }));
    SetProviderCallDeadline(std::nullopt);
  }
  int NormalShutdownCalls() {
    return static_cast<int>(journal().Calls(Method::kLogoff).size() + journal().Calls(Method::kShutdown).size());
  }
};

// Rule 1 ------------------------------------------------------------------------------------

TEST_F(ContractEdgesTest, ALateSessionIsAskedBeforeAnyoneIsToldAndItsRefusalStopsTheFastShutdown) {
  Policy(FastShutdownBehavior::kOnlyIfAllOptedIn);
  WriteProfile("a", {{"Mail", Kind::kTransport}});
  WriteProfile("b", {{"Legacy", Kind::kStore}, {"Refuser", Kind::kStore}});
  journal().SetHasShutdownInterface("Legacy", false);
  journal().Script("Refuser", Method::kQuery, Behavior{MAPI_E_NO_SUPPORT});
  com_ptr<IMAPISession> a, b;
  ASSERT_EQ(Logon("a", &a), S_OK);
  auto cs = ClientShutdown(a);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(Logon("b", &b), S_OK);  // after the answer: not covered by it

  EXPECT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_THAT(journal().Calls(Method::kNotify), IsEmpty());
  EXPECT_EQ(cs->DoFastShutdown(), MAPI_E_NO_SUPPORT);
  EXPECT_THAT(journal().Calls(Method::kDo), IsEmpty());
  EXPECT_EQ(journal().Count("Refuser", Method::kQuery), 1);
  EXPECT_TRUE(AnyReportContains("session 2"));
  EXPECT_FALSE(GetShutdownRecord().ended);
  // The legacy store still gets its normal shutdown.
  EXPECT_EQ(b->Logoff(0, 0, 0), S_OK);
  EXPECT_EQ(journal().Count("Legacy", Method::kShutdown), 1);
}

TEST_F(ContractEdgesTest, ALateSessionThatOptsInIsAskedFirstThenToldWithTheOthers) {
  com_ptr<IMAPIClientShutdown> cs;
  ASSERT_NO_FATAL_FAILURE(LogOnAWithBToCome(&cs));
  com_ptr<IMAPISession> b;
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(Logon("b", &b), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_THAT(Order(Method::kQuery), ElementsAre("Mail", "Store"));
  EXPECT_THAT(Order(Method::kNotify), UnorderedElementsAre("Mail", "Store"));  // two sessions: told together
  EXPECT_LT(journal().Calls(Method::kQuery).back().seq, journal().Calls(Method::kNotify).front().seq);
  EXPECT_EQ(cs->DoFastShutdown(), S_OK);
  EXPECT_THAT(Order(Method::kDo), UnorderedElementsAre("Mail", "Store"));
}

TEST_F(ContractEdgesTest, ALateSessionsProvidersAreAskedInTheDocumentedOrder) {
  WriteProfile("a", {{"Mail", Kind::kTransport}});
  // Listed out of order: the newcomers are asked transports, then address books, then stores.
  WriteProfile("b", {{"Store", Kind::kStore}, {"Book", Kind::kAddressBook}, {"Fax", Kind::kTransport}});
  com_ptr<IMAPISession> a, b;
  ASSERT_EQ(Logon("a", &a), S_OK);
  auto cs = ClientShutdown(a);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(Logon("b", &b), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_THAT(Order(Method::kQuery), ElementsAre("Mail", "Fax", "Book", "Store"));
}

TEST_F(ContractEdgesTest, OnceProvidersWereNotifiedLogonFailsWithEndOfSession) {
  com_ptr<IMAPIClientShutdown> cs;
  ASSERT_NO_FATAL_FAILURE(LogOnAWithBToCome(&cs));
  com_ptr<IMAPISession> b;
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_EQ(Logon("b", &b), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(journal().Count("Store", Method::kLogon), 0);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("NotifyProcessShutdown"));
}

TEST_F(ContractEdgesTest, ALogonStillLoadingWhenDoIsAskedIsWhollyBeforeItAndItsProvidersAreAskedAndTold) {
  WriteProfile("a", {{"Mail", Kind::kTransport}});
  WriteProfile("late", {{"Late", Kind::kStore}});
  com_ptr<IMAPISession> a;
  ASSERT_EQ(Logon("a", &a), S_OK);
  auto cs = ClientShutdown(a);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  journal().Script("MSProviderInit", Method::kInit, testjournal::Hangs());  // the late logon is inside its provider's entry point
  auto late = std::make_shared<com_ptr<IMAPISession>>();
  Racer logon([this, late] { return Logon("late", late.get()); });
  journal().WaitForHungCalls(1);
  Racer done([cs] { return cs->DoFastShutdown(); });
  WaitForWaiters(1);  // Do waits for the logon, which is wholly before it
  journal().ReleaseHangs();
  EXPECT_EQ(logon.Join(), S_OK);
  EXPECT_EQ(done.Join(), S_OK);
  EXPECT_THAT(Order(Method::kQuery), ElementsAre("Mail", "Late"));  // the newcomer was asked first
  EXPECT_THAT(Order(Method::kDo), UnorderedElementsAre("Mail", "Late"));
}

TEST_F(ContractEdgesTest, ALogonArrivingDuringNotifyWaitsForItThenFailsWithoutLoadingAProvider) {
  journal().Script("Mail", Method::kNotify, testjournal::Hangs());
  com_ptr<IMAPIClientShutdown> cs;
  ASSERT_NO_FATAL_FAILURE(LogOnAWithBToCome(&cs));
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  Racer notify([cs] { return cs->NotifyProcessShutdown(); });
  journal().WaitForHungCalls(1);
  auto logon = ParkALogonOfB();
  journal().ReleaseHangs();
  EXPECT_EQ(notify.Join(), S_OK);
  EXPECT_EQ(logon->Join(), MAPI_E_END_OF_SESSION);  // providers were told: no logon after that
  EXPECT_EQ(journal().Count("MSProviderInit", Method::kInit), 0);
}

TEST_F(ContractEdgesTest, ALogonArrivingDuringQueryIsWhollyAfterItAndItsProvidersAreAskedBeforeAnyoneIsTold) {
  journal().Script("Mail", Method::kQuery, testjournal::Hangs());
  com_ptr<IMAPIClientShutdown> cs;
  ASSERT_NO_FATAL_FAILURE(LogOnAWithBToCome(&cs));
  Racer query([cs] { return cs->QueryFastShutdown(); });
  journal().WaitForHungCalls(1);
  auto logon = ParkALogonOfB();
  journal().Script("Mail", Method::kQuery, Behavior{});
  journal().ReleaseHangs();
  EXPECT_EQ(query.Join(), S_OK);
  EXPECT_EQ(logon->Join(), S_OK);  // after the answer: a late session
  EXPECT_THAT(Order(Method::kQuery), ElementsAre("Mail"));
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  EXPECT_THAT(Order(Method::kQuery), ElementsAre("Mail", "Store"));  // asked before anyone was told
  EXPECT_LT(journal().Calls(Method::kQuery).back().seq, journal().Calls(Method::kNotify).front().seq);
}

TEST_F(ContractEdgesTest, AProviderLoggingOnFromInsideItsOwnStepIsRefusedNotDeadlocked) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  WriteProfile("q", {{"Fax", Kind::kTransport}});
  Behavior logon;
  logon.callback = [this] {
    com_ptr<IMAPISession> nested;
    return Logon("q", &nested);
  };
  journal().Script("Mail", Method::kQuery, logon);
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Racer query([cs = ClientShutdown(s)] { return cs->QueryFastShutdown(); });
  EXPECT_EQ(query.Join(), S_OK);
  EXPECT_THAT(journal().CallbackResults(), ElementsAre(MAPI_E_CALL_FAILED));
}

// Rule 2 ------------------------------------------------------------------------------------

TEST_F(ContractEdgesTest, ALogoffRacingASuccessfulDoWaitsThenEndsWithoutReachingAProvider) {
  com_ptr<IMAPISession> s;
  auto done = StartHungDo(&s);
  Racer logoff([raw = s.get()] { return raw->Logoff(0, 0, 0); });
  WaitForWaiters(1);
  journal().ReleaseHangs();
  EXPECT_EQ(done->Join(), S_OK);
  EXPECT_EQ(logoff.Join(), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(NormalShutdownCalls(), 0);
}

TEST_F(ContractEdgesTest, ALogoffArrivingDuringNotifyWaitsForItThenShutsTheSessionDown) {
  journal().Script("Store", Method::kNotify, testjournal::Hangs());
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  Racer notify([cs] { return cs->NotifyProcessShutdown(); });
  journal().WaitForHungCalls(1);
  Racer logoff([raw = s.get()] { return raw->Logoff(0, 0, 0); });
  WaitForWaiters(1);
  EXPECT_EQ(NormalShutdownCalls(), 0);  // nothing of the logoff while the phase runs
  journal().ReleaseHangs();
  EXPECT_EQ(notify.Join(), S_OK);
  EXPECT_EQ(logoff.Join(), S_OK);  // not ended: the session shuts down normally
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);
  EXPECT_LT(journal().Calls(Method::kNotify).back().seq, journal().Calls(Method::kLogoff).front().seq);
}

TEST_F(ContractEdgesTest, ALastReleaseRacingASuccessfulDoReachesNoProvider) {
  com_ptr<IMAPISession> s;
  auto done = StartHungDo(&s);
  Racer release([raw = s.detach()] { return static_cast<HRESULT>(raw->Release()); });
  WaitForWaiters(1);
  journal().ReleaseHangs();
  EXPECT_EQ(done->Join(), S_OK);
  EXPECT_TRUE(release.Join().has_value());
  EXPECT_EQ(NormalShutdownCalls(), 0);
}

TEST_F(ContractEdgesTest, AnUninitializeRacingASuccessfulDoReachesNoProvider) {
  com_ptr<IMAPISession> s;
  auto done = StartHungDo(&s);
  Racer uninitialize([] {
    MAPIUninitialize();
    return S_OK;
  });
  WaitForWaiters(1);
  journal().ReleaseHangs();
  EXPECT_EQ(done->Join(), S_OK);
  EXPECT_TRUE(uninitialize.Join().has_value());
  EXPECT_EQ(NormalShutdownCalls(), 0);
}

TEST_F(ContractEdgesTest, AQueryWaitingOutASuccessfulDoAnswersEndOfSession) {
  com_ptr<IMAPISession> s;
  auto done = StartHungDo(&s);
  Racer query([cs = ClientShutdown(asker_)] { return cs->QueryFastShutdown(); });
  WaitForWaiters(1);
  journal().ReleaseHangs();
  EXPECT_EQ(done->Join(), S_OK);
  EXPECT_EQ(query.Join(), MAPI_E_END_OF_SESSION);
}


// The last MAPIUninitialize and another thread's MAPIInitialize: MAPI's count reaches zero only
// inside the normal shutdown, an activity no logon runs beside. A MAPIInitialize that comes while
// that MAPIUninitialize waits for a running step keeps the cycle going: nothing is torn down, and
// the new thread's logon joins the cycle. Before, the count reached zero before the wait, and the
// waiting shutdown tore down every session in the list when it ran, also one the new cycle's
// thread had logged on in between (its providers shut down and their libraries closed under it).
TEST_F(ContractEdgesTest, AMapiInitializeWhileTheLastUninitializeWaitsKeepsTheCycleAndItsSessions) {
  journal().Script("Store", Method::kQuery, testjournal::Hangs());
  WriteProfile("p", {{"Store", Kind::kStore}});
  WriteProfile("b", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Racer query([cs = ClientShutdown(s)] { return cs->QueryFastShutdown(); });
  journal().WaitForHungCalls(1);
  Racer last([] {
    MAPIUninitialize();  // the fixture's MAPIInitialize is the only one: this would be the last
    return S_OK;
  });
  WaitForWaiters(1);
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);  // the other thread's, before that shutdown ran
  journal().ReleaseHangs();
  EXPECT_EQ(query.Join(), S_OK);
  ASSERT_TRUE(last.Join().has_value());
  ASSERT_EQ(NormalShutdownCalls(), 0) << "the cycle was torn down although a MAPIInitialize came before its shutdown ran";
  com_ptr<IMAPISession> b;
  ASSERT_EQ(Logon("b", &b), S_OK);
  EXPECT_EQ(GetShutdownRecord().query_result, S_OK) << "a new cycle began: its record does not hold the query";
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);
  EXPECT_EQ(b->Logoff(0, 0, 0), S_OK);
}
// Rule 3 ------------------------------------------------------------------------------------

// Everything a client reached through the store before the end.
struct Reached {
  com_ptr<IMsgStore> store;
  com_ptr<IMAPIFolder> folder;
  com_ptr<IMessage> message;
  com_ptr<IMAPITable> table;
  com_ptr<IStream> stream;
  com_ptr<IAttach> attach;
};

class GateTest : public ContractEdgesTest {
 protected:
  Reached OpenEverything(const com_ptr<IMAPISession>& s) {
    Reached r;
    com_ptr<IMAPITable> stores;
    EXPECT_EQ(s->GetMsgStoresTable(0, stores.put()), S_OK);
    SizedSPropTagArray(1, columns) = {1, {PR_ENTRYID}};
    EXPECT_EQ(stores->SetColumns(reinterpret_cast<LPSPropTagArray>(&columns), 0), S_OK);
    LPSRowSet rows = nullptr;
    EXPECT_EQ(stores->QueryRows(1, 0, &rows), S_OK);
    const SBinary& id = rows->aRow[0].lpProps[0].Value.bin;
    EXPECT_EQ(s->OpenMsgStore(0, id.cb, reinterpret_cast<LPENTRYID>(id.lpb), nullptr, MAPI_BEST_ACCESS, r.store.put()), S_OK);
    FreeProws(rows);
    ULONG type = 0;
    EXPECT_EQ(r.store->OpenEntry(0, nullptr, nullptr, 0, &type, r.folder.put_as<IUnknown>()), S_OK);
    EXPECT_EQ(type, static_cast<ULONG>(MAPI_FOLDER));
    EXPECT_EQ(r.folder->CreateMessage(nullptr, 0, r.message.put()), S_OK);
    EXPECT_EQ(r.folder->GetContentsTable(0, r.table.put()), S_OK);
    EXPECT_EQ(r.message->OpenProperty(PR_BODY_A, &IID_IStream, 0, 0, r.stream.put_as<IUnknown>()), S_OK);
    ULONG number = 0;
    EXPECT_EQ(r.message->CreateAttach(nullptr, 0, &number, r.attach.put()), S_OK);
    return r;
  }
  void EndFast(const com_ptr<IMAPISession>& s) {
    auto cs = ClientShutdown(s);
    ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
    ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
    ASSERT_EQ(cs->DoFastShutdown(), S_OK);
  }
};

// The control for the test below: before the end, a client's last release of an object reaches
// the provider's object (its last Release, here its destructor).
TEST_F(GateTest, BeforeTheEndAClientsLastReleaseReachesTheProvidersObject) {
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Reached r = OpenEverything(s);
  const int destroyed = journal().Count("Store", Method::kDestroyed);
  r.message.reset();
  r.table.reset();
  EXPECT_EQ(journal().Count("Store", Method::kDestroyed), destroyed + 2);
}

TEST_F(GateTest, AfterTheEndNothingReachesAStoreThatDoesNotRefuseByItself) {
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Reached r = OpenEverything(s);
  EndFast(s);
  const int before = journal().Count("Store", Method::kObjectCall);

  ULONG cb = 0, count = 0, type = 0;
  LPENTRYID eid = nullptr;
  LPSPropValue props = nullptr;
  LPSRowSet rows = nullptr;
  com_ptr<IUnknown> unk;
  char buffer[8];
  EXPECT_EQ(r.store->GetReceiveFolder(nullptr, 0, &cb, &eid, nullptr), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.store->GetProps(nullptr, 0, &count, &props), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.store->OpenEntry(0, nullptr, nullptr, 0, &type, unk.put()), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.store->QueryInterface(IID_IMsgStore, reinterpret_cast<void**>(unk.put())), MAPI_E_END_OF_SESSION);
  com_ptr<IMAPITable> table;
  EXPECT_EQ(r.folder->GetContentsTable(0, table.put()), MAPI_E_END_OF_SESSION);
  com_ptr<IMessage> message;
  ASSERT_EQ(r.folder->CreateMessage(nullptr, 0, message.put()), MAPI_E_END_OF_SESSION);
  // The message and the table reached before the end, each still held.
  EXPECT_EQ(r.message->SaveChanges(0), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.message->GetProps(nullptr, 0, &count, &props), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.table->GetRowCount(0, &count), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.table->QueryRows(1, 0, &rows), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.attach->SaveChanges(0), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.stream->Read(buffer, sizeof buffer, &count), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(journal().Count("Store", Method::kObjectCall), before);
  // AddRef and Release only count: releasing everything reaches no provider either, not even the
  // last Release of the provider's own objects (before the end it would: the test just above).
  const int destroyed = journal().Count("Store", Method::kDestroyed);
  r = Reached{};
  EXPECT_EQ(journal().Count("Store", Method::kObjectCall), before);
  EXPECT_EQ(journal().Count("Store", Method::kDestroyed), destroyed);
  EXPECT_EQ(rows, nullptr);
}

// What a client reached through IMAPISession::OpenAddressBook before the end: the address book,
// its provider's root container, that container's contents table and one of its mail users.
struct ReachedBook {
  com_ptr<IAddrBook> book;
  com_ptr<IABContainer> root;
  com_ptr<IMAPITable> contents;
  com_ptr<IMailUser> user;
};

ReachedBook OpenTheAddressBook(const com_ptr<IMAPISession>& s) {
  ReachedBook r;
  EXPECT_EQ(s->OpenAddressBook(0, nullptr, 0, r.book.put()), S_OK);
  if (!r.book) return r;
  ULONG type = 0;
  EXPECT_EQ(r.book->OpenEntry(0, nullptr, nullptr, 0, &type, r.root.put_as<IUnknown>()), S_OK);
  EXPECT_EQ(type, static_cast<ULONG>(MAPI_ABCONT));
  if (!r.root) return r;
  EXPECT_EQ(r.root->GetContentsTable(0, r.contents.put()), S_OK);
  BYTE id[] = {0, 0, 0, 0, 1};
  EXPECT_EQ(r.root->OpenEntry(sizeof id, reinterpret_cast<LPENTRYID>(id), nullptr, 0, &type, r.user.put_as<IUnknown>()), S_OK);
  EXPECT_EQ(type, static_cast<ULONG>(MAPI_MAILUSER));
  return r;
}

// SPEC.md rule 3, "and the address book": before the end the address book opens its provider's
// entries, and what it hands back is the gate's (a client's last release of it reaches the
// provider's object, as for a store's).
TEST_F(GateTest, TheAddressBookOpensItsProvidersEntriesThroughTheGate) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  const int before = journal().Count("Book", Method::kObjectCall);
  ReachedBook r = OpenTheAddressBook(s);
  ASSERT_TRUE(r.contents && r.user);
  EXPECT_EQ(journal().Count("Book", Method::kObjectCall), before + 3);  // the root, its table, the user
  const int destroyed = journal().Count("Book", Method::kDestroyed);
  r.contents.reset();
  r.user.reset();
  EXPECT_EQ(journal().Count("Book", Method::kDestroyed), destroyed + 2);
}

TEST_F(GateTest, AfterTheEndNothingReachesAnAddressBookProvider) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  ReachedBook r = OpenTheAddressBook(s);
  ASSERT_TRUE(r.contents && r.user);
  EndFast(s);
  const int before = journal().Count("Book", Method::kObjectCall);

  ULONG type = 0, count = 0, result = 0;
  LPSPropValue props = nullptr;
  LPSRowSet rows = nullptr;
  com_ptr<IUnknown> unk;
  com_ptr<IMAPITable> table;
  BYTE id[] = {0, 0, 0, 0, 1};
  EXPECT_EQ(r.book->OpenEntry(0, nullptr, nullptr, 0, &type, unk.put()), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.book->OpenEntry(sizeof id, reinterpret_cast<LPENTRYID>(id), nullptr, 0, &type, unk.put()), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.book->CompareEntryIDs(sizeof id, reinterpret_cast<LPENTRYID>(id), sizeof id, reinterpret_cast<LPENTRYID>(id), 0, &result),
            MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.book->GetSearchPath(0, &rows), MAPI_E_END_OF_SESSION);  // one it does not implement
  EXPECT_EQ(r.root->GetContentsTable(0, table.put()), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.root->ResolveNames(nullptr, 0, nullptr, nullptr), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.contents->GetRowCount(0, &count), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.user->GetProps(nullptr, 0, &count, &props), MAPI_E_END_OF_SESSION);
  LPMAPIERROR error = nullptr;
  EXPECT_EQ(r.book->QueryInterface(IID_IAddrBook, reinterpret_cast<void**>(unk.put())), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.book->GetLastError(MAPI_E_CALL_FAILED, 0, &error), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(error, nullptr);
  com_ptr<IAddrBook> again;
  EXPECT_EQ(s->OpenAddressBook(0, nullptr, 0, again.put()), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(journal().Count("Book", Method::kObjectCall), before);
  // Releasing everything reaches no provider either.
  const int destroyed = journal().Count("Book", Method::kDestroyed);
  r = ReachedBook{};
  EXPECT_EQ(journal().Count("Book", Method::kObjectCall), before);
  EXPECT_EQ(journal().Count("Book", Method::kDestroyed), destroyed);
  EXPECT_EQ(rows, nullptr);
}

// An entry ID is offered to each address book provider in profile order: one that does not know
// it is passed over, and when nobody does the answer is MAPI_E_UNKNOWN_ENTRYID. A profile without
// an address book provider says so.
TEST_F(GateTest, TheAddressBookOffersAnEntryToEachProviderInTurn) {
  WriteProfile("p", {{"Book", Kind::kAddressBook}, {"Directory", Kind::kAddressBook}});
  WriteProfile("none", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s, none;
  ASSERT_EQ(Logon("p", &s), S_OK);
  ASSERT_EQ(Logon("none", &none), S_OK);
  com_ptr<IAddrBook> book, empty;
  ASSERT_EQ(s->OpenAddressBook(0, nullptr, 0, book.put()), S_OK);
  BYTE id[] = {0, 0, 0, 0, 1};
  ULONG type = 0;
  com_ptr<IUnknown> entry;
  journal().Script("Book", Method::kObjectCall, Behavior(MAPI_E_UNKNOWN_ENTRYID));
  ASSERT_EQ(book->OpenEntry(sizeof id, reinterpret_cast<LPENTRYID>(id), nullptr, 0, &type, entry.put()), S_OK);
  EXPECT_EQ(type, static_cast<ULONG>(MAPI_MAILUSER));
  EXPECT_EQ(journal().Count("Directory", Method::kObjectCall), 1);  // Book did not know it
  entry.reset();
  journal().Script("Directory", Method::kObjectCall, Behavior(MAPI_E_UNKNOWN_ENTRYID));
  EXPECT_EQ(book->OpenEntry(sizeof id, reinterpret_cast<LPENTRYID>(id), nullptr, 0, &type, entry.put()), MAPI_E_UNKNOWN_ENTRYID);
  journal().Script("Book", Method::kObjectCall, Behavior(MAPI_E_NOT_ENOUGH_MEMORY));
  EXPECT_EQ(book->OpenEntry(sizeof id, reinterpret_cast<LPENTRYID>(id), nullptr, 0, &type, entry.put()), MAPI_E_NOT_ENOUGH_MEMORY)
      << "a provider's own failure is the answer, not \"nobody knew it\"";
  ASSERT_EQ(none->OpenAddressBook(0, nullptr, 0, empty.put()), S_OK);
  EXPECT_EQ(empty->OpenEntry(0, nullptr, nullptr, 0, &type, entry.put()), MAPI_E_NOT_FOUND);
  EXPECT_THAT(LastErrorMessage(), HasSubstr("no address book provider"));
}

// A provider that opens an entry whatever interface was asked for is asked for that interface
// before the gate wraps what it opened: a wrapper of another interface would call the wrong
// slots of the provider's object. (The scripted store opens its root folder for an empty ID.)
TEST_F(GateTest, AnEntryOpenedAsAnInterfaceItDoesNotHaveIsRefusedNotWrappedAsIt) {
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Reached r = OpenEverything(s);
  ULONG type = 0;
  com_ptr<IUnknown> entry;
  EXPECT_EQ(r.store->OpenEntry(0, nullptr, &IID_IMessage, 0, &type, entry.put()), MAPI_E_INTERFACE_NOT_SUPPORTED);
  EXPECT_EQ(entry, nullptr);
  com_ptr<IMAPIFolder> folder;
  EXPECT_EQ(r.store->OpenEntry(0, nullptr, &IID_IMAPIFolder, 0, &type, folder.put_as<IUnknown>()), S_OK);
  EXPECT_TRUE(folder);
  // The same for an object a call creates as the interface the client names: the scripted folder
  // creates a message whatever was named.
  com_ptr<IMessage> message;
  EXPECT_EQ(r.folder->CreateMessage(&IID_IMAPIFolder, 0, message.put()), MAPI_E_INTERFACE_NOT_SUPPORTED);
  EXPECT_EQ(message, nullptr);
  EXPECT_EQ(r.folder->CreateMessage(&IID_IMessage, 0, message.put()), S_OK);
}

// A client that still holds a provider's objects when its session logs off: the provider has been
// shut down, and after MAPIUninitialize its library is closed. What the client holds answers
// MAPI_E_END_OF_SESSION from the logoff on and reaches no provider, and its last Release is kept
// until the exit instead of calling into the provider. Before, a call still reached the shut-down
// provider, and the last Release after MAPIUninitialize ran code whose library was unmapped.
TEST_F(GateTest, ObjectsHeldPastTheirSessionsLogoffReachNoProviderAndOutliveItsLibrary) {
  WriteProfile("p", {{"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Reached r = OpenEverything(s);
  ReachedBook b = OpenTheAddressBook(s);
  ASSERT_TRUE(r.message && b.root);
  b.book.reset();  // the address book holds its session
  ASSERT_EQ(s->Logoff(0, 0, 0), S_OK);
  const int calls = journal().Count("Store", Method::kObjectCall) + journal().Count("Book", Method::kObjectCall);
  ULONG count = 0;
  com_ptr<IMAPITable> table;
  EXPECT_EQ(r.message->SaveChanges(0), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(r.table->GetRowCount(0, &count), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(b.root->GetContentsTable(0, table.put()), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(journal().Count("Store", Method::kObjectCall) + journal().Count("Book", Method::kObjectCall), calls);
  s.reset();
  MAPIUninitialize();  // the providers' libraries are closed
  uninitialize_in_teardown_ = false;
  const int destroyed = journal().Count("Store", Method::kDestroyed) + journal().Count("Book", Method::kDestroyed);
  r = Reached{};
  b = ReachedBook{};
  EXPECT_EQ(journal().Count("Store", Method::kDestroyed) + journal().Count("Book", Method::kDestroyed), destroyed);
}

// IMAPISession::GetStatusTable: a row for the subsystem, the spooler and each provider, with its
// resource type, names and status, as a client (a mail application's status bar, MFCMAPI) reads
// it; behind the gate like the stores table.
TEST_F(GateTest, TheStatusTableHasTheSubsystemTheSpoolerAndEachProvider) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  com_ptr<IMAPITable> status;
  ASSERT_EQ(s->GetStatusTable(0, status.put()), S_OK);
  SizedSPropTagArray(3, columns) = {3, {PR_RESOURCE_TYPE, PR_DISPLAY_NAME_A, PR_STATUS_CODE}};
  ASSERT_EQ(status->SetColumns(reinterpret_cast<LPSPropTagArray>(&columns), 0), S_OK);
  LPSRowSet rows = nullptr;
  ASSERT_EQ(status->QueryRows(10, 0, &rows), S_OK);
  std::vector<std::pair<ULONG, std::string>> seen;
  for (ULONG r = 0; r < rows->cRows; ++r) {
    const SPropValue* v = rows->aRow[r].lpProps;
    EXPECT_EQ(v[2].ulPropTag, PR_STATUS_CODE);
    EXPECT_EQ(v[2].Value.l & STATUS_AVAILABLE, static_cast<LONG>(STATUS_AVAILABLE));
    seen.emplace_back(static_cast<ULONG>(v[0].Value.l), v[1].ulPropTag == PR_DISPLAY_NAME_A ? v[1].Value.lpszA : "");
  }
  FreeProws(rows);
  EXPECT_THAT(seen, ElementsAre(std::pair<ULONG, std::string>{MAPI_SUBSYSTEM, "MAPI Subsystem"},
                                std::pair<ULONG, std::string>{MAPI_SPOOLER, "MAPI Spooler"},
                                std::pair<ULONG, std::string>{MAPI_TRANSPORT_PROVIDER, "Mail"},
                                std::pair<ULONG, std::string>{MAPI_AB_PROVIDER, "Book"},
                                std::pair<ULONG, std::string>{MAPI_STORE_PROVIDER, "Store"}));
  EndFast(s);
  ULONG count = 0;
  EXPECT_EQ(status->GetRowCount(0, &count), MAPI_E_END_OF_SESSION);
}

// A client call already inside a store when another thread logs the session off: the store is not
// shut down under it. The logoff waits for the call to return (as DoFastShutdown does), then
// gives the store its Logoff.
TEST_F(GateTest, ALogoffWaitsForAClientCallAlreadyInsideTheStoreBeforeShuttingItDown) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Reached r = OpenEverything(s);
  journal().Script("Store", Method::kObjectCall, testjournal::Hangs());
  Racer save([message = r.message] { return message->SaveChanges(0); });  // inside the store, hung
  journal().WaitForHungCalls(1);
  Racer logoff([raw = s.get()] { return raw->Logoff(0, 0, 0); });
  ASSERT_TRUE(Eventually([] { return GateClosesWaiting() >= 1; })) << "the logoff did not wait for the call";
  EXPECT_EQ(journal().Count("Store", Method::kLogoff), 0) << "the store was shut down under a call";
  journal().ReleaseHangs();
  EXPECT_EQ(save.Join(), MAPI_E_NO_SUPPORT);  // the store's own answer
  EXPECT_EQ(logoff.Join(), S_OK);
  EXPECT_EQ(journal().Count("Store", Method::kLogoff), 1);
  EXPECT_EQ(r.message->SaveChanges(0), MAPI_E_END_OF_SESSION);
}

// A provider's own row (IMAPISupport::ModifyStatusRow): its values replace the ones it set before,
// or are merged with STATUSROW_UPDATE; a type other than a long or a string is refused; the
// row's identity and kind stay the session's; after the end the call is refused.
TEST_F(GateTest, AProviderSetsItsOwnStatusRowThroughItsSupportObject) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  IMAPISupport* support = journal().Support("Store");
  ASSERT_NE(support, nullptr);
  // The Store's row: {status code, status string, resource type}.
  auto row = [&]() {
    com_ptr<IMAPITable> status;
    EXPECT_EQ(s->GetStatusTable(0, status.put()), S_OK);
    SizedSPropTagArray(3, columns) = {3, {PR_STATUS_CODE, PR_STATUS_STRING_A, PR_RESOURCE_TYPE}};
    EXPECT_EQ(status->SetColumns(reinterpret_cast<LPSPropTagArray>(&columns), 0), S_OK);
    LPSRowSet rows = nullptr;
    EXPECT_EQ(status->QueryRows(10, 0, &rows), S_OK);
    std::tuple<LONG, std::string, LONG> found{-1, "(no row)", -1};
    for (ULONG r = 0; r < rows->cRows; ++r) {
      const SPropValue* v = rows->aRow[r].lpProps;
      if (v[2].Value.l != static_cast<LONG>(MAPI_STORE_PROVIDER)) continue;
      found = {v[0].Value.l, v[1].ulPropTag == PR_STATUS_STRING_A ? v[1].Value.lpszA : "(none)", v[2].Value.l};
    }
    FreeProws(rows);
    return found;
  };
  char why[] = "offline: the server is down";
  SPropValue failed[3] = {};
  failed[0].ulPropTag = PR_STATUS_CODE;
  failed[0].Value.l = STATUS_AVAILABLE | STATUS_OFFLINE;
  failed[1].ulPropTag = PR_STATUS_STRING_A;
  failed[1].Value.lpszA = why;
  failed[2].ulPropTag = PR_RESOURCE_TYPE;  // not the provider's to change
  failed[2].Value.l = MAPI_SUBSYSTEM;
  ASSERT_EQ(support->ModifyStatusRow(3, failed, 0), S_OK);
  EXPECT_EQ(row(), std::make_tuple(static_cast<LONG>(STATUS_AVAILABLE | STATUS_OFFLINE), std::string(why),
                                   static_cast<LONG>(MAPI_STORE_PROVIDER)));
  SPropValue back = {};
  back.ulPropTag = PR_STATUS_CODE;
  back.Value.l = STATUS_AVAILABLE;
  ASSERT_EQ(support->ModifyStatusRow(1, &back, STATUSROW_UPDATE), S_OK);  // merged: the text stays
  EXPECT_EQ(std::get<1>(row()), why);
  EXPECT_EQ(std::get<0>(row()), static_cast<LONG>(STATUS_AVAILABLE));
  ASSERT_EQ(support->ModifyStatusRow(1, &back, 0), S_OK);  // replaced: the text goes
  EXPECT_EQ(std::get<1>(row()), "(none)");
  SPropValue binary = {};
  binary.ulPropTag = PR_ENTRYID;
  EXPECT_EQ(support->ModifyStatusRow(1, &binary, 0), MAPI_E_INVALID_PARAMETER);
  EndFast(s);
  EXPECT_EQ(support->ModifyStatusRow(1, &back, 0), MAPI_E_END_OF_SESSION);
}

// SPEC.md, best practices: clients never call a provider's IMAPIProviderShutdown. Nothing the
// client holds hands it out: only the subsystem asks providers for it.
TEST_F(GateTest, NoObjectTheClientHoldsHandsOutAProvidersShutdownInterface) {
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Reached r = OpenEverything(s);
  auto cs = ClientShutdown(s);
  const std::vector<IUnknown*> held = {s.get(), cs.get(), r.store.get(), r.folder.get(), r.message.get(), r.table.get()};
  for (IUnknown* object : held) {
    void* out = nullptr;
    EXPECT_TRUE(FAILED(object->QueryInterface(IID_IMAPIProviderShutdown, &out)));
    EXPECT_EQ(out, nullptr);
  }
}

TEST_F(GateTest, BeforeTheEndTheWrappersForwardEverythingAndKeepCOMIdentity) {
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Reached r = OpenEverything(s);
  const int before = journal().Count("Store", Method::kObjectCall);
  ULONG cb = 0;
  LPENTRYID eid = nullptr;
  EXPECT_EQ(r.store->GetReceiveFolder(nullptr, 0, &cb, &eid, nullptr), MAPI_E_NO_SUPPORT);  // the provider's own answer
  EXPECT_EQ(r.message->SaveChanges(0), MAPI_E_NO_SUPPORT);
  EXPECT_EQ(journal().Count("Store", Method::kObjectCall), before + 2);

  com_ptr<IUnknown> a, b;
  ASSERT_EQ(r.message.query_to(IID_IUnknown, a.put()), S_OK);
  ASSERT_EQ(r.message.try_query<IMAPIProp>().query_to(IID_IUnknown, b.put()), S_OK);
  EXPECT_EQ(a.get(), b.get());
  com_ptr<IMsgStore> again;
  com_ptr<IMAPITable> stores;
  ASSERT_EQ(s->GetMsgStoresTable(0, stores.put()), S_OK);
  // The same provider object reached twice is one wrapper identity.
  com_ptr<IUnknown> store_identity, store_identity_again;
  ASSERT_EQ(r.store.query_to(IID_IUnknown, store_identity.put()), S_OK);
  ASSERT_EQ(r.store.try_query<IMAPIProp>().query_to(IID_IUnknown, store_identity_again.put()), S_OK);
  EXPECT_EQ(store_identity.get(), store_identity_again.get());
  EXPECT_FALSE(r.message.try_query<IMAPIFolder>());
}

TEST_F(GateTest, DoWaitsForAClientCallAlreadyInsideTheStoreAndNoneStartsWhileItRuns) {
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Reached r = OpenEverything(s);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  journal().Script("Store", Method::kObjectCall, testjournal::Hangs());
  Racer save([message = r.message] { return message->SaveChanges(0); });  // inside the provider, hung
  journal().WaitForHungCalls(1);
  Racer done([cs] { return cs->DoFastShutdown(); });
  WaitForWaiters(1);  // DoFastShutdown waits for the save under way before the final save
  journal().ReleaseHangs();
  EXPECT_EQ(save.Join(), MAPI_E_NO_SUPPORT);  // the provider's own answer
  EXPECT_EQ(done.Join(), S_OK);
  const auto saves = journal().Calls(Method::kObjectCall);
  const auto dos = journal().Calls(Method::kDo);
  ASSERT_FALSE(dos.empty());
  for (const auto& c : saves) EXPECT_LT(c.seq, dos.front().seq);
}

TEST_F(GateTest, AfterTheEndTheStoresTableProfileSectionsAndSupportObjectAnswerEndOfSession) {
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  com_ptr<IMAPITable> stores;
  ASSERT_EQ(s->GetMsgStoresTable(0, stores.put()), S_OK);
  IMAPISupport* support = journal().Support("Store");
  ASSERT_NE(support, nullptr);
  com_ptr<IProfSect> section;
  ASSERT_EQ(support->OpenProfileSection(nullptr, 0, section.put()), S_OK);
  EndFast(s);

  ULONG count = 0;
  LPSRowSet rows = nullptr;
  LPSPropValue props = nullptr;
  ULONG_PTR connection = 0;
  EXPECT_EQ(stores->GetRowCount(0, &count), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(stores->QueryRows(1, 0, &rows), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(section->GetProps(nullptr, 0, &count, &props), MAPI_E_END_OF_SESSION);
  // Methods the support object does not implement answer the end too, not "no support".
  EXPECT_EQ(support->Subscribe(nullptr, 0, 0, nullptr, &connection), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(support->CompleteMsg(0, 0, nullptr), MAPI_E_END_OF_SESSION);
}

// Rule 4 ------------------------------------------------------------------------------------

TEST_F(ContractEdgesTest, AProviderWhoseDoWasAbandonedGetsNoNormalShutdownCallAndTheRecordGetsItsLateResult) {
  HangPastTheDeadline("Book", Method::kDo);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  ReachedBook held = OpenTheAddressBook(s);  // the client still holds Book's root container at the logoff
  held.book.reset();
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  ASSERT_EQ(cs->NotifyProcessShutdown(), S_OK);
  ASSERT_EQ(cs->DoFastShutdown(), MAPI_E_TIMEOUT);

  Racer logoff([raw = s.get()] { return raw->Logoff(0, 0, 0); });
  EXPECT_TRUE(logoff.Join().has_value());  // promptly, although Book's Do still runs
  EXPECT_EQ(journal().Count("Book", Method::kLogoff), 0);
  EXPECT_EQ(journal().Count("Book", Method::kShutdown), 0);
  EXPECT_EQ(journal().Count("Book", Method::kRelease), 0);
  EXPECT_EQ(journal().Count("Mail", Method::kShutdown), 1);
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);
  EXPECT_TRUE(AnyReportContains("\"Book\""));

  journal().ReleaseHangs();
  ASSERT_TRUE(Eventually([] { return AbandonedCallsRunning() == 0; }));
  // What the client held of Book is closed with its session, though Book got no normal shutdown:
  // its call has returned, and still nothing reaches it.
  const int calls = journal().Count("Book", Method::kObjectCall);
  com_ptr<IMAPITable> contents;
  EXPECT_EQ(held.root->GetContentsTable(0, contents.put()), MAPI_E_END_OF_SESSION);
  EXPECT_EQ(journal().Count("Book", Method::kObjectCall), calls);
  const ShutdownRecord record = GetShutdownRecord();
  const ProviderRecord* book = nullptr;
  for (const auto& p : record.providers) {
    if (p.names->display_name == "Book") book = &p;
  }
  ASSERT_NE(book, nullptr);
  const ProviderCallRecord* done = nullptr;
  for (const auto& c : book->calls) {
    if (c.step == ShutdownStep::kDoFastShutdown) done = &c;
  }
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->hr, S_OK);  // the late answer, not the timeout
  EXPECT_GE(done->duration, std::chrono::milliseconds(200));
  EXPECT_NE(done->thread_id, 0u);
  // The normal shutdown it did not get is on the exit's timeline too: a call with no start put the
  // exit record's origin at the clock's zero, and every call's "at_ms" hours after it.
  const ProviderCallRecord* skipped = nullptr;
  for (const auto& c : book->calls) {
    if (c.outcome == CallOutcome::kSkipped) skipped = &c;
  }
  ASSERT_NE(skipped, nullptr);
  EXPECT_GE(skipped->started, done->started);
  SetProviderCallDeadline(std::nullopt);
}

TEST_F(ContractEdgesTest, TheDeadlineCoversTheQueryForTheShutdownInterface) {
  HangPastTheDeadline("Book", Method::kQueryInterface);
  WriteProfile("p", {{"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Racer query([cs = ClientShutdown(s)] { return cs->QueryFastShutdown(); });
  EXPECT_EQ(query.Join(), MAPI_E_NO_SUPPORT);
  ReleaseAbandoned();
}

TEST_F(ContractEdgesTest, AProviderWhoseQueryInterfaceOverranIsAskedAgainNotSkipped) {
  HangPastTheDeadline("Book", Method::kQueryInterface);
  WriteProfile("p", {{"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  EXPECT_EQ(cs->QueryFastShutdown(), MAPI_E_NO_SUPPORT);  // it cannot be relied on while unanswered
  journal().Script("Book", Method::kQueryInterface, Behavior{});
  journal().ReleaseHangs();
  ASSERT_TRUE(Eventually([] { return AbandonedCallsRunning() == 0; }));
  EXPECT_EQ(cs->QueryFastShutdown(), S_OK);  // asked again, it answers
  EXPECT_EQ(cs->DoFastShutdown(), S_OK);
  EXPECT_EQ(journal().Count("Book", Method::kDo), 1);  // told to save, not skipped
  SetProviderCallDeadline(std::nullopt);
}

TEST_F(ContractEdgesTest, TheDeadlineCoversTheProvidersOwnQueryFastShutdown) {
  HangPastTheDeadline("Book", Method::kQuery);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Racer query([cs = ClientShutdown(s)] { return cs->QueryFastShutdown(); });
  EXPECT_EQ(query.Join(), MAPI_E_NO_SUPPORT);  // an answer that never came is not a yes
  EXPECT_EQ(journal().Count("Store", Method::kQuery), 1);  // the others were still asked
  EXPECT_TRUE(AnyReportContains("\"Book\""));
  EXPECT_TRUE(AnyReportContains("timed out"));
  ReleaseAbandoned();
}

// A provider whose call was abandoned at its deadline gets no normal shutdown while the call runs,
// and the coordinator keeps it (rule 4). Once the call has returned, a new MAPI cycle still starts
// a record of its own: the provider is let go without a call into it. Before, such a provider
// stayed known for the life of the process, and every later cycle's record kept growing.
TEST_F(ContractEdgesTest, ANewMapiCycleAfterAnAbandonedCallReturnedStartsARecordOfItsOwn) {
  HangPastTheDeadline("Book", Method::kQuery);
  WriteProfile("p", {{"Book", Kind::kAddressBook}});
  {
    com_ptr<IMAPISession> s;
    ASSERT_EQ(Logon("p", &s), S_OK);
    EXPECT_EQ(ClientShutdown(s)->QueryFastShutdown(), MAPI_E_NO_SUPPORT);  // Book overran
    EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);  // Book's normal shutdown is skipped: its call still runs
  }
  MAPIUninitialize();
  ReleaseAbandoned();
  ASSERT_EQ(MAPIInitialize(nullptr), S_OK);
  WriteProfile("q", {{"Next", Kind::kStore}});
  com_ptr<IMAPISession> next;
  ASSERT_EQ(Logon("q", &next), S_OK);
  ASSERT_EQ(ClientShutdown(next)->QueryFastShutdown(), S_OK);  // the new cycle's record has Next
  const ShutdownRecord record = GetShutdownRecord();
  ASSERT_EQ(record.providers.size(), 1u) << "the cycle before is still in the record";
  EXPECT_EQ(record.providers[0].names->display_name, "Next");
  // Book was let go with no call into it.
  EXPECT_EQ(journal().Count("Book", Method::kLogoff), 0);
  EXPECT_EQ(journal().Count("Book", Method::kShutdown), 0);
  ASSERT_EQ(next->Logoff(0, 0, 0), S_OK);
}

TEST_F(ContractEdgesTest, AProviderWhoseNotifyWasAbandonedIsNotToldToExitWhileItRuns) {
  HangPastTheDeadline("Book", Method::kNotify);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Book", Kind::kAddressBook}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  EXPECT_EQ(cs->NotifyProcessShutdown(), S_OK);  // every provider was tried
  // Book cannot be told to save while its notify still runs: the fast shutdown fails, naming it,
  // and the others are still told.
  EXPECT_EQ(cs->DoFastShutdown(), MAPI_E_TIMEOUT);
  EXPECT_EQ(journal().Count("Book", Method::kDo), 0);
  EXPECT_EQ(journal().Count("Mail", Method::kDo), 1);
  EXPECT_EQ(journal().Count("Store", Method::kDo), 1);
  EXPECT_THAT(GetShutdownRecord().culprit, HasSubstr("\"Book\""));
  ReleaseAbandoned();
}

TEST_F(ContractEdgesTest, AProviderAnsweringTimeoutItselfFailedRatherThanOverran) {
  journal().Script("Store", Method::kDo, Behavior{MAPI_E_TIMEOUT});
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  ASSERT_EQ(cs->QueryFastShutdown(), S_OK);
  EXPECT_EQ(cs->DoFastShutdown(), MAPI_E_CALL_FAILED);
}

// Rule 5 ------------------------------------------------------------------------------------

TEST_F(ContractEdgesTest, TheLastReleaseOfASessionFromInsideAProviderCallHappensOnceTheCallReturned) {
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  IMAPISession* raw = s.detach();  // the reference the provider will release
  Behavior release;
  release.callback = [raw] { return static_cast<HRESULT>(raw->Release()); };
  journal().Script("Store", Method::kQuery, release);
  // The client asks through another session, so the released one is not kept alive by the asker.
  WriteProfile("q", {{"Fax", Kind::kTransport}});
  com_ptr<IMAPISession> other;
  ASSERT_EQ(Logon("q", &other), S_OK);
  auto asker = ClientShutdown(other);

  EXPECT_EQ(asker->QueryFastShutdown(), S_OK);
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);  // after the call returned
  EXPECT_EQ(journal().Count("Mail", Method::kShutdown), 1);
  journal().Script("Store", Method::kQuery, Behavior{});
  EXPECT_EQ(asker->QueryFastShutdown(), S_OK);  // the released session is gone, not dangling
  EXPECT_EQ(journal().Count("Store", Method::kQuery), 1);
}

TEST_F(ContractEdgesTest, TheLastUninitializeFromAProvidersShutdownDoesNotCloseItsLibraryUnderIt) {
  com_ptr<IMAPISession> s;
  ASSERT_NO_FATAL_FAILURE(LogOnAProviderThatUninitializesLastFrom(Method::kShutdown, &s));
  MAPIUninitialize();  // the client's, before its session is released (RAII order)
  uninitialize_in_teardown_ = false;
  s.reset();
  EXPECT_EQ(journal().Count("Mail", Method::kShutdown), 1);
  com_ptr<IMAPISession> again;
  EXPECT_EQ(Logon("p", &again), MAPI_E_NOT_INITIALIZED);  // the provider's was the last
}

TEST_F(ContractEdgesTest, AProviderMayCallItsSupportObjectFromInsideEveryStepWithoutADeadlock) {
  Behavior new_uid;  // any IMAPISupport call; NewUID reaches the support object's gate and lock
  new_uid.callback = [] {
    MAPIUID uid{};
    return testjournal::Journal::Get().Support("Store")->NewUID(&uid);
  };
  for (Method m : {Method::kQuery, Method::kNotify, Method::kLogoff, Method::kShutdown}) journal().Script("Store", m, new_uid);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  Racer steps([cs, raw = s.get()] {
    RETURN_IF_FAILED(cs->QueryFastShutdown());
    RETURN_IF_FAILED(cs->NotifyProcessShutdown());
    // The client decides to shut down normally after all: Logoff and Shutdown call back too.
    return raw->Logoff(0, 0, 0);
  });
  EXPECT_EQ(steps.Join(), S_OK);
  EXPECT_THAT(journal().CallbackResults(), ElementsAre(S_OK, S_OK, S_OK, S_OK));
}

TEST_F(ContractEdgesTest, TheLastUninitializeFromAProvidersDestructorDoesNotCloseItsLibraryUnderIt) {
  com_ptr<IMAPISession> s;
  ASSERT_NO_FATAL_FAILURE(LogOnAProviderThatUninitializesLastFrom(Method::kDestroyed, &s));
  MAPIUninitialize();  // the client's; the provider's, from its destructor, is the last
  uninitialize_in_teardown_ = false;
  s.reset();  // the provider object's last Release runs its destructor, in its library
  EXPECT_THAT(journal().CallbackResults(), ElementsAre(S_OK, S_OK));  // MAPIInitialize, then the destructor's
  com_ptr<IMAPISession> again;
  EXPECT_EQ(Logon("p", &again), MAPI_E_NOT_INITIALIZED);
}

TEST_F(ContractEdgesTest, ATransportAskingForTheSpoolerFromInsideSubmitMessageGetsAnotherRoundNotADeadlock) {
  Behavior renotify;
  renotify.callback = [] { return testjournal::Journal::Get().Support("Mail")->SpoolerNotify(NOTIFY_READYTOSEND, nullptr); };
  journal().Script("Mail", Method::kSubmit, renotify);
  WriteProfile("p", {{"Store", Kind::kStore, MAPISHUT_PROVIDER_BUILD_DIR "/libmapishut_store.so",
                      "PR_MAPISHUT_DATA_PATH=" + dir_ + "/store.db\n"},
                     {"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Racer submit([raw = s.get()]() -> HRESULT {
    com_ptr<IMsgStore> store;
    com_ptr<IMAPIFolder> folder;
    com_ptr<IMessage> message;
    com_ptr<IMAPITable> stores;
    RETURN_IF_FAILED(raw->GetMsgStoresTable(0, stores.put()));
    SizedSPropTagArray(1, columns) = {1, {PR_ENTRYID}};
    LPSRowSet rows = nullptr;
    RETURN_IF_FAILED(HrQueryAllRows(stores.get(), reinterpret_cast<LPSPropTagArray>(&columns), nullptr, nullptr, 0, &rows));
    const SBinary id = rows->aRow[0].lpProps[0].Value.bin;
    const HRESULT opened = raw->OpenMsgStore(0, id.cb, reinterpret_cast<LPENTRYID>(id.lpb), nullptr, MAPI_BEST_ACCESS, store.put());
    FreeProws(rows);
    RETURN_IF_FAILED(opened);
    ULONG type = 0;
    RETURN_IF_FAILED(store->OpenEntry(0, nullptr, nullptr, MAPI_MODIFY, &type, folder.put_as<IUnknown>()));
    RETURN_IF_FAILED(folder->CreateMessage(nullptr, 0, message.put()));
    return message->SubmitMessage(0);
  });
  EXPECT_EQ(submit.Join(), S_OK);
  EXPECT_EQ(journal().Count("Mail", Method::kSubmit), 1);  // the second round found the queue empty
  EXPECT_THAT(journal().CallbackResults(), ElementsAre(S_OK));
}

TEST_F(GateTest, OpeningAStoreRunsNoProviderCodeUnderTheSessionsLock) {
  WriteProfile("p", {{"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  Behavior reenter;  // any AddRef or Release of the store calls back into the session
  reenter.callback = [raw = s.get()] {
    com_ptr<IMAPITable> table;
    return raw->GetMsgStoresTable(0, table.put());
  };
  journal().Script("Store", Method::kReference, reenter);
  Racer open([this, s] {
    Reached r = OpenEverything(s);
    return r.store ? S_OK : E_FAIL;
  });
  EXPECT_EQ(open.Join(), S_OK);
  journal().Script("Store", Method::kReference, Behavior{});
}

TEST_F(ContractEdgesTest, TheCoordinatorLetsGoOfAProviderWithNoLockHeld) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  ASSERT_EQ(ClientShutdown(s)->QueryFastShutdown(), S_OK);  // the coordinator now holds Mail's interface
  Behavior reenter;  // any AddRef or Release of Mail reads the shutdown record (the coordinator's lock)
  reenter.callback = [] {
    (void)GetShutdownRecord();
    return S_OK;
  };
  journal().Script("Mail", Method::kReference, reenter);
  Racer logoff([raw = s.get()] { return raw->Logoff(0, 0, 0); });
  EXPECT_EQ(logoff.Join(), S_OK);
  EXPECT_FALSE(journal().CallbackResults().empty());
}

// Rule 6 ------------------------------------------------------------------------------------

class ThrowingPolicyReader final : public PolicyReader {
 public:
  explicit ThrowingPolicyReader(bool out_of_memory) : out_of_memory_(out_of_memory) {}
  PolicyReading Read() const override {
    if (out_of_memory_) throw std::bad_alloc();
    throw std::runtime_error("policy store unreadable");
  }

 private:
  bool out_of_memory_;
};

TEST_F(ContractEdgesTest, APolicyReaderThatThrowsFailsTheQueryAndLeavesTheSubsystemUsable) {
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  auto cs = ClientShutdown(s);
  SetPolicyReader(std::make_shared<ThrowingPolicyReader>(false));
  EXPECT_EQ(cs->QueryFastShutdown(), MAPI_E_CALL_FAILED);
  SetPolicyReader(std::make_shared<ThrowingPolicyReader>(true));
  EXPECT_EQ(cs->QueryFastShutdown(), MAPI_E_NOT_ENOUGH_MEMORY);
  Policy(FastShutdownBehavior::kUnlessOptedOut);
  Racer query([cs] { return cs->QueryFastShutdown(); });
  EXPECT_EQ(query.Join(), S_OK);
  Racer logoff([raw = s.get()] { return raw->Logoff(0, 0, 0); });
  EXPECT_EQ(logoff.Join(), S_OK);
  EXPECT_EQ(journal().Count("Mail", Method::kShutdown), 1);
}

// The smaller edges ---------------------------------------------------------------------------

TEST_F(ContractEdgesTest, ALogonFailingHalfWayShutsItsProvidersDownInTheDocumentedOrderOnTheRecord) {
  journal().Script("ABProviderInit", Method::kInit, Behavior{MAPI_E_CALL_FAILED});
  // Loaded Mail then Store; the documented order is the same, reverse load order is not.
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}, {"Book", Kind::kAddressBook}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_CALL_FAILED);
  EXPECT_THAT(Order(Method::kShutdown), ElementsAre("Mail", "Store"));
  bool recorded = false;
  for (const auto& p : GetShutdownRecord().providers) {
    for (const auto& c : p.calls) recorded |= p.names->display_name == "Mail" && c.step == ShutdownStep::kShutdown;
  }
  EXPECT_TRUE(recorded);
}

TEST_F(ContractEdgesTest, AProviderOfAnotherSpiVersionIsReleasedWithoutAnyOtherCall) {
  Behavior other_version;
  other_version.spi_version = 0x00020000;
  journal().Script("XPProviderInit", Method::kInit, other_version);
  WriteProfile("p", {{"Mail", Kind::kTransport}});
  com_ptr<IMAPISession> s;
  EXPECT_EQ(Logon("p", &s), MAPI_E_VERSION);
  EXPECT_THAT(journal().Calls(Method::kShutdown), IsEmpty());
  EXPECT_EQ(journal().Calls(Method::kRelease).size(), 1u);
  EXPECT_EQ(journal().LiveObjects(), 0);
}

TEST_F(ContractEdgesTest, AProviderWhoseReleaseThrowsDoesNotTakeTheProcessDown) {
  Behavior throws;
  throws.throws = true;
  journal().Script("Mail", Method::kRelease, throws);
  WriteProfile("p", {{"Mail", Kind::kTransport}, {"Store", Kind::kStore}});
  com_ptr<IMAPISession> s;
  ASSERT_EQ(Logon("p", &s), S_OK);
  EXPECT_EQ(s->Logoff(0, 0, 0), S_OK);
  EXPECT_EQ(journal().Count("Store", Method::kShutdown), 1);
  EXPECT_TRUE(AnyReportContains("threw"));
}

}  // namespace
}  // namespace mapishut::test
