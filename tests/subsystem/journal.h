// The test providers' journal and script: a small shared library linked by both the test
// executables and the scripted provider modules, so that one instance exists in the process.
// Providers record every call (which method, in what order, how often, on which thread) and
// answer from the script the test wrote.
#pragma once

#include <mapidefs.h>
#include <mapispi.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <condition_variable>
#include <string>
#include <thread>
#include <vector>

namespace testjournal {

// kRelease is the provider object's last Release (before kDestroyed); kObjectCall is any call on an
// object the provider handed out (its message store and everything reached through it); kSubmit
// is a transport's IXPLogon::SubmitMessage, which accepts the message unless scripted otherwise;
// kReference is any AddRef or Release of a provider object or its message store: never
// journaled, it only runs a scripted callback (to see what locks the subsystem holds then).
enum class Method { kInit, kLogon, kQueryInterface, kQuery, kNotify, kDo, kLogoff, kShutdown, kRelease, kDestroyed, kObjectCall, kSubmit, kReference };
const char* MethodName(Method m);

struct Call {
  std::string provider;  // PR_DISPLAY_NAME of its profile section ("" before logon)
  Method method;
  std::thread::id thread;
  uint64_t seq;
};

// How a scripted method answers.
struct Behavior {
  Behavior() = default;
  explicit Behavior(HRESULT code) : hr(code) {}
  HRESULT hr = S_OK;
  bool throws = false;
  bool hangs = false;              // blocks until ReleaseHangs()
  bool returns_no_object = false;  // entry point / logon: S_OK but a null object
  std::function<HRESULT()> callback;  // runs inside the call; its result is recorded in CallbackResults
  ULONG spi_version = 0;              // entry point: the SPI version to report (0: the current one)
};

// A method that blocks until the test calls Journal::ReleaseHangs().
inline Behavior Hangs() {
  Behavior b;
  b.hangs = true;
  return b;
}

class Journal {
 public:
  static Journal& Get();

  void Reset();
  // Script `method` of the provider named `provider` (for kInit: the entry point's name, e.g. "XPProviderInit").
  void Script(const std::string& provider, Method method, Behavior behavior);
  Behavior For(const std::string& provider, Method method);
  // Whether `provider` answers QueryInterface(IID_IMAPIProviderShutdown). Default: yes.
  void SetHasShutdownInterface(const std::string& provider, bool has);
  bool HasShutdownInterface(const std::string& provider);

  void Record(const std::string& provider, Method method);
  std::vector<Call> Calls();
  std::vector<Call> Calls(Method method);
  int Count(const std::string& provider, Method method);

  // The IMAPISupport object each provider got at logon (kept alive by the provider).
  void SetSupport(const std::string& provider, IMAPISupport* support);
  IMAPISupport* Support(const std::string& provider);

  void AddCallbackResult(HRESULT hr);
  std::vector<HRESULT> CallbackResults();

  // Hanging calls block here until the test releases them.
  void WaitWhileHung();
  void ReleaseHangs();
  // Blocks until `n` calls are hanging (lets a test synchronise with a hung provider).
  void WaitForHungCalls(int n);

  // Live provider objects (created minus destroyed), to check that references balance.
  void ObjectCreated();
  void ObjectDestroyed();
  int LiveObjects();

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::pair<std::string, Method>, Behavior> script_;
  std::map<std::string, bool> has_interface_;
  std::vector<Call> calls_;
  std::vector<HRESULT> callback_results_;
  std::map<std::string, IMAPISupport*> supports_;
  uint64_t next_seq_ = 0;
  bool hangs_released_ = false;
  int hung_ = 0;
  int live_ = 0;
};

// Runs a scripted method: records it, then answers as scripted (throwing, hanging or calling
// back when told to).
HRESULT Perform(const std::string& provider, Method method);
// Runs the callback scripted for (provider, method), if any: for the calls that answer nothing
// (AddRef and Release: kReference; the destructor: kDestroyed).
void RunHook(const std::string& provider, Method method);

}  // namespace testjournal
