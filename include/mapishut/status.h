// Errors as values, in LevelDB's manner: an OK status carries nothing; a failure carries a code
// and a message for people that names the file, line or provider involved. A Status becomes an
// HRESULT only where a MAPI call returns (HresultFromStatus and FailWithError, mapishut/mapi_error.h).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace mapishut {

class Status {
 public:
  enum class Code : uint8_t { kOk, kNotFound, kInvalid, kIoError, kCorrupt, kBusy, kAborted, kUnsupported, kTooBig, kNoSpace };

  Status() = default;
  static Status Ok() { return {}; }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status Invalid(std::string msg) { return {Code::kInvalid, std::move(msg)}; }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status Corrupt(std::string msg) { return {Code::kCorrupt, std::move(msg)}; }
  static Status Busy(std::string msg) { return {Code::kBusy, std::move(msg)}; }
  static Status Aborted(std::string msg) { return {Code::kAborted, std::move(msg)}; }
  static Status Unsupported(std::string msg) { return {Code::kUnsupported, std::move(msg)}; }
  static Status TooBig(std::string msg) { return {Code::kTooBig, std::move(msg)}; }
  static Status NoSpace(std::string msg) { return {Code::kNoSpace, std::move(msg)}; }

  // The same kind of failure with another message (context added for the caller's caller).
  Status WithMessage(std::string msg) const { return ok() ? *this : Status(code_, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "IO error: <message>", "OK".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Propagates a failed Status from a function that returns Status.
#define MAPISHUT_RETURN_IF_ERROR(expr)            \
  do {                                            \
    ::mapishut::Status _mapishut_s = (expr);      \
    if (!_mapishut_s.ok()) return _mapishut_s;    \
  } while (0)

}  // namespace mapishut
