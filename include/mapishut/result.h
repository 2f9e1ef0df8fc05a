// A handful of result macros in the style of WIL (include/wil/result_macros.h), for code that
// returns HRESULT. Failures are reported to the process's result sink together with the failing
// expression, file and line, so no log string names its function by hand.
//
//   RETURN_IF_FAILED(lib.Open(path));          // log + return the failure
//   RETURN_IF_FAILED_EXPECTED(hr);             // return it, no log: failing is normal here
//   RETURN_HR_IF(MAPI_E_INVALID_PARAMETER, !lppSession);
//   const HRESULT hr = LOG_IF_FAILED(ps->DoFastShutdown());  // log, then carry on
//   try { ... } CATCH_RETURN();                // no exception crosses an ABI boundary
#pragma once

#include <mapidefs.h>

#include <string>

namespace mapishut {

// Where a failure was seen. `expression` and `file` are string literals.
struct FailureInfo {
  HRESULT hr;
  const char* expression;
  const char* file;
  int line;
};

// Receives every failure the macros log. The default sink discards them: it has
// nothing; a client or test installs one to see them. Library code never prints.
using FailureSink = void (*)(const FailureInfo&);
// Installs `sink` for the whole process and returns the previous one; nullptr restores the default.
FailureSink SetFailureSink(FailureSink sink);
// Reports a failure to the current sink and returns `hr` unchanged.
HRESULT ReportFailure(HRESULT hr, const char* expression, const char* file, int line) noexcept;
// The HRESULT for the exception being handled; call only inside a catch block.
HRESULT HresultFromCaughtException() noexcept;
// "0x80040116": how every message for people writes an HRESULT.
std::string HexCode(HRESULT hr);
// The same, appended to *out (no temporary string).
void AppendHexCode(std::string* out, HRESULT hr);
// The same written at `at` (ten characters); returns the end.
char* WriteHexCode(char* at, HRESULT hr);

}  // namespace mapishut

#define MAPISHUT_REPORT(hr, expr) ::mapishut::ReportFailure((hr), (expr), __FILE__, __LINE__)

#define RETURN_IF_FAILED(expr)                               \
  do {                                                       \
    const HRESULT _mapishut_hr = (expr);                     \
    if (FAILED(_mapishut_hr)) return MAPISHUT_REPORT(_mapishut_hr, #expr); \
  } while (0)

#define RETURN_IF_FAILED_EXPECTED(expr)                      \
  do {                                                       \
    const HRESULT _mapishut_hr = (expr);                     \
    if (FAILED(_mapishut_hr)) return _mapishut_hr;           \
  } while (0)

#define RETURN_HR_IF(hr, condition)                          \
  do {                                                       \
    if (condition) return MAPISHUT_REPORT((hr), #condition); \
  } while (0)

#define RETURN_HR_IF_EXPECTED(hr, condition) \
  do {                                       \
    if (condition) return (hr);              \
  } while (0)

#define RETURN_HR(hr) return MAPISHUT_REPORT((hr), #hr)

// Evaluates to the HRESULT, having logged it if it failed.
#define LOG_IF_FAILED(expr)                                                        \
  ([&]() -> HRESULT {                                                              \
    const HRESULT _mapishut_hr = (expr);                                           \
    return FAILED(_mapishut_hr) ? MAPISHUT_REPORT(_mapishut_hr, #expr) : _mapishut_hr; \
  }())

// Ends a try block: any exception becomes a logged HRESULT.
#define CATCH_RETURN()                                                                       \
  catch (...) {                                                                              \
    return MAPISHUT_REPORT(::mapishut::HresultFromCaughtException(), "exception caught"); \
  }
