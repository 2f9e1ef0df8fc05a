#pragma once

#include <ostream>
#include <string>
#include <vector>

// `mapishut report`: the last exits from the durable exit record, slow providers named.
int RunReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
