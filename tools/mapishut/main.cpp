// `mapishut`: the command for people. demo runs the fast shutdown on the bundled providers;
// check tells a provider's author whether a provider library is ready for fast shutdown;
// policy shows the FastShutdownBehavior in force and why; report shows the last exits; help
// explains each command.
#include <iostream>
#include <string>
#include <vector>

#include "check_command.h"
#include "demo_command.h"
#include "policy_command.h"
#include "report_command.h"

namespace {

struct Command {
  const char* name;
  const char* usage;    // the synopsis line
  const char* summary;  // one line for the command list
  const char* details;  // for `mapishut help NAME`: what it does, its options, what to do next
};

constexpr Command kCommands[] = {
    {"demo", "mapishut demo [--policy 0|1|2] [--keep]",
     "log on to the bundled profile, shut down fast, kill the client, verify nothing was lost",
     "A client process logs on to the bundled profile (SQLite store, vCard address book, Maildir\n"
     "transport), saves messages, submits mail, runs the exit sequence and is killed with SIGKILL\n"
     "the instant it may exit; a new logon then verifies every message, mail and contact.\n\n"
     "  --policy 0|1|2   use this FastShutdownBehavior instead of the policy files\n"
     "  --keep           keep the data directory (printed at the start) for inspection\n\n"
     "Exit status 0 when nothing accepted was lost. Next: `mapishut policy` shows which policy\n"
     "applied; the record printed above names each provider's answers."},
    {"policy", "mapishut policy [--json]",
     "the FastShutdownBehavior in force, where it came from, and every source consulted",
     "Reads the policy as QueryFastShutdown will: the system policy files, the user's policy.reg,\n"
     "Wine's user.reg, in that order; prints the value in force, its meaning, its file and line,\n"
     "and why every other source was used or ignored (missing, untrusted, invalid).\n\n"
     "  --json   the same for scripts, always valid UTF-8\n\n"
     "To change it: docs/POLICY.md says where an administrator puts the value."},
    {"report", "mapishut report [--last N] [--slow-ms MS] [--json] [--svg FILE]",
     "the last exits recorded, with every slow provider named",
     "Reads the durable record the subsystem writes at every exit ($XDG_STATE_HOME/mapishut/exits.log):\n"
     "per exit its time, whether it was fast, the policy, the decision, the total time and the\n"
     "slowest provider call; then what the subsystem reported at each exit (a provider that refused\n"
     "or overran, misuse, data that could not be saved); then every provider call over the slow\n"
     "threshold, with its library.\n\n"
     "  --last N       the last N exits (default 10; the log keeps about the last 100)\n"
     "  --slow-ms MS   the slow threshold (default: the policy's SlowProviderMs, else 500 ms)\n"
     "  --json         the records themselves, as a JSON array\n"
     "  --svg FILE     the last exit's timeline: a lane per session, a bar per provider call\n\n"
     "A slow provider delays every fast exit: tell its author, or ask your administrator about\n"
     "FastShutdownBehavior (`mapishut help policy`)."},
    {"check", "mapishut check PROVIDER.so [--json] [--repeat N] [--deadline-ms MS] [--slow-ms MS] [--watch-ms MS]",
     "for provider authors: is this provider library ready for fast shutdown?",
     "For each entry point the library exports (MSProviderInit, ABProviderInit, XPProviderInit), a\n"
     "generated profile holds just that provider (PR_MAPISHUT_DATA_PATH and PR_MAPISHUT_REMOTE_PATH\n"
     "point into a temporary directory), and a child process per run logs on through the real loader\n"
     "and runs the documented sequence under FastShutdownBehavior 0, 1 and 2: QueryFastShutdown; on\n"
     "S_OK NotifyProcessShutdown and DoFastShutdown, else the normal shutdown (policy 2 always).\n"
     "It reports whether the provider implements IMAPIProviderShutdown, every answer and what it\n"
     "means, each call's time against the slow threshold, a crash (the child died of a signal or\n"
     "ended before the sequence did), a\n"
     "hang (a call over the deadline; the child is killed at 4 deadlines + 2 s and the call named),\n"
     "calls the provider makes into IMAPISupport after DoFastShutdown, and busy threads: every thread\n"
     "but the client's that used at least a fifth of a CPU (utime+stime of /proc/self/task/*/stat)\n"
     "in the window after NotifyProcessShutdown returned. For a store, N runs each save 10 messages\n"
     "through MAPI, are killed with SIGKILL the instant DoFastShutdown returns, and a new logon\n"
     "checks that every message and property of every run is there; such a run's DoFastShutdown is\n"
     "judged too (its answer and its time, with the messages to save).\n\n"
     "  --json            the same for scripts\n"
     "  --repeat N        durability runs for a store (default 3)\n"
     "  --deadline-ms MS  the deadline of each provider call of the fast shutdown (default 5000,\n"
     "                    at most 3600000)\n"
     "  --slow-ms MS      the slow threshold (default: the policy's SlowProviderMs, else 500 ms)\n"
     "  --watch-ms MS     the window after NotifyProcessShutdown and after DoFastShutdown (default 300)\n\n"
     "Exit status 0 when every provider is ready, 1 when one is not (each flaw is named, with what\n"
     "to do), 2 on bad usage. docs/SDK.md shows the SDK base that makes the best practices easy."},
    {"help", "mapishut help [COMMAND]", "this list, or what one command does", "Also: mapishut --version."},
};

int List(std::ostream& out, int code) {
  out << "usage: mapishut <command> [options]\n\ncommands:\n";
  for (const Command& c : kCommands) out << "  " << c.name << std::string(8 - std::string(c.name).size(), ' ') << c.summary << "\n";
  out << "\n`mapishut help COMMAND` explains one; `man mapishut` has all of them.\n";
  return code;
}

int Help(const std::vector<std::string>& args) {
  if (args.empty()) return List(std::cout, 0);
  for (const Command& c : kCommands) {
    if (args[0] == c.name) {
      std::cout << "usage: " << c.usage << "\n\n" << c.details << "\n\nSee also: man mapishut\n";
      return 0;
    }
  }
  std::cerr << "mapishut help: no command '" << args[0] << "'\n";
  return List(std::cerr, 2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return List(std::cerr, 2);
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "check") return RunCheckCommand(args, std::cout, std::cerr);
  if (command == "demo") return RunDemoCommand(args, std::cout, std::cerr);
  if (command == "policy") return RunPolicyCommand(args, std::cout, std::cerr);
  if (command == "report") return RunReportCommand(args, std::cout, std::cerr);
  if (command == "help" || command == "--help" || command == "-h") return Help(args);
  if (command == "--version" || command == "version") {
    std::cout << "mapishut " << MAPISHUT_VERSION << "\n";
    return 0;
  }
  std::cerr << "mapishut: unknown command '" << command << "'\n";
  return List(std::cerr, 2);
}
