#include "mapishut/registry_policy.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <dirent.h>
#include <sys/stat.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reg_file.h"

namespace mapishut {

const char* const kShutdownPolicyKeyFormat =
    "HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\%s\\Outlook\\Options\\Shutdown";
const char* const kShutdownPolicyValue = "FastShutdownBehavior";

namespace {

constexpr const char* kVersions[] = {"16.0", "15.0", "14.0"};  // newest first

std::string KeyFor(const char* version) {
  std::string key = kShutdownPolicyKeyFormat;
  key.replace(key.find("%s"), 2, version);
  return key;
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

enum class FileState { kMissing, kUnreadable, kRead };

FileState ReadFile(const std::string& path, std::string* bytes) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return FileState::kMissing;
  std::ifstream in(path, std::ios::binary);
  if (!in || !S_ISREG(st.st_mode)) return FileState::kUnreadable;
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return FileState::kUnreadable;
  *bytes = s.str();
  return FileState::kRead;
}

// Why a system-wide path may not be trusted, or "" when it may.
std::string Untrusted(const std::string& path, unsigned owner) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return "";
  if (st.st_uid != owner) return "owned by uid " + std::to_string(st.st_uid) + ", not " + std::to_string(owner);
  if (st.st_mode & (S_IWGRP | S_IWOTH)) return "writable by users other than its owner";
  return "";
}

// What one file says: the value in force in it (newest version with a valid value), if any.
struct FileFinding {
  bool found = false;
  FastShutdownBehavior value{};
  int line = 0;
  std::string key;
};

FileFinding Examine(const std::string& path, const RegHive& hive, std::vector<PolicyWarning>* warnings) {
  for (const auto& w : hive.warnings) warnings->push_back({path, w.line, w.message});
  FileFinding f;
  for (const char* version : kVersions) {
    const std::string key = KeyFor(version);
    const RegValue* v = hive.Find(key, kShutdownPolicyValue);
    if (!v) continue;
    uint32_t d = 0;
    if (!AsDword(*v, &d)) {
      warnings->push_back({path, v->line, std::string(kShutdownPolicyValue) + " under Office " + version +
                                              " is not a REG_DWORD; ignored (expected dword:00000000, 1 or 2)"});
      continue;
    }
    if (d > 2) {
      warnings->push_back({path, v->line, std::string(kShutdownPolicyValue) + " under Office " + version + " is " +
                                              std::to_string(d) + ", outside 0..2; ignored"});
      continue;
    }
    if (!f.found) {
      f = FileFinding{true, static_cast<FastShutdownBehavior>(d), v->line, key};
    }
  }
  return f;
}

class RegistryPolicyReader final : public PolicyReader {
 public:
  explicit RegistryPolicyReader(std::optional<RegistryPolicyOptions> fixed) : fixed_(std::move(fixed)) {}

  PolicyReading Read() const override {
    PolicyReading r;
    try {
      const RegistryPolicyOptions o = fixed_ ? *fixed_ : RegistryPolicyOptions::FromEnvironment();
#ifdef _WIN32
      ReadWindowsRegistry(&r);  // the real HKCU\Software\Policies, ahead of any file
#endif
      ReadSystem(o, &r);
      ReadFileSource("user policy", o.user_file, &r);
      ReadFileSource("Wine user.reg", o.wine_file, &r);
    } catch (...) {
      r.warnings.push_back({"", 0, "reading the policy failed unexpectedly; treated as no value"});
    }
    return r;
  }

 private:
  static void Consider(const std::string& name, const std::string& path, const FileFinding& f, PolicyReading* r) {
    ConsultedSource c{name, path, ConsultedSource::Outcome::kNoValue, ""};
    if (!f.found) {
      c.why = "no valid FastShutdownBehavior for Office 16.0, 15.0 or 14.0";
    } else if (r->value) {
      c.outcome = ConsultedSource::Outcome::kOverridden;
      c.why = "sets " + std::to_string(static_cast<unsigned>(f.value)) + " at line " + std::to_string(f.line) +
              ", but " + r->file + " takes precedence";
    } else {
      c.outcome = ConsultedSource::Outcome::kUsed;
      c.why = "sets " + std::to_string(static_cast<unsigned>(f.value)) + " at line " + std::to_string(f.line);
      r->value = f.value;
      r->file = path;
      r->line = f.line;
      r->key = f.key;
    }
    r->consulted.push_back(std::move(c));
  }

  static void ReadFileSource(const std::string& name, const std::string& path, PolicyReading* r) {
    if (path.empty()) {
      r->consulted.push_back({name, "", ConsultedSource::Outcome::kMissing, "no location (HOME is not set)"});
      return;
    }
    std::string bytes;
    switch (ReadFile(path, &bytes)) {
      case FileState::kMissing:
        r->consulted.push_back({name, path, ConsultedSource::Outcome::kMissing, "does not exist"});
        return;
      case FileState::kUnreadable:
        r->consulted.push_back({name, path, ConsultedSource::Outcome::kUnreadable, "cannot be read"});
        return;
      case FileState::kRead:
        break;
    }
    Consider(name, path, Examine(path, ParseRegFile(bytes), &r->warnings), r);
  }

  static void ReadSystem(const RegistryPolicyOptions& o, PolicyReading* r) {
    const std::string name = "system policy";
    if (o.system_dir.empty()) return;
    DIR* dir = ::opendir(o.system_dir.c_str());
    if (!dir) {
      r->consulted.push_back({name, o.system_dir, ConsultedSource::Outcome::kMissing, "directory does not exist"});
      return;
    }
    std::vector<std::string> files;
    while (dirent* e = ::readdir(dir)) {
      const std::string f = e->d_name;
      if (f.size() > 4 && f.compare(f.size() - 4, 4, ".reg") == 0) files.push_back(f);
    }
    ::closedir(dir);
    std::sort(files.begin(), files.end());
    if (const std::string why = Untrusted(o.system_dir, o.trusted_owner_uid); !why.empty()) {
      r->consulted.push_back({name, o.system_dir, ConsultedSource::Outcome::kRefused, "directory " + why + "; refused"});
      r->warnings.push_back({o.system_dir, 0, "system policy directory " + why + "; its files are ignored"});
      return;
    }
    if (files.empty()) {
      r->consulted.push_back({name, o.system_dir, ConsultedSource::Outcome::kNoValue, "no .reg files"});
      return;
    }
    // Later files override earlier ones, so the last file with a value is this source's answer.
    std::vector<std::pair<std::string, FileFinding>> findings;
    for (const auto& f : files) {
      const std::string path = o.system_dir + "/" + f;
      if (const std::string why = Untrusted(path, o.trusted_owner_uid); !why.empty()) {
        r->consulted.push_back({name, path, ConsultedSource::Outcome::kRefused, why + "; refused"});
        r->warnings.push_back({path, 0, "system policy file " + why + "; ignored"});
        continue;
      }
      std::string bytes;
      if (ReadFile(path, &bytes) != FileState::kRead) {
        r->consulted.push_back({name, path, ConsultedSource::Outcome::kUnreadable, "cannot be read"});
        continue;
      }
      findings.emplace_back(path, Examine(path, ParseRegFile(bytes), &r->warnings));
    }
    for (auto it = findings.rbegin(); it != findings.rend(); ++it) Consider(name, it->first, it->second, r);
  }

#ifdef _WIN32
  // On Windows the Policies key itself is the administrator's source; read it through the API.
  static void ReadWindowsRegistry(PolicyReading* r) {
    for (const char* version : kVersions) {
      const std::string key = KeyFor(version);
      const std::string subkey = key.substr(std::string("HKEY_CURRENT_USER\\").size());
      DWORD value = 0, size = sizeof value;
      if (RegGetValueA(HKEY_CURRENT_USER, subkey.c_str(), kShutdownPolicyValue, RRF_RT_REG_DWORD, nullptr, &value, &size) !=
          ERROR_SUCCESS) {
        continue;
      }
      if (value > 2) {
        r->warnings.push_back({key, 0, std::string(kShutdownPolicyValue) + " is " + std::to_string(value) + ", outside 0..2; ignored"});
        continue;
      }
      Consider("HKCU", key, FileFinding{true, static_cast<FastShutdownBehavior>(value), 0, key}, r);
      return;
    }
    r->consulted.push_back({"HKCU", "HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office", ConsultedSource::Outcome::kNoValue,
                            "no valid FastShutdownBehavior for Office 16.0, 15.0 or 14.0"});
  }
#endif

  std::optional<RegistryPolicyOptions> fixed_;
};

}  // namespace

RegistryPolicyOptions RegistryPolicyOptions::FromEnvironment() {
  RegistryPolicyOptions o;
  o.system_dir = Env("MAPISHUT_SYSTEM_POLICY_DIR");
  if (o.system_dir.empty()) o.system_dir = "/etc/mapishut/policy.d";
  const std::string home = Env("HOME");
  std::string config = Env("XDG_CONFIG_HOME");
  if (config.empty() && !home.empty()) config = home + "/.config";
  if (!config.empty()) o.user_file = config + "/mapishut/policy.reg";
  std::string prefix = Env("WINEPREFIX");
  if (prefix.empty() && !home.empty()) prefix = home + "/.wine";
  if (!prefix.empty()) o.wine_file = prefix + "/user.reg";
  return o;
}

std::unique_ptr<PolicyReader> NewRegistryPolicyReader(RegistryPolicyOptions options) {
  return std::make_unique<RegistryPolicyReader>(std::move(options));
}

std::unique_ptr<PolicyReader> NewDefaultPolicyReader() { return std::make_unique<RegistryPolicyReader>(std::nullopt); }

}  // namespace mapishut
