// The Maildir transport (libmapishut_maildir.so). Mail the spooler submits is written durably to
// <remote>/outbox before SubmitMessage returns, so nothing submitted is ever only in memory.
// New mail is polled from <remote>/inbox by a nonessential background job, which stops at
// NotifyProcessShutdown; DoFastShutdown waits for a running poll to stop and has nothing else to
// save.
#include <mapiguid.h>
#include <mapitags.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <cwchar>
#include <memory>

#include "mapishut/com_ptr.h"
#include "mapishut/mapi_error.h"
#include "mapishut/text.h"
#include "mapishut/background_work.h"
#include "mapishut/logon_defaults.h"
#include "mapishut/profile_settings.h"
#include "mapishut/provider_base.h"
#include "mapishut/provider_props.h"
#include "maildir.h"

namespace mapishut {
namespace {

struct TransportState {
  std::unique_ptr<Maildir> outbox;
  std::unique_ptr<Maildir> inbox;
  std::atomic<int> received{0};
  std::atomic<bool> ended{false};
  LPALLOCATEBUFFER allocate_buffer = nullptr;
  LPFREEBUFFER free_buffer = nullptr;
  com_ptr<IMAPISupport> support;  // held from TransportLogon to Shutdown: failures are reported through it
};

// A string property in either width, or "".
std::string Text(const SPropValue* props, ULONG count, ULONG id) {
  for (ULONG i = 0; i < count; ++i) {
    if (PROP_ID(props[i].ulPropTag) != id) continue;
    if (PROP_TYPE(props[i].ulPropTag) == PT_STRING8) return props[i].Value.lpszA;
    if (PROP_TYPE(props[i].ulPropTag) == PT_UNICODE) return Utf8FromWide(props[i].Value.lpszW ? props[i].Value.lpszW : L"");
  }
  return {};
}

class Logon final : public XPLogonDefaults {
 public:
  explicit Logon(std::shared_ptr<TransportState> state) : state_(std::move(state)) {}

  STDMETHODIMP SubmitMessage(ULONG, LPMESSAGE message, ULONG_PTR FAR* ref, ULONG_PTR FAR* ret) override {
    try {
      if (ref) *ref = 0;
      if (ret) *ret = 0;
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !message);
      RETURN_HR_IF_EXPECTED(MAPI_E_END_OF_SESSION, state_->ended.load());
      SizedSPropTagArray(5, tags) = {5, {PR_SUBJECT_W, PR_BODY_W, PR_SENDER_EMAIL_ADDRESS_W, PR_DISPLAY_TO_W, PR_SEARCH_KEY}};
      ULONG count = 0;
      LPSPropValue props = nullptr;
      RETURN_IF_FAILED(message->GetProps(reinterpret_cast<LPSPropTagArray>(&tags), MAPI_UNICODE, &count, &props));
      char date[64];
      const std::time_t now = std::time(nullptr);
      std::tm tm{};
      gmtime_r(&now, &tm);
      std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
      const std::string text = FormatRfc5322(Text(props, count, PROP_ID(PR_SENDER_EMAIL_ADDRESS_W)),
                                             Text(props, count, PROP_ID(PR_DISPLAY_TO_W)),
                                             Text(props, count, PROP_ID(PR_SUBJECT_W)), Text(props, count, PROP_ID(PR_BODY_W)),
                                             date, std::to_string(now) + "." + std::to_string(++sent_) + "@mapishut");
      state_->free_buffer(props);
      // Durable before we answer: once SubmitMessage returns, the message survives any crash.
      const Status delivered = state_->outbox->Deliver(text, nullptr);
      if (delivered.ok()) return S_OK;
      // The message stays in the store's queue; the spooler tells the client why (the path and
      // the system's reason), which SubmitMessage's HRESULT alone cannot carry.
      LPMAPIERROR why = nullptr;
      const HRESULT hr = FailWithError(delivered, "mapishut maildir transport", state_->allocate_buffer, &why);
      if (why && state_->support) (void)state_->support->SpoolerNotify(NOTIFY_CRITICAL_ERROR, why);
      state_->free_buffer(why);
      return hr;
    }
    CATCH_RETURN();
  }

  STDMETHODIMP Poll(ULONG FAR* incoming) override {
    RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !incoming);
    *incoming = state_->inbox->ListNew().empty() ? 0 : 1;
    return S_OK;
  }

 private:
  std::shared_ptr<TransportState> state_;
  std::atomic<int> sent_{0};
};


class Transport final : public ProviderBase<IXPProvider> {
 public:
  Transport(LPALLOCATEBUFFER a, LPFREEBUFFER f) : allocate_buffer_(a), state_(std::make_shared<TransportState>()) {
    state_->allocate_buffer = a;
    state_->free_buffer = f;
  }

  STDMETHODIMP TransportLogon(LPMAPISUP support, ULONG_PTR, LPTSTR, ULONG FAR*, LPMAPIERROR FAR* err, LPXPLOGON FAR* out) override {
    try {
      if (err) *err = nullptr;
      RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !support || !out);
      *out = nullptr;
      const std::string remote = ReadProfileString(support, state_->free_buffer, PR_MAPISHUT_REMOTE_PATH);
      RETURN_HR_IF(MAPI_E_UNCONFIGURED, remote.empty());
      const LONG interval_ms = ReadProfileLong(support, state_->free_buffer, PR_MAPISHUT_POLL_INTERVAL, 30000);
      Maildir root(remote);
      state_->outbox = std::make_unique<Maildir>(remote + "/outbox");
      state_->inbox = std::make_unique<Maildir>(remote + "/inbox");
      for (const Maildir* maildir : {&root, state_->outbox.get(), state_->inbox.get()}) {
        const Status created = maildir->Create();  // names the directory and errno's reason
        if (!created.ok()) return FailWithError(created, "mapishut Maildir transport", allocate_buffer_, err);
      }
      work_ = std::make_unique<BackgroundWork>();
      auto state = state_;
      // Polling for new mail is nonessential: it stops the moment the process is shutting down.
      work_->SchedulePeriodic("poll inbox", std::chrono::milliseconds(std::max<LONG>(interval_ms, 10)), [state](std::stop_token stop) {
        for (const auto& name : state->inbox->ListNew()) {
          if (stop.stop_requested()) return;
          if (state->inbox->Accept(name).ok()) ++state->received;
        }
      });
      state_->support = com_ptr<IMAPISupport>(support);
      *out = new Logon(state_);
      return S_OK;
    }
    CATCH_RETURN();
  }

  STDMETHODIMP Shutdown(ULONG FAR*) override {
    if (work_) work_->Drain();
    work_.reset();
    state_->support.reset();
    return S_OK;
  }

 private:
  void OnNotifyProcessShutdown() override {
    if (work_) work_->StopNonessential();
  }
  HRESULT OnDoFastShutdown() override {
    if (work_) work_->WaitForNonessentialToStop();
    state_->ended = true;  // every submitted message is already in outbox/new
    return S_OK;
  }

  LPALLOCATEBUFFER allocate_buffer_;
  std::shared_ptr<TransportState> state_;
  std::unique_ptr<BackgroundWork> work_;
};

}  // namespace
}  // namespace mapishut

extern "C" __attribute__((visibility("default"))) STDINITMETHODIMP XPProviderInit(
    HINSTANCE, LPMALLOC, LPALLOCATEBUFFER lpAllocateBuffer, LPALLOCATEMORE, LPFREEBUFFER lpFreeBuffer, ULONG, ULONG ulMAPIVer,
    ULONG FAR* lpulProviderVer, LPXPPROVIDER FAR* lppXPProvider) {
  if (!lppXPProvider) return MAPI_E_INVALID_PARAMETER;
  *lppXPProvider = nullptr;
  RETURN_IF_FAILED(mapishut::CheckSpiVersion(ulMAPIVer, lpulProviderVer));
  try {
    *lppXPProvider = new mapishut::Transport(lpAllocateBuffer, lpFreeBuffer);
    return S_OK;
  }
  CATCH_RETURN();
}
