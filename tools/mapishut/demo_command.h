#pragma once

#include <ostream>
#include <string>
#include <vector>

// `mapishut demo`: see demo_command.cpp.
int RunDemoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
