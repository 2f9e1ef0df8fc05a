#include "journal.h"

#include <mapicode.h>

#include <stdexcept>

namespace testjournal {

const char* MethodName(Method m) {
  switch (m) {
    case Method::kInit: return "Init";
    case Method::kLogon: return "Logon";
    case Method::kQueryInterface: return "QueryInterface(IMAPIProviderShutdown)";
    case Method::kQuery: return "QueryFastShutdown";
    case Method::kNotify: return "NotifyProcessShutdown";
    case Method::kDo: return "DoFastShutdown";
    case Method::kLogoff: return "Logoff";
    case Method::kShutdown: return "Shutdown";
    case Method::kRelease: return "Release";
    case Method::kDestroyed: return "Destroyed";
    case Method::kObjectCall: return "ObjectCall";
    case Method::kSubmit: return "SubmitMessage";
    case Method::kReference: return "AddRef/Release";
  }
  return "?";
}

Journal& Journal::Get() {
  static Journal* j = new Journal();
  return *j;
}

void Journal::Reset() {
  std::lock_guard lock(mutex_);
  script_.clear();
  has_interface_.clear();
  calls_.clear();
  callback_results_.clear();
  supports_.clear();
  hangs_released_ = false;
  hung_ = 0;
}

void Journal::Script(const std::string& provider, Method method, Behavior behavior) {
  std::lock_guard lock(mutex_);
  script_[{provider, method}] = std::move(behavior);
}

Behavior Journal::For(const std::string& provider, Method method) {
  std::lock_guard lock(mutex_);
  auto it = script_.find({provider, method});
  return it == script_.end() ? Behavior{} : it->second;
}

void Journal::SetHasShutdownInterface(const std::string& provider, bool has) {
  std::lock_guard lock(mutex_);
  has_interface_[provider] = has;
}

bool Journal::HasShutdownInterface(const std::string& provider) {
  std::lock_guard lock(mutex_);
  auto it = has_interface_.find(provider);
  return it == has_interface_.end() || it->second;
}

void Journal::Record(const std::string& provider, Method method) {
  std::lock_guard lock(mutex_);
  calls_.push_back(Call{provider, method, std::this_thread::get_id(), next_seq_++});
}

std::vector<Call> Journal::Calls() {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<Call> Journal::Calls(Method method) {
  std::lock_guard lock(mutex_);
  std::vector<Call> out;
  for (const auto& c : calls_) {
    if (c.method == method) out.push_back(c);
  }
  return out;
}

int Journal::Count(const std::string& provider, Method method) {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& c : calls_) n += c.provider == provider && c.method == method;
  return n;
}

void Journal::SetSupport(const std::string& provider, IMAPISupport* support) {
  std::lock_guard lock(mutex_);
  supports_[provider] = support;
}

IMAPISupport* Journal::Support(const std::string& provider) {
  std::lock_guard lock(mutex_);
  auto it = supports_.find(provider);
  return it == supports_.end() ? nullptr : it->second;
}

void Journal::AddCallbackResult(HRESULT hr) {
  std::lock_guard lock(mutex_);
  callback_results_.push_back(hr);
}

std::vector<HRESULT> Journal::CallbackResults() {
  std::lock_guard lock(mutex_);
  return callback_results_;
}

void Journal::WaitWhileHung() {
  std::unique_lock lock(mutex_);
  ++hung_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return hangs_released_; });
  --hung_;
}

void Journal::ReleaseHangs() {
  std::lock_guard lock(mutex_);
  hangs_released_ = true;
  cv_.notify_all();
}

void Journal::WaitForHungCalls(int n) {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return hung_ >= n; });
}

void Journal::ObjectCreated() {
  std::lock_guard lock(mutex_);
  ++live_;
}

void Journal::ObjectDestroyed() {
  std::lock_guard lock(mutex_);
  --live_;
}

int Journal::LiveObjects() {
  std::lock_guard lock(mutex_);
  return live_;
}

HRESULT Perform(const std::string& provider, Method method) {
  Journal& j = Journal::Get();
  j.Record(provider, method);
  const Behavior b = j.For(provider, method);
  if (b.callback) j.AddCallbackResult(b.callback());
  if (b.hangs) j.WaitWhileHung();
  if (b.throws) throw std::runtime_error("scripted failure in " + provider + " " + MethodName(method));
  return b.hr;
}

void RunHook(const std::string& provider, Method method) {
  Journal& j = Journal::Get();
  const Behavior b = j.For(provider, method);
  if (b.callback) j.AddCallbackResult(b.callback());
}

}  // namespace testjournal
