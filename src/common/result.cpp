#include "mapishut/result.h"

#include <mapicode.h>

#include <atomic>
#include <cstdio>
#include <new>
#include <stdexcept>

namespace mapishut {
namespace {

void DiscardFailure(const FailureInfo&) {}

std::atomic<FailureSink> g_sink{&DiscardFailure};

}  // namespace

FailureSink SetFailureSink(FailureSink sink) { return g_sink.exchange(sink ? sink : &DiscardFailure); }

HRESULT ReportFailure(HRESULT hr, const char* expression, const char* file, int line) noexcept {
  g_sink.load()(FailureInfo{hr, expression, file, line});
  return hr;
}

HRESULT HresultFromCaughtException() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return MAPI_E_NOT_ENOUGH_MEMORY;
  } catch (const std::invalid_argument&) {
    return MAPI_E_INVALID_PARAMETER;
  } catch (...) {
    return MAPI_E_CALL_FAILED;
  }
}

std::string HexCode(HRESULT hr) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(hr));
  return buf;
}

}  // namespace mapishut
