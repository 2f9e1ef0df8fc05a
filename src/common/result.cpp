#include "mapishut/result.h"

#include <mapicode.h>

#include <atomic>
#include <cstdint>
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

char* WriteHexCode(char* at, HRESULT hr) {
  // By hand, not snprintf: every failed call of every exit record writes one.
  static constexpr char kDigits[] = "0123456789ABCDEF";
  at[0] = '0';
  at[1] = 'x';
  const auto bits = static_cast<uint32_t>(hr);
  for (int i = 0; i < 8; ++i) at[9 - i] = kDigits[(bits >> (4 * i)) & 0xF];
  return at + 10;
}

void AppendHexCode(std::string* out, HRESULT hr) {
  char text[10];
  out->append(text, static_cast<size_t>(WriteHexCode(text, hr) - text));
}

std::string HexCode(HRESULT hr) {
  std::string text;
  AppendHexCode(&text, hr);
  return text;
}

}  // namespace mapishut
