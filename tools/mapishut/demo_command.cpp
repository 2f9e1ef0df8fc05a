// `mapishut demo`: logs on to the bundled profile with the bundled providers, runs the client
// exit sequence, and prints every provider's answers, the decision and what each provider saved.
// Needs no setup: the profile, the provider directory and a fresh data directory are its own.
#include "demo_command.h"

#include <mapicode.h>
#include <mapix.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "mapishut/client_exit.h"
#include "mapishut/subsystem.h"

namespace {

bool IsDir(const std::string& p) {
  struct stat st{};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The build tree's copies when run from it, else the installed ones.
std::string FirstExisting(std::initializer_list<const char*> dirs) {
  for (const char* d : dirs) {
    if (IsDir(d)) return d;
  }
  return {};
}

}  // namespace

int RunDemoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::optional<mapishut::FastShutdownBehavior> policy;
  bool keep = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--keep") {
      keep = true;
    } else if (args[i] == "--policy" && i + 1 < args.size() && args[i + 1].size() == 1 && args[i + 1][0] >= '0' &&
               args[i + 1][0] <= '2') {
      policy = static_cast<mapishut::FastShutdownBehavior>(args[++i][0] - '0');
    } else {
      err << "usage: mapishut demo [--policy 0|1|2] [--keep]\n";
      return 2;
    }
  }
  const std::string config = FirstExisting({MAPISHUT_DEMO_BUILD_CONFIG, MAPISHUT_DEMO_INSTALLED_CONFIG});
  if (config.empty()) {
    err << "mapishut demo: the bundled profile is missing (looked in " << MAPISHUT_DEMO_BUILD_CONFIG << " and "
        << MAPISHUT_DEMO_INSTALLED_CONFIG << ")\n";
    return 1;
  }
  std::string providers = FirstExisting({MAPISHUT_DEMO_BUILD_PROVIDERS, MAPISHUT_DEMO_INSTALLED_PROVIDERS});
  char tmpl[] = "/tmp/mapishut-demo-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    err << "mapishut demo: cannot create a data directory in /tmp\n";
    return 1;
  }
  const std::string data = tmpl;
  setenv("MAPISHUT_DATA_DIR", data.c_str(), 1);
  setenv("MAPISHUT_PROVIDER_PATH", providers.c_str(), 1);
  mapishut::SetConfigDirectory(config);
  if (policy) mapishut::SetPolicyReader(mapishut::NewFixedPolicyReader(policy, "mapishut demo --policy"));

  out << "profile 'sample' from " << config << "\nproviders from " << providers << "\ndata in " << data << "\n\n";
  if (FAILED(MAPIInitialize(nullptr))) return 1;
  LPMAPISESSION session = nullptr;
  char profile[] = "sample";
  const HRESULT hr = MAPILogonEx(0, profile, nullptr, MAPI_EXTENDED | MAPI_EXPLICIT_PROFILE | MAPI_NEW_SESSION, &session);
  if (FAILED(hr)) {
    err << "mapishut demo: " << mapishut::LastErrorMessage() << "\n";
    return 1;
  }

  const mapishut::ExitDecision decision = mapishut::PrepareToExit(session);
  out << mapishut::FormatShutdownRecord(mapishut::GetShutdownRecord()) << "\n";
  out << "decision: " << (decision.exit_now ? "exit now" : "normal shutdown") << " - " << decision.why << "\n\n";
  out << "what the providers saved:\n";
  for (const auto& entry : std::filesystem::directory_iterator(data)) {
    std::ifstream in(entry.path());
    std::string line;
    std::getline(in, line);
    out << "  " << entry.path().filename().string() << ": " << line << "\n";
  }
  if (!keep) std::filesystem::remove_all(data);
  out.flush();
  if (decision.exit_now) std::_Exit(0);  // the promise: exit the moment the client is closed
  session->Release();
  return 0;
}
