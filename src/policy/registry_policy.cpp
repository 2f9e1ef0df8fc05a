#include "mapishut/registry_policy.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "mapishut/text.h"
#include "reg_file.h"

namespace mapishut {

const char* const kShutdownPolicyKeyFormat =
    "HKEY_CURRENT_USER\\Software\\Policies\\Microsoft\\Office\\%s\\Outlook\\Options\\Shutdown";
const char* const kShutdownPolicyValue = "FastShutdownBehavior";

namespace {

constexpr const char* kVersions[] = {"16.0", "15.0", "14.0"};  // newest first
// mapishut's own settings, beside Office's key in the same files.
const char* const kMapishutKey = "HKEY_CURRENT_USER\\Software\\Policies\\mapishut\\Shutdown";
constexpr const char* kCallTimeoutValue = "ProviderCallTimeoutMs";
constexpr const char* kSlowProviderValue = "SlowProviderMs";

std::string KeyFor(const char* version) {
  std::string key = kShutdownPolicyKeyFormat;
  key.replace(key.find("%s"), 2, version);
  return key;
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// A descriptor, closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Why a file or directory with these attributes may not be trusted, or "" when it may: it must
// belong to `owner` (or `other_owner`) and be writable by no one else.
std::string Untrusted(const struct stat& st, unsigned owner, unsigned other_owner) {
  if (st.st_uid != owner && st.st_uid != other_owner) {
    return "owned by uid " + std::to_string(st.st_uid) + ", not " + std::to_string(owner) +
           (other_owner == owner ? "" : " or " + std::to_string(other_owner));
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) return "writable by users other than its owner";
  return "";
}

// O_NOFOLLOW refuses a symbolic link with ELOOP (EMLINK on FreeBSD).
bool RefusedAsSymlink(int error) { return error == ELOOP || error == EMLINK; }

// What reading one file gave: its bytes, or the outcome and reason to report instead.
struct FileRead {
  ConsultedSource::Outcome outcome = ConsultedSource::Outcome::kUnreadable;
  bool read = false;
  std::string why;  // when !read
  std::string bytes;
};

// Opens `name` (relative to `dir_fd`, or AT_FDCWD) once and judges the file actually opened: the
// trust check (`untrusted` on its fstat) and the bytes come from the same descriptor, so no one
// can swap the file between the check and the read. O_NONBLOCK: a FIFO must not hang the reader.
template <typename Check>
FileRead ReadOpened(int dir_fd, const std::string& name, int flags, Check untrusted) {
  FileRead f;
  const Fd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | flags));
  if (fd.get() < 0) {
    const int error = errno;
    if (error == ENOENT) {
      f.outcome = ConsultedSource::Outcome::kMissing;
      f.why = "does not exist";
    } else if ((flags & O_NOFOLLOW) && RefusedAsSymlink(error)) {
      f.outcome = ConsultedSource::Outcome::kRefused;
      f.why = "is a symbolic link";
    } else {
      f.why = std::string("cannot be opened: ") + std::strerror(error);
    }
    return f;
  }
  struct stat st{};
  if (::fstat(fd.get(), &st) != 0) {
    f.why = "cannot be examined";
    return f;
  }
  f.outcome = ConsultedSource::Outcome::kRefused;
  if (!S_ISREG(st.st_mode)) {
    f.why = "is not a regular file";
    return f;
  }
  if (std::string why = untrusted(st); !why.empty()) {
    f.why = std::move(why);
    return f;
  }
  f.outcome = ConsultedSource::Outcome::kUnreadable;
  if (!ReadAll(fd.get(), &f.bytes)) {
    f.why = "cannot be read";
    return f;
  }
  f.read = true;
  return f;
}

// What one file says: the value in force in it (newest version with a valid value), if any.
struct FileFinding {
  bool found = false;
  FastShutdownBehavior value{};
  int line = 0;
  std::string key;
  std::optional<PolicySetting> call_timeout_ms, slow_provider_ms;  // mapishut's own key
};

// A REG_DWORD setting of mapishut's key in `hive`, or nullopt (a value of another type warns).
std::optional<PolicySetting> Setting(const std::string& path, const RegHive& hive, const char* name,
                                     std::vector<PolicyWarning>* warnings) {
  const RegValue* v = hive.Find(kMapishutKey, name);
  if (!v) return std::nullopt;
  uint32_t d = 0;
  if (!AsDword(*v, &d)) {
    warnings->push_back({path, v->line, std::string(name) + " is not a REG_DWORD; ignored (expected dword:, in milliseconds)"});
    return std::nullopt;
  }
  return PolicySetting{d, path, v->line};
}

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
      f.found = true;
      f.value = static_cast<FastShutdownBehavior>(d);
      f.line = v->line;
      f.key = key;
    }
  }
  f.call_timeout_ms = Setting(path, hive, kCallTimeoutValue, warnings);
  f.slow_provider_ms = Setting(path, hive, kSlowProviderValue, warnings);
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
      // The user's own file is theirs or root's and writable by no one else, so no other user can
      // set their policy; Wine's hive is whatever Wine wrote, and only has to be a regular file.
      const unsigned me = ::geteuid();
      ReadFileSource("user policy", o.user_file,
                     [&o, me](const struct stat& st) { return Untrusted(st, me, o.trusted_owner_uid); }, &r);
      ReadFileSource("Wine user.reg", o.wine_file, [](const struct stat&) { return std::string(); }, &r);
    } catch (...) {
      r.warnings.push_back({"", 0, "reading the policy failed unexpectedly; treated as no value"});
    }
    return r;
  }

 private:
  static void Consider(const std::string& name, const std::string& path, const FileFinding& f, PolicyReading* r) {
    // mapishut's own settings: the first source to set one validly keeps it.
    if (!r->provider_call_timeout_ms) r->provider_call_timeout_ms = f.call_timeout_ms;
    if (!r->slow_provider_ms) r->slow_provider_ms = f.slow_provider_ms;
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

  // A file in the user's own directories. It may be a symbolic link (dotfiles are often kept
  // elsewhere), but the file reached must be trusted the way `untrusted` says.
  template <typename Check>
  static void ReadFileSource(const std::string& name, const std::string& path, Check untrusted, PolicyReading* r) {
    if (path.empty()) {
      r->consulted.push_back({name, "", ConsultedSource::Outcome::kMissing, "no location (HOME is not set)"});
      return;
    }
    const FileRead f = ReadOpened(AT_FDCWD, path, 0, untrusted);
    if (!f.read) {
      const bool refused = f.outcome == ConsultedSource::Outcome::kRefused;
      r->consulted.push_back({name, path, f.outcome, f.why + (refused ? "; refused" : "")});
      if (refused) r->warnings.push_back({path, 0, name + " file " + f.why + "; ignored"});
      return;
    }
    Consider(name, path, Examine(path, ParseRegFile(f.bytes), &r->warnings), r);
  }

  // The directory is opened once, checked through its descriptor and listed and opened through
  // it, so neither the directory nor a file in it can be swapped between the check and the read.
  // Symbolic links are refused: whoever can change the link's target decides the policy.
  static void ReadSystem(const RegistryPolicyOptions& o, PolicyReading* r) {
    const std::string name = "system policy";
    if (o.system_dir.empty()) return;
    const auto untrusted = [&o](const struct stat& st) { return Untrusted(st, o.trusted_owner_uid, o.trusted_owner_uid); };
    const Fd dir(::open(o.system_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st{};
    std::string why;
    if (dir.get() < 0) {
      const int error = errno;
      if (error == ENOENT) {
        r->consulted.push_back({name, o.system_dir, ConsultedSource::Outcome::kMissing, "directory does not exist"});
        return;
      }
      // O_DIRECTORY | O_NOFOLLOW on a link to a directory fails with ENOTDIR or ELOOP; lstat only
      // words the refusal, it decides nothing.
      const bool link = ::lstat(o.system_dir.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
      why = link ? "is a symbolic link" : std::string("cannot be opened: ") + std::strerror(error);
    } else if (::fstat(dir.get(), &st) != 0) {
      why = "cannot be examined";
    } else {
      why = untrusted(st);
    }
    if (!why.empty()) {
      r->consulted.push_back({name, o.system_dir, ConsultedSource::Outcome::kRefused, "directory " + why + "; refused"});
      r->warnings.push_back({o.system_dir, 0, "system policy directory " + why + "; its files are ignored"});
      return;
    }
    const std::vector<std::string> files = RegFilesIn(dir.get());
    if (files.empty()) {
      r->consulted.push_back({name, o.system_dir, ConsultedSource::Outcome::kNoValue, "no .reg files"});
      return;
    }
    // Later files override earlier ones, so the last file with a value is this source's answer.
    std::vector<std::pair<std::string, FileFinding>> findings;
    for (const auto& f : files) {
      const std::string path = o.system_dir + "/" + f;
      const FileRead file = ReadOpened(dir.get(), f, O_NOFOLLOW, untrusted);
      if (!file.read) {
        const bool refused = file.outcome == ConsultedSource::Outcome::kRefused;
        r->consulted.push_back({name, path, file.outcome, file.why + (refused ? "; refused" : "")});
        if (refused) r->warnings.push_back({path, 0, "system policy file " + file.why + "; ignored"});
        continue;
      }
      findings.emplace_back(path, Examine(path, ParseRegFile(file.bytes), &r->warnings));
    }
    for (auto it = findings.rbegin(); it != findings.rend(); ++it) Consider(name, it->first, it->second, r);
  }

  // The names of the *.reg entries of an open directory, in name order.
  static std::vector<std::string> RegFilesIn(int dir_fd) {
    std::vector<std::string> files;
    const int listing_fd = ::dup(dir_fd);  // fdopendir takes the descriptor it is given
    DIR* listing = listing_fd < 0 ? nullptr : ::fdopendir(listing_fd);
    if (!listing) {
      if (listing_fd >= 0) ::close(listing_fd);
      return files;
    }
    while (dirent* e = ::readdir(listing)) {
      const std::string f = e->d_name;
      if (f.size() > 4 && f.compare(f.size() - 4, 4, ".reg") == 0) files.push_back(f);
    }
    ::closedir(listing);
    std::sort(files.begin(), files.end());
    return files;
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
