#include "provider_call.h"

#include <mapicode.h>
#include <mapix.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "mapishut/result.h"

namespace mapishut {

struct InFlightCall::State {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  bool abandoned = false;  // the caller gave up waiting; counted in g_abandoned_running
  ProviderCallRecord result;
};

bool InFlightCall::running() const {
  if (!state_) return false;
  std::lock_guard lock(state_->mutex);
  return !state_->done;
}

std::optional<ProviderCallRecord> InFlightCall::late_result() const {
  if (!state_) return std::nullopt;
  std::lock_guard lock(state_->mutex);
  if (!state_->done) return std::nullopt;
  return state_->result;
}

namespace {

std::atomic<int> g_abandoned_running{0};

std::string DescribeException() {
  try {
    throw;
  } catch (const std::exception& e) {
    return std::string("threw ") + e.what();
  } catch (...) {
    return "threw a non-standard exception";
  }
}

}  // namespace

ProviderCallRecord RunClassified(ShutdownStep step, const ProviderName& provider, CallRef call, const AskWhy& why,
                                 CallStart start, Timing timing) {
  ProviderCallRecord r;
  r.step = step;
  r.thread_id = ThreadNumber();
  ProviderCallScope scope(provider);
  try {
    r.hr = call();
    if (r.hr == S_OK) {
      r.outcome = CallOutcome::kSucceeded;
    } else if (IsDocumentedAnswer(step, r.hr)) {
      r.outcome = CallOutcome::kFailed;
    } else {
      r.outcome = CallOutcome::kUndocumented;
      r.note = "returned " + HexCode(r.hr) + ", which " + ShutdownStepName(step) +
               " is not documented to return; treated as a failure";
    }
    // The provider's own words (the file, the system's error) head the note.
    if (FAILED(r.hr) && why.logon) {
      const std::string reason = LogonLastError(why.kind, why.logon, r.hr);
      if (!reason.empty()) r.note = reason + (r.note.empty() ? "" : "; " + r.note);
    }
  } catch (...) {
    r.hr = MAPI_E_CALL_FAILED;
    r.outcome = CallOutcome::kThrew;
    r.note = DescribeException() + "; treated as a failure";
  }
  if (timing == Timing::kTimed) r.duration = std::chrono::steady_clock::now() - start;
  r.started = start;
  return r;
}

std::string FailedCallText(const ProviderCallRecord& call) {
  return std::string(ShutdownStepName(call.step)) + ": " + CallOutcomeName(call.outcome) + " (" + HexCode(call.hr) +
         (call.note.empty() ? "" : ": " + call.note) + ")";
}

ProviderCallRecord SkippedCall(ShutdownStep step, CallStart start) {
  ProviderCallRecord r;
  r.step = step;
  r.started = start;
  r.hr = MAPI_E_TIMEOUT;
  r.outcome = CallOutcome::kSkipped;
  r.note = "not called: an earlier call overran the deadline and has not returned";
  return r;
}

int AbandonedCallsRunning() { return g_abandoned_running.load(); }

bool IsDocumentedAnswer(ShutdownStep step, HRESULT hr) {
  switch (step) {
    case ShutdownStep::kQueryFastShutdown:
    case ShutdownStep::kNotifyProcessShutdown:
    case ShutdownStep::kDoFastShutdown:
      return hr == S_OK || hr == MAPI_E_NO_SUPPORT || hr == MAPI_E_CALL_FAILED || hr == MAPI_E_DISK_ERROR ||
             hr == MAPI_E_NOT_ENOUGH_DISK || hr == MAPI_E_TOO_BIG;
    case ShutdownStep::kLogoff:
    case ShutdownStep::kShutdown:
    case ShutdownStep::kRelease:
    case ShutdownStep::kProviderInit:
    case ShutdownStep::kLogon:
      return SUCCEEDED(hr) ? hr == S_OK : true;
  }
  return false;
}

unsigned long ThreadNumber() {
  static std::atomic<unsigned long> next{1};
  thread_local const unsigned long mine = next++;
  return mine;
}

ProviderCallRecord GuardedCallOnItsOwnThread(ShutdownStep step, const ProviderName& provider, std::function<HRESULT()> call,
                                             std::chrono::milliseconds deadline, std::shared_ptr<InFlightCall>* in_flight,
                                             const AskWhy& why, CallStart start) {
  auto state = std::make_shared<InFlightCall::State>();
  try {
    // The thread owns copies of everything it touches, so abandoning it is safe.
    // The name is made now: whatever it is made from may be gone before an abandoned call ends.
    std::thread([state, step, name = provider.Text(), start, why, call = std::move(call)]() mutable {
      // Work the provider defers (a Release from inside its call) runs after the caller was
      // told the call finished: the caller may be the very phase that work has to wait for.
      DeferralScope deferral;
      // Timed from the caller's start: the thread's start is included. (The caller's deadline
      // counts from a little later, when it begins to wait.)
      ProviderCallRecord r = RunClassified(step, &name, CallRef(call), why, start);
      // Drop the call's references to the provider (a Release runs provider code) before the
      // call counts as finished: after that its library may be closed.
      call = nullptr;
      std::lock_guard lock(state->mutex);
      if (state->abandoned) --g_abandoned_running;
      state->result = std::move(r);
      state->done = true;
      state->done_cv.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    ProviderCallRecord r;
    r.step = step;
    r.hr = MAPI_E_CALL_FAILED;
    r.outcome = CallOutcome::kFailed;
    r.note = std::string("could not start a thread for the call: ") + e.what();
    r.started = start;
    r.duration = std::chrono::steady_clock::now() - start;
    return r;
  }
  std::unique_lock lock(state->mutex);
  if (state->done_cv.wait_for(lock, deadline, [&] { return state->done; })) return state->result;
  state->abandoned = true;
  ++g_abandoned_running;

  if (in_flight) {
    auto tracker = std::make_shared<InFlightCall>();
    tracker->state_ = state;
    *in_flight = tracker;
  }
  ProviderCallRecord r;
  r.step = step;
  r.hr = MAPI_E_TIMEOUT;
  r.outcome = CallOutcome::kTimedOut;
  r.duration = std::chrono::steady_clock::now() - start;
  r.started = start;
  r.note = "did not return within " + std::to_string(deadline.count()) + " ms; left running";
  return r;
}

}  // namespace mapishut

namespace mapishut {

std::string LogonLastError(ProviderKind kind, IUnknown* logon, HRESULT hr) {
  const auto last_error = DescribeKind(kind).last_error;
  if (last_error == nullptr || logon == nullptr) return {};
  LPMAPIERROR error = nullptr;
  std::string text;
  if (SUCCEEDED(last_error(logon, hr, &error)) && error != nullptr) {
    if (error->lpszError) text = reinterpret_cast<const char*>(error->lpszError);
    MAPIFreeBuffer(error);
  }
  return text;
}

}  // namespace mapishut
