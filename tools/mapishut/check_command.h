// `mapishut check PROVIDER.so [--json] [--repeat N] [--deadline-ms MS] [--slow-ms MS] [--watch-ms MS]`:
// tells a provider's author whether the provider is ready for fast shutdown (check_report.h says
// what is judged). 0: ready; 1: not ready; 2: bad usage.
#pragma once

#include <ostream>
#include <string>
#include <vector>

int RunCheckCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
