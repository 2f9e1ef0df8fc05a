// What happens when provider code calls back into the subsystem (SPEC.md "The edges of the
// contract", rule 5). A provider may release the last reference to a session, log it off or call
// MAPIUninitialize from inside one of its own methods. Doing that at once would tear down (or
// unmap) the very provider whose code is on the stack, or wait for the phase that is running the
// call. So the subsystem marks where provider code runs and where its own phases run, and such
// requests are deferred: they run on the same thread as soon as its outermost mark is left.
//
//   DeferralScope phase;              // the subsystem is running a phase on this thread
//   ProviderCallScope call(&name);    // provider code runs below, named by a string or a ProviderName
//   if (InsideDeferralScope()) return Defer([=] { session->FinishRelease(); });
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace mapishut {

// Work deferred while this scope (or an inner one) is open runs when the outermost scope on the
// thread closes. Subsystem entry points that run provider code open one before taking any lock,
// so deferred work never runs while a subsystem lock is held or a phase is still marked running.
class DeferralScope {
 public:
  DeferralScope();
  ~DeferralScope();
  DeferralScope(const DeferralScope&) = delete;
  DeferralScope& operator=(const DeferralScope&) = delete;
};

// Names a provider in the reports about its calls. Most calls are never reported, so a name may
// be made only when asked: the coordinator names the thousands of providers it calls from their
// records, keeping no string per provider.
class ProviderName {
 public:
  ProviderName(const std::string* text) : text_(text) {}  // NOLINT: implicit, a name already made
  ProviderName(std::string (*make)(const void*), const void* subject) : make_(make), subject_(subject) {}
  std::string Text() const { return text_ != nullptr ? *text_ : make_(subject_); }

 private:
  const std::string* text_ = nullptr;
  std::string (*make_)(const void*) = nullptr;
  const void* subject_ = nullptr;
};

// Marks provider code running on this thread, with the provider's name for reports.
class ProviderCallScope {
 public:
  explicit ProviderCallScope(ProviderName provider);
  ~ProviderCallScope();
  ProviderCallScope(const ProviderCallScope&) = delete;
  ProviderCallScope& operator=(const ProviderCallScope&) = delete;

 private:
  DeferralScope deferral_;
  ProviderName provider_;
  const ProviderName* saved_;
};

// True while a DeferralScope is open on this thread.
bool InsideDeferralScope();
// Queues `work` for the end of this thread's outermost DeferralScope. Call only inside one.
void Defer(std::function<void()> work);
// Takes the work this thread deferred so far, for another thread to run: a helper thread of a
// phase hands its deferred work to the thread running the phase, whose scope ends after it.
std::vector<std::function<void()>> TakeDeferred();
// The provider whose code this thread is running, or nullptr.
const ProviderName* CurrentProviderCall();

}  // namespace mapishut
