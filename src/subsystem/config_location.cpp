#include "config_location.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace mapishut {
namespace {

#ifndef MAPISHUT_SYSCONF_DIR
#define MAPISHUT_SYSCONF_DIR "/etc/mapishut"
#endif
#ifndef MAPISHUT_INSTALLED_PROVIDER_DIR
#define MAPISHUT_INSTALLED_PROVIDER_DIR "/usr/local/lib/mapishut/providers"
#endif

std::mutex g_override_mutex;
std::string g_override_dir;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// `dir`/`name`, or the one entry of `dir` whose name equals `name` ignoring case.
std::string FileIgnoringCase(const std::string& dir, const std::string& name) {
  const std::string exact = dir + "/" + name;
  std::error_code ec;
  if (std::filesystem::exists(exact, ec)) return exact;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string candidate = entry.path().filename().string();
    if (candidate.size() == name.size() &&
        std::equal(candidate.begin(), candidate.end(), name.begin(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); })) {
      return entry.path().string();
    }
  }
  return exact;  // missing: the messages name the usual spelling
}

bool IsFile(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string HomeRelative(const char* xdg_var, const char* fallback) {
  std::string base = Env(xdg_var);
  if (base.empty()) {
    const std::string home = Env("HOME");
    if (home.empty()) return {};
    base = home + "/" + fallback;
  }
  return base + "/mapishut";
}

std::vector<std::string> SplitPath(const std::string& list) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t colon = list.find(':', start);
    const std::string part = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!part.empty()) parts.push_back(part);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return parts;
}

}  // namespace

void SetConfigDirectoryOverride(const std::string& dir) {
  std::lock_guard lock(g_override_mutex);
  g_override_dir = dir;
}

std::string ConfigLocation::MapisvcPath() const { return FileIgnoringCase(dir, "mapisvc.inf"); }
std::string ConfigLocation::ProfilesPath() const { return FileIgnoringCase(dir, "profiles.inf"); }

ConfigLocation ResolveConfigLocation() {
  ConfigLocation where;
  {
    std::lock_guard lock(g_override_mutex);
    where.dir = g_override_dir;
  }
  if (!where.dir.empty()) {
    where.origin = "set by the client (mapishut::SetConfigDirectory)";
  } else if (!Env("MAPISHUT_CONFIG_DIR").empty()) {
    where.dir = Env("MAPISHUT_CONFIG_DIR");
    where.origin = "$MAPISHUT_CONFIG_DIR";
  } else if (const std::string user = HomeRelative("XDG_CONFIG_HOME", ".config");
             !user.empty() && IsFile(FileIgnoringCase(user, "mapisvc.inf"))) {
    where.dir = user;
    where.origin = "the user's configuration directory";
  } else {
    where.dir = MAPISHUT_SYSCONF_DIR;
    where.origin = "the system configuration directory";
  }
  where.provider_search_path = SplitPath(Env("MAPISHUT_PROVIDER_PATH"));
  where.provider_search_path.push_back(where.dir);
  where.provider_search_path.push_back(MAPISHUT_INSTALLED_PROVIDER_DIR);
  return where;
}

Status FindProviderLibrary(const ConfigLocation& where, const std::string& dll_name, std::string* path) {
  if (dll_name.find('/') != std::string::npos) {
    *path = dll_name;
    return Status::Ok();
  }
  std::string tried;
  for (const auto& dir : where.provider_search_path) {
    const std::string candidate = dir + "/" + dll_name;
    if (IsFile(candidate)) {
      *path = candidate;
      return Status::Ok();
    }
    tried += (tried.empty() ? "" : ", ") + dir;
  }
  return Status::NotFound("provider library " + dll_name + " not found in " + tried +
                          " (set MAPISHUT_PROVIDER_PATH or give an absolute path)");
}

Status ExpandVariables(std::string_view text, const ConfigLocation& where, std::string* out) {
  std::string result;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find("${", pos);
    if (start == std::string_view::npos) {
      result += text.substr(pos);
      break;
    }
    result += text.substr(pos, start - pos);
    const size_t end = text.find('}', start);
    if (end == std::string_view::npos) return Status::Invalid("unterminated ${ in '" + std::string(text) + "'");
    const std::string name(text.substr(start + 2, end - start - 2));
    std::string value = Env(name.c_str());
    if (value.empty() && name == "MAPISHUT_DATA_DIR") value = HomeRelative("XDG_DATA_HOME", ".local/share");
    if (value.empty() && name == "MAPISHUT_CONFIG_DIR") value = where.dir;
    if (value.empty()) return Status::Invalid("${" + name + "} is not set (in '" + std::string(text) + "')");
    result += value;
    pos = end + 1;
  }
  *out = std::move(result);
  return Status::Ok();
}

}  // namespace mapishut
