// Flaw: a store that acknowledges SaveChanges but keeps the messages in memory only, and answers
// DoFastShutdown S_OK without writing them anywhere: a process killed the instant DoFastShutdown
// returns loses every message. Just enough of a store for a client's path to its inbox:
// GetReceiveFolder, OpenEntry, CreateMessage, SetProps, SaveChanges, GetContentsTable.
//
// Built twice more with one flaw of a different kind, each seen only when messages were saved
// just before the exit (the check's durability runs; its policy runs exit an empty store):
// - FLAW_FULL_STORE (libflawed_full_store.so): DoFastShutdown answers MAPI_E_NOT_ENOUGH_DISK
//   whenever it holds messages;
// - FLAW_REFUSES_SAVES (libflawed_refuses_saves.so): SaveChanges answers MAPI_E_NO_ACCESS.
#include <mapicode.h>
#include <mapitags.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "mapishut/com_object.h"
#include "mapishut/interface_defaults.h"
#include "mapishut/logon_defaults.h"
#include "mapishut/provider_base.h"
#include "mapishut/row_table.h"

namespace {

struct Allocators {
  LPALLOCATEBUFFER allocate = nullptr;
  LPALLOCATEMORE more = nullptr;
  LPFREEBUFFER free = nullptr;
};
Allocators g_alloc;

// What the store "saved": rows of properties, in memory only.
struct Memory {
  std::mutex mutex;
  std::vector<mapishut::TableRow> messages;
};

mapishut::TableValue Own(const SPropValue& v) {
  using mapishut::TableValue;
  switch (PROP_TYPE(v.ulPropTag)) {
    case PT_LONG: return TableValue::Long(v.ulPropTag, v.Value.l);
    case PT_BOOLEAN: return TableValue::Bool(v.ulPropTag, v.Value.b != 0);
    case PT_I8: return TableValue::I8(v.ulPropTag, v.Value.li.QuadPart);
    case PT_SYSTIME: return TableValue::Time(v.ulPropTag, v.Value.ft);
    case PT_STRING8: return TableValue::String8(v.ulPropTag, v.Value.lpszA);
    case PT_UNICODE: return TableValue::Unicode(v.ulPropTag, v.Value.lpszW);
    case PT_BINARY: return TableValue::Binary(v.ulPropTag, std::vector<BYTE>(v.Value.bin.lpb, v.Value.bin.lpb + v.Value.bin.cb));
    default: return TableValue::Long(PR_NULL, 0);
  }
}

class Message final : public mapishut::ComObject<Message, mapishut::MessageDefaults<IMessage>> {
 public:
  explicit Message(std::shared_ptr<Memory> memory) : memory_(std::move(memory)) {}
  STDMETHODIMP SetProps(ULONG count, LPSPropValue props, LPSPropProblemArray FAR* problems) override {
    if (problems) *problems = nullptr;
    for (ULONG i = 0; i < count; ++i) props_.push_back(Own(props[i]));
    return S_OK;
  }
  STDMETHODIMP SaveChanges(ULONG) override {  // "accepted": nothing will ever write it down
#ifdef FLAW_REFUSES_SAVES
    return MAPI_E_NO_ACCESS;
#endif
    std::lock_guard lock(memory_->mutex);
    const ULONG id = static_cast<ULONG>(memory_->messages.size());
    mapishut::TableRow row = props_;
    row.push_back(mapishut::TableValue::Binary(PR_ENTRYID, {BYTE(id), BYTE(id >> 8), BYTE(id >> 16), BYTE(id >> 24)}));
    memory_->messages.push_back(std::move(row));
    return S_OK;
  }

 private:
  std::shared_ptr<Memory> memory_;
  mapishut::TableRow props_;
};

class Folder final : public mapishut::ComObject<Folder, mapishut::MAPIFolderDefaults<IMAPIFolder>> {
 public:
  explicit Folder(std::shared_ptr<Memory> memory) : memory_(std::move(memory)) {}
  STDMETHODIMP CreateMessage(LPCIID, ULONG, LPMESSAGE FAR* out) override {
    *out = new Message(memory_);
    return S_OK;
  }
  STDMETHODIMP GetContentsTable(ULONG, LPMAPITABLE FAR* out) override {
    mapishut::RowTableOptions o;
    o.rows = [memory = memory_] {
      std::lock_guard lock(memory->mutex);
      return memory->messages;
    };
    o.default_columns = {PR_ENTRYID};
    o.allocate_buffer = g_alloc.allocate;
    o.allocate_more = g_alloc.more;
    o.free_buffer = g_alloc.free;
    return mapishut::CreateRowTable(std::move(o), out);
  }

 private:
  std::shared_ptr<Memory> memory_;
};

class Store final : public mapishut::ComObject<Store, mapishut::MsgStoreDefaults<IMsgStore>> {
 public:
  explicit Store(std::shared_ptr<Memory> memory) : memory_(std::move(memory)) {}
  STDMETHODIMP GetReceiveFolder(LPTSTR, ULONG, ULONG FAR* cb, LPENTRYID FAR* eid, LPTSTR FAR* explicit_class) override {
    if (explicit_class) *explicit_class = nullptr;
    RETURN_IF_FAILED(g_alloc.allocate(sizeof(ENTRYID), reinterpret_cast<LPVOID*>(eid)));
    std::memset(*eid, 0, sizeof(ENTRYID));
    *cb = sizeof(ENTRYID);
    return S_OK;
  }
  STDMETHODIMP OpenEntry(ULONG, LPENTRYID, LPCIID, ULONG, ULONG FAR* type, LPUNKNOWN FAR* out) override {
    *type = MAPI_FOLDER;  // the only folder there is
    *out = static_cast<IMAPIFolder*>(new Folder(memory_));
    return S_OK;
  }

 private:
  std::shared_ptr<Memory> memory_;
};

class ForgetfulStore final : public mapishut::ProviderBase<IMSProvider> {
 public:
  STDMETHODIMP Shutdown(ULONG FAR*) override { return S_OK; }
  STDMETHODIMP Logon(LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG FAR* cb, LPBYTE FAR* security,
                     LPMAPIERROR FAR* error, LPMSLOGON FAR* logon, LPMDB FAR* mdb) override {
    if (cb) *cb = 0;
    if (security) *security = nullptr;
    if (error) *error = nullptr;
    *logon = new mapishut::MSLogonDefaults();
    memory_ = std::make_shared<Memory>();
    *mdb = new Store(memory_);
    return S_OK;
  }
  STDMETHODIMP SpoolerLogon(LPMAPISUP, ULONG_PTR, LPTSTR, ULONG, LPENTRYID, ULONG, LPCIID, ULONG, LPBYTE, LPMAPIERROR FAR*,
                            LPMSLOGON FAR*, LPMDB FAR*) override {
    return MAPI_E_NO_SUPPORT;
  }
  STDMETHODIMP CompareStoreIDs(ULONG, LPENTRYID, ULONG, LPENTRYID, ULONG, ULONG FAR*) override { return MAPI_E_NO_SUPPORT; }

 private:
  HRESULT OnDoFastShutdown() override {
#ifdef FLAW_FULL_STORE
    std::lock_guard lock(memory_->mutex);
    if (!memory_->messages.empty()) return MAPI_E_NOT_ENOUGH_DISK;
#endif
    return S_OK;  // the flaw: "saved", but nothing was written
  }

  std::shared_ptr<Memory> memory_;
};

}  // namespace

extern "C" __attribute__((visibility("default"))) STDINITMETHODIMP MSProviderInit(HINSTANCE, LPMALLOC, LPALLOCATEBUFFER allocate,
                                                                                 LPALLOCATEMORE more, LPFREEBUFFER free_buffer,
                                                                                 ULONG, ULONG version, ULONG FAR* provider_version,
                                                                                 LPMSPROVIDER FAR* out) {
  *out = nullptr;
  g_alloc = {allocate, more, free_buffer};
  RETURN_IF_FAILED(mapishut::CheckSpiVersion(version, provider_version));
  *out = new ForgetfulStore();
  return S_OK;
}
