#include "mapishut/status.h"

namespace mapishut {

std::string Status::ToString() const {
  const char* prefix = "OK";
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kNotFound: prefix = "not found"; break;
    case Code::kInvalid: prefix = "invalid"; break;
    case Code::kIoError: prefix = "I/O error"; break;
    case Code::kCorrupt: prefix = "corrupt"; break;
    case Code::kBusy: prefix = "busy"; break;
    case Code::kAborted: prefix = "aborted"; break;
    case Code::kUnsupported: prefix = "unsupported"; break;
    case Code::kTooBig: prefix = "too big"; break;
    case Code::kNoSpace: prefix = "disk full"; break;
  }
  return std::string(prefix) + ": " + message_;
}

}  // namespace mapishut
