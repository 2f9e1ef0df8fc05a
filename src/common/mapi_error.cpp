#include "mapishut/mapi_error.h"
#include "mapishut/last_error.h"

#include <mapicode.h>

#include <cstring>
#include <string>

namespace mapishut {

HRESULT HresultFromStatus(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return S_OK;
    case Status::Code::kNotFound: return MAPI_E_NOT_FOUND;
    case Status::Code::kInvalid: return MAPI_E_INVALID_PARAMETER;
    case Status::Code::kIoError: return MAPI_E_DISK_ERROR;
    case Status::Code::kCorrupt: return MAPI_E_CORRUPT_DATA;
    case Status::Code::kBusy: return MAPI_E_BUSY;
    case Status::Code::kAborted: return MAPI_E_CALL_FAILED;
    case Status::Code::kUnsupported: return MAPI_E_NO_SUPPORT;
    case Status::Code::kTooBig: return MAPI_E_TOO_BIG;
    case Status::Code::kNoSpace: return MAPI_E_NOT_ENOUGH_DISK;
  }
  return MAPI_E_CALL_FAILED;
}

HRESULT FailWithError(const Status& status, const char* component, LPALLOCATEBUFFER allocate_buffer, LPMAPIERROR* out) {
  const HRESULT hr = HresultFromStatus(status);
  if (out == nullptr) return hr;
  *out = nullptr;
  if (allocate_buffer == nullptr) return hr;
  const std::string& text = status.message();
  const size_t component_size = std::strlen(component) + 1;
  void* memory = nullptr;
  const ULONG size = static_cast<ULONG>(sizeof(MAPIERROR) + text.size() + 1 + component_size);
  if (FAILED(allocate_buffer(size, &memory)) || memory == nullptr) return hr;
  auto* error = static_cast<LPMAPIERROR>(memory);
  char* strings = static_cast<char*>(memory) + sizeof(MAPIERROR);
  std::memcpy(strings, text.c_str(), text.size() + 1);
  std::memcpy(strings + text.size() + 1, component, component_size);
  error->ulVersion = MAPI_ERROR_VERSION;
  error->lpszError = reinterpret_cast<LPTSTR>(strings);
  error->lpszComponent = reinterpret_cast<LPTSTR>(strings + text.size() + 1);
  error->ulLowLevelError = 0;
  error->ulContext = 0;
  *out = error;
  return hr;
}

}  // namespace mapishut

namespace mapishut {

HRESULT LastError::Set(const Status& status) {
  std::lock_guard lock(mutex_);
  status_ = status;
  return HresultFromStatus(status);
}

HRESULT LastError::Get(HRESULT failed_with, LPALLOCATEBUFFER allocate_buffer, LPMAPIERROR* out) const {
  if (out == nullptr) return MAPI_E_INVALID_PARAMETER;
  *out = nullptr;
  std::lock_guard lock(mutex_);
  if (!status_.ok() && HresultFromStatus(status_) == failed_with) (void)FailWithError(status_, component_, allocate_buffer, out);
  return S_OK;
}

}  // namespace mapishut
