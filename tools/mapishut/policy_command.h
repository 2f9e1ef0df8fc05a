#pragma once

#include <ostream>
#include <string>
#include <vector>

// `mapishut policy`: the FastShutdownBehavior in force and every source consulted.
int RunPolicyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
