// GetLastError for a provider object: the Status its last failed call failed with, handed back
// as a MAPIERROR (the file and the reason) when the caller asks. Every provider object that can
// fail with a reason keeps one:
//
//   STDMETHODIMP Logoff(ULONG) override { return last_error_.Set(cache_->Save()); }
//   STDMETHODIMP GetLastError(HRESULT, ULONG, LPMAPIERROR* e) override { return last_error_.Get(allocate_, e); }
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
  // The body of GetLastError: *out is the last failure as a MAPIERROR allocated with
  // `allocate_buffer`, or null when the object has not failed since. S_OK either way.
  HRESULT Get(LPALLOCATEBUFFER allocate_buffer, LPMAPIERROR* out) const;

 private:
  const char* component_;
  mutable std::mutex mutex_;
  Status status_;
};

}  // namespace mapishut
