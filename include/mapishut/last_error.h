// GetLastError for a provider object: the Status its last failed call failed with, handed back
// as a MAPIERROR (the file and the reason) when the caller asks. Every provider object that can
// fail with a reason keeps one:
//
//   STDMETHODIMP Logoff(ULONG) override { return last_error_.Set(cache_->Save()); }
//   STDMETHODIMP GetLastError(HRESULT hr, ULONG, LPMAPIERROR* e) override { return last_error_.Get(hr, allocate_, e); }
#pragma once

#include <mapidefs.h>

#include <mutex>

#include "mapishut/status.h"

namespace mapishut {

class LastError {
 public:
  explicit LastError(const char* component) : component_(component) {}

  // Remembers `status` (an OK status forgets the last failure) and returns its HRESULT, so a
  // method can end with `return last_error_.Set(status);`.
  HRESULT Set(const Status& status);
  // The body of GetLastError(failed_with, ...): *out is the last failure as a MAPIERROR allocated
  // with `allocate_buffer` when that failure answered `failed_with` (the HRESULT the caller got),
  // else null: an older failure's reason is never given for another one (a bad parameter
  // afterwards, say). S_OK either way.
  HRESULT Get(HRESULT failed_with, LPALLOCATEBUFFER allocate_buffer, LPMAPIERROR* out) const;

 private:
  const char* component_;
  mutable std::mutex mutex_;
  Status status_;
};

}  // namespace mapishut
