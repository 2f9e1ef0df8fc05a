// `mapishut policy [--json]`: what the subsystem would read at the next QueryFastShutdown.
#include "policy_command.h"

#include "mapishut/registry_policy.h"
#include "mapishut/policy_report.h"

int RunPolicyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  bool json = false;
  for (const auto& a : args) {
    if (a == "--json") {
      json = true;
    } else if (a == "--help" || a == "-h") {
      out << "usage: mapishut policy [--json]\n";
      return 0;
    } else {
      err << "mapishut policy: unknown option '" << a << "'\nusage: mapishut policy [--json]\n";
      return 2;
    }
  }
  const mapishut::PolicyReading r = mapishut::NewDefaultPolicyReader()->Read();
  out << (json ? mapishut::FormatPolicyReportJson(r) : mapishut::FormatPolicyReport(r));
  return 0;
}
