// `mapishut policy` output: the value in force, what it means, where it came from, and every
// source consulted with why it was used or ignored; as text for people or JSON for scripts.
#pragma once

#include <string>

#include "mapishut/policy.h"

namespace mapishut {

// "file:line: message", its file name and message made printable.
std::string FormatPolicyWarning(const PolicyWarning& warning);
std::string FormatPolicyReport(const PolicyReading& reading);
std::string FormatPolicyReportJson(const PolicyReading& reading);

}  // namespace mapishut
