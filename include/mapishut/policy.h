// The one narrow seam through which the shutdown coordinator learns the administrator's
// FastShutdownBehavior policy (SPEC.md, "Policy"). The coordinator calls Read() each time a
// client calls QueryFastShutdown, so a change made while the client runs is honoured at exit.
//
// This is a C++ API between parts of mapishut (and tests); it never crosses a provider's ABI.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mapishut {

// Values of FastShutdownBehavior (REG_DWORD).
enum class FastShutdownBehavior : uint32_t {
  kUnlessOptedOut = 0,    // fast unless an asked provider fails; providers without the interface don't block
  kOnlyIfAllOptedIn = 1,  // every provider must implement the interface and succeed
  kDisabled = 2,          // never fast; no provider method is called
};

// Human name of a policy value, e.g. "unless opted out".
const char* BehaviorName(FastShutdownBehavior b);

// One place the reader looked, and what it found there.
struct ConsultedSource {
  enum class Outcome {
    kUsed,        // the value in force came from here
    kOverridden,  // had a valid value, but a source of higher precedence won
    kNoValue,     // readable, but holds no (valid) value
    kMissing,     // does not exist
    kUnreadable,  // exists but could not be read (permissions, I/O, encoding)
    kRefused,     // deliberately not trusted (e.g. writable by non-root)
  };
  std::string name;     // e.g. "system policy", "user policy", "wine user.reg", "HKCU"
  std::string location; // path or registry path
  Outcome outcome = Outcome::kMissing;
  std::string why;      // one sentence for people
};

// A warning about a source, naming file and line where there is one.
struct PolicyWarning {
  std::string file;
  int line = 0;  // 0 when not tied to a line
  std::string message;
};

// What the reader found. `value` is set only for a valid value (REG_DWORD 0..2); anything else
// counts as absent (SPEC.md [decided]) and shows up in `warnings`.
// One of mapishut's own settings, a REG_DWORD under the key
// HKEY_CURRENT_USER\Software\Policies\mapishut\Shutdown, with where it came from.
struct PolicySetting {
  uint32_t value = 0;
  std::string file;
  int line = 0;
};

struct PolicyReading {
  std::optional<FastShutdownBehavior> value;
  std::string file;       // where the value in force came from ("" when none)
  int line = 0;           // its line in that file (0 when not from a text file)
  std::string key;        // registry key that held it, e.g. HKCU\...\16.0\Outlook\Options\Shutdown
  std::vector<ConsultedSource> consulted;
  std::vector<PolicyWarning> warnings;
  // mapishut's own settings, each from the first source (in the same order) that sets it validly:
  // ProviderCallTimeoutMs, the deadline of each provider call of the fast shutdown (over the
  // client's SetProviderCallDeadline); SlowProviderMs, the threshold `mapishut report` warns at.
  std::optional<PolicySetting> provider_call_timeout_ms;
  std::optional<PolicySetting> slow_provider_ms;
};

// Reads the policy. Implementations must be safe to call from any thread and must not throw.
class PolicyReader {
 public:
  virtual ~PolicyReader() = default;
  virtual PolicyReading Read() const = 0;
};

// A reader that always answers `value` (nullopt: no value set). For tests and embedders.
std::unique_ptr<PolicyReader> NewFixedPolicyReader(std::optional<FastShutdownBehavior> value,
                                                   std::string origin = "fixed value");

}  // namespace mapishut
