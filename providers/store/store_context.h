// What every object of one store shares: the database, the MAPI allocators, and whether the
// fast shutdown finished (after which no object may touch anything).
#pragma once

#include <mapicode.h>
#include <mapidefs.h>
#include <mapispi.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "mapishut/last_error.h"
#include "message_db.h"

namespace mapishut {

struct StoreContext {
  std::unique_ptr<MessageDb> db;
  std::string display_name;
  LPALLOCATEBUFFER allocate_buffer = nullptr;
  LPALLOCATEMORE allocate_more = nullptr;
  LPFREEBUFFER free_buffer = nullptr;
  std::atomic<bool> ended{false};  // DoFastShutdown saved everything: the process may vanish
  LPMAPISUP support = nullptr;     // the subsystem's, held (AddRef) from Logon to Shutdown
  // Why the store's last shutdown step failed (DoFastShutdown's flush, Logoff's): the logon
  // object's GetLastError, which the subsystem asks when a step fails.
  LastError shutdown_error{"mapishut store"};

  HRESULT Usable() const { return ended.load() || !db ? MAPI_E_END_OF_SESSION : S_OK; }

  // Entry IDs: 4 flag bytes, the store's 16-byte identity, a kind byte, an 8-byte id.
  static constexpr size_t kEntryIdSize = 4 + 16 + 1 + 8;
  enum class Kind : char { kStore = 'S', kFolder = 'F', kMessage = 'M' };
  std::vector<BYTE> EntryId(Kind kind, int64_t id) const {
    std::vector<BYTE> e(kEntryIdSize, 0);
    std::memcpy(e.data() + 4, db->store_uid().data(), 16);
    e[20] = static_cast<BYTE>(kind);
    std::memcpy(e.data() + 21, &id, 8);
    return e;
  }
  bool ParseEntryId(ULONG cb, const ENTRYID* eid, Kind* kind, int64_t* id) const {
    if (!eid || cb != kEntryIdSize) return false;
    const BYTE* b = reinterpret_cast<const BYTE*>(eid);
    if (std::memcmp(b + 4, db->store_uid().data(), 16) != 0) return false;
    *kind = static_cast<Kind>(b[20]);
    std::memcpy(id, b + 21, 8);
    return true;
  }
  // Copies an entry ID into a MAPI buffer of the caller's.
  HRESULT CopyEntryId(const std::vector<BYTE>& e, ULONG* cb, LPENTRYID* out) const {
    void* p = nullptr;
    if (FAILED(allocate_buffer(static_cast<ULONG>(e.size()), &p))) return MAPI_E_NOT_ENOUGH_MEMORY;
    std::memcpy(p, e.data(), e.size());
    *cb = static_cast<ULONG>(e.size());
    *out = static_cast<LPENTRYID>(p);
    return S_OK;
  }
};

// Opens the object an entry ID names (a null ID is the root folder), as IMsgStore::OpenEntry.
// IMAPIContainer::OpenEntry (and IMsgStore's, IMSLogon's) for this store; a failure's reason in
// *last_error, the calling object's, when given.
HRESULT OpenStoreEntry(const std::shared_ptr<StoreContext>& ctx, ULONG cb, LPENTRYID eid, ULONG* type, LPUNKNOWN* out,
                       LastError* last_error);
HRESULT CreateContentsTable(const std::shared_ptr<StoreContext>& ctx, int64_t folder, LPMAPITABLE* out);
HRESULT CreateFolderObject(const std::shared_ptr<StoreContext>& ctx, int64_t folder, LPMAPIFOLDER* out);
HRESULT CreateMessageObject(const std::shared_ptr<StoreContext>& ctx, StoredMessage message, bool is_new, LPMESSAGE* out);
HRESULT CreateMsgStoreObject(const std::shared_ptr<StoreContext>& ctx, LPMDB* out);

}  // namespace mapishut
