// `mapishut`: the command for people. demo runs the fast shutdown on the bundled providers;
// policy shows the FastShutdownBehavior in force and why.
#include <iostream>
#include <string>
#include <vector>

#include "demo_command.h"
#include "policy_command.h"

namespace {

int Usage(std::ostream& out, int code) {
  out << "usage: mapishut <command> [options]\n\n"
         "commands:\n"
         "  demo [--policy 0|1|2] [--keep]   log on to the bundled profile, shut down fast, and show\n"
         "                                   each provider's answers and the decision\n"
         "  policy [--json]                  the FastShutdownBehavior in force, where it came from,\n"
         "                                   and every source consulted\n"
         "  help                             this text\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage(std::cerr, 2);
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "demo") return RunDemoCommand(args, std::cout, std::cerr);
  if (command == "policy") return RunPolicyCommand(args, std::cout, std::cerr);
  if (command == "help" || command == "--help" || command == "-h") return Usage(std::cout, 0);
  std::cerr << "mapishut: unknown command '" << command << "'\n";
  return Usage(std::cerr, 2);
}
