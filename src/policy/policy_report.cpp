#include "mapishut/policy_report.h"

#include "mapishut/text.h"

namespace mapishut {
namespace {

const char* OutcomeName(ConsultedSource::Outcome o) {
  switch (o) {
    case ConsultedSource::Outcome::kUsed: return "used";
    case ConsultedSource::Outcome::kOverridden: return "overridden";
    case ConsultedSource::Outcome::kNoValue: return "no value";
    case ConsultedSource::Outcome::kMissing: return "missing";
    case ConsultedSource::Outcome::kUnreadable: return "unreadable";
    case ConsultedSource::Outcome::kRefused: return "refused";
  }
  return "unknown";
}

const char* Meaning(FastShutdownBehavior b) {
  switch (b) {
    case FastShutdownBehavior::kUnlessOptedOut:
      return "clients may exit fast unless a provider that implements IMAPIProviderShutdown refuses";
    case FastShutdownBehavior::kOnlyIfAllOptedIn:
      return "clients may exit fast only if every provider implements IMAPIProviderShutdown and agrees";
    case FastShutdownBehavior::kDisabled:
      return "fast shutdown is disabled: clients always shut down normally";
  }
  return "";
}

// "Name = 2000 (what it does) from file:line", or what applies without it.
std::string SettingLine(const char* name, const std::optional<PolicySetting>& s, const char* meaning, const char* otherwise) {
  if (!s) return std::string(name) + " is not set: " + otherwise + "\n";
  return std::string(name) + " = " + std::to_string(s->value) + " (" + meaning + ") from " + Printable(s->file) +
         (s->line ? ":" + std::to_string(s->line) : "") + "\n";
}

std::string SettingJson(const std::optional<PolicySetting>& s) {
  if (!s) return "null";
  return "{\"value\": " + std::to_string(s->value) + ", \"file\": " + JsonString(s->file) +
         ", \"line\": " + std::to_string(s->line) + "}";
}

}  // namespace

std::string FormatPolicyWarning(const PolicyWarning& w) {
  return Printable(w.file) + (w.line ? ":" + std::to_string(w.line) : "") + ": " + Printable(w.message);
}

std::string FormatPolicyReport(const PolicyReading& r) {
  std::string out;
  if (r.value) {
    out += "FastShutdownBehavior = " + std::to_string(static_cast<unsigned>(*r.value)) + " (" + BehaviorName(*r.value) +
           "): " + Meaning(*r.value) + "\n";
    out += "from " + Printable(r.file) + (r.line ? ":" + std::to_string(r.line) : "") +
           (r.key.empty() ? "" : ", " + Printable(r.key)) + "\n";
  } else {
    out += "FastShutdownBehavior is not set: the client's own default applies (0, unless opted out, when the client "
           "declares none)\n";
  }
  out += SettingLine("ProviderCallTimeoutMs", r.provider_call_timeout_ms,
                     "the deadline of each provider call of the fast shutdown",
                     "no deadline from policy: the client's SetProviderCallDeadline applies");
  out += SettingLine("SlowProviderMs", r.slow_provider_ms, "provider calls slower than this are named by `mapishut report`",
                     "500 ms, the default");
  out += "\nsources, in order of precedence:\n";
  for (const auto& c : r.consulted) {
    out += "  " + Printable(c.name) + ": " + (c.location.empty() ? "(no location)" : Printable(c.location)) + " - " +
           OutcomeName(c.outcome) + (c.why.empty() ? "" : ": " + Printable(c.why)) + "\n";
  }
  if (!r.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : r.warnings) out += "  " + FormatPolicyWarning(w) + "\n";
  }
  return out;
}

std::string FormatPolicyReportJson(const PolicyReading& r) {
  std::string out = "{\n  \"value\": ";
  out += r.value ? std::to_string(static_cast<unsigned>(*r.value)) : "null";
  out += ",\n  \"name\": " + (r.value ? JsonString(BehaviorName(*r.value)) : "null");
  out += ",\n  \"meaning\": " + (r.value ? JsonString(Meaning(*r.value)) : JsonString("not set: the client's default applies"));
  out += ",\n  \"file\": " + (r.value ? JsonString(r.file) : "null");
  out += ",\n  \"line\": " + (r.value && r.line ? std::to_string(r.line) : "null");
  out += ",\n  \"key\": " + (r.value && !r.key.empty() ? JsonString(r.key) : "null");
  out += ",\n  \"provider_call_timeout_ms\": " + SettingJson(r.provider_call_timeout_ms);
  out += ",\n  \"slow_provider_ms\": " + SettingJson(r.slow_provider_ms);
  out += ",\n  \"sources\": [";
  for (size_t i = 0; i < r.consulted.size(); ++i) {
    const auto& c = r.consulted[i];
    out += std::string(i ? "," : "") + "\n    {\"name\": " + JsonString(c.name) + ", \"location\": " + JsonString(c.location) +
           ", \"outcome\": " + JsonString(OutcomeName(c.outcome)) + ", \"why\": " + JsonString(c.why) + "}";
  }
  out += r.consulted.empty() ? "]" : "\n  ]";
  out += ",\n  \"warnings\": [";
  for (size_t i = 0; i < r.warnings.size(); ++i) {
    const auto& w = r.warnings[i];
    out += std::string(i ? "," : "") + "\n    {\"file\": " + JsonString(w.file) + ", \"line\": " + std::to_string(w.line) +
           ", \"message\": " + JsonString(w.message) + "}";
  }
  out += r.warnings.empty() ? "]" : "\n  ]";
  return out + "\n}\n";
}

}  // namespace mapishut
