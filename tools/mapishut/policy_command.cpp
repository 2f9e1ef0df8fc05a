// `mapishut policy`: what the subsystem would read at the next QueryFastShutdown.
#include "policy_command.h"

#include "mapishut/policy.h"


int RunPolicyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (!args.empty()) {
    err << "usage: mapishut policy\n";
    return 2;
  }
  const mapishut::PolicyReading r = mapishut::NewFixedPolicyReader(std::nullopt, "no policy source configured")->Read();
  if (r.value) {
    out << "FastShutdownBehavior = " << static_cast<unsigned>(*r.value) << " (" << mapishut::BehaviorName(*r.value)
        << "), from " << r.file << "\n";
  } else {
    out << "FastShutdownBehavior is not set: the client's default applies (0, unless opted out, when the client "
           "declares none)\n";
  }
  for (const auto& s : r.consulted) out << "consulted: " << s.name << " - " << s.why << "\n";
  return 0;
}
