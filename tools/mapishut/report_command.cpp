// `mapishut report [--last N] [--slow-ms MS] [--json] [--svg FILE]`: the last exits the subsystem
// recorded ($XDG_STATE_HOME/mapishut/exits.log) as a table for administrators, with what the
// subsystem reported at each, every provider call over the slow threshold named (500 ms by
// default, as Outlook flags slow add-ins), and the last exit's timeline as SVG.
#include "report_command.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "json_value.h"
#include "timeline_svg.h"
#include "mapishut/exit_log.h"
#include "mapishut/registry_policy.h"
#include "mapishut/text.h"

namespace {

constexpr const char* kUsage = "usage: mapishut report [--last N] [--slow-ms MS] [--json] [--svg FILE]\n";

struct ReportOptions {
  size_t last = 10;
  double slow_ms = -1;  // not given: the policy's SlowProviderMs, else 500
  bool json = false;
  std::string svg;  // draw the last exit's timeline into this file
};

bool Number(const std::string& text, double* out) {
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && *out >= 0;
}

bool ParseArgs(const std::vector<std::string>& args, ReportOptions* o) {
  for (size_t i = 0; i < args.size(); ++i) {
    double n = 0;
    if (args[i] == "--json") {
      o->json = true;
    } else if (args[i] == "--last" && i + 1 < args.size() && Number(args[i + 1], &n) && n >= 1) {
      o->last = static_cast<size_t>(n);
      ++i;
    } else if (args[i] == "--svg" && i + 1 < args.size()) {
      o->svg = args[++i];
    } else if (args[i] == "--slow-ms" && i + 1 < args.size() && Number(args[i + 1], &n)) {
      o->slow_ms = n;
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

std::string Fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string Pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text + " ";
}

// "exit now", "normal shutdown", or why the fast path was not taken.
std::string Decision(const JsonValue& e) {
  if (e["exit"].str() == "fast") return "exit now";
  if (e["query"].kind == JsonValue::Kind::kNull) return "normal shutdown";
  if (e["do"].str() != "" && e["do"].str() != "0x00000000") return "normal (Do failed)";
  if (e["query"].str() != "0x00000000") return "normal (Query refused)";
  return "normal shutdown";
}

}  // namespace

int RunReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  ReportOptions o;
  if (!ParseArgs(args, &o)) {
    err << "mapishut report: bad options\n" << kUsage;
    return 2;
  }
  if (o.slow_ms < 0) {
    // The administrator's threshold (SlowProviderMs), else Outlook's 500 ms for slow add-ins.
    const auto setting = mapishut::NewDefaultPolicyReader()->Read().slow_provider_ms;
    o.slow_ms = setting ? setting->value : 500;
  }
  const std::string path = mapishut::ExitLogPath();
  if (path.empty()) {
    err << "mapishut report: no state directory (set XDG_STATE_HOME or HOME)\n";
    return 1;
  }
  std::vector<std::string> lines = mapishut::ReadExitLog(path);
  if (lines.size() > o.last) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(o.last));
  if (o.json) {
    out << "[";
    for (size_t i = 0; i < lines.size(); ++i) out << (i ? ",\n " : "\n ") << lines[i];
    out << (lines.empty() ? "]\n" : "\n]\n");
    return 0;
  }
  if (lines.empty()) {
    out << "no exits recorded yet in " << mapishut::Printable(path) << "\n";
    return 0;
  }
  out << "the last " << lines.size() << " exits recorded in " << mapishut::Printable(path) << ":\n\n";
  out << Pad("time", 21) << Pad("exit", 6) << Pad("policy", 6) << Pad("decision", 22) << Pad("total ms", 9)
      << "slowest provider call\n";
  std::vector<std::string> warnings;
  std::vector<std::string> reported;  // "time: text", each exit's reports in order
  for (const auto& line : lines) {
    JsonValue e;
    if (!ParseJson(line, &e)) continue;  // not a record this version can read
    for (const auto& r : e["reports"].array) reported.push_back(e["time"].str() + ": " + mapishut::Printable(r.str()));
    std::string slowest = "-";
    double slowest_ms = -1;
    for (const auto& p : e["providers"].array) {
      for (const auto& c : p["calls"].array) {
        const double ms = c["ms"].number;
        const std::string what = "\"" + p["name"].str() + "\" " + c["step"].str() + " " + Fixed(ms, 1) + " ms";
        if (ms > slowest_ms) {
          slowest_ms = ms;
          slowest = what;
        }
        if (ms > o.slow_ms) {
          warnings.push_back(e["time"].str() + ": provider " + what + " (over the " + Fixed(o.slow_ms, 0) + " ms threshold; " +
                             p["library"].str() + ")");
        }
      }
    }
    out << Pad(e["time"].str(), 21) << Pad(e["exit"].str(), 6) << Pad(Fixed(e["policy"].number, 0), 6) << Pad(Decision(e), 22)
        << Pad(Fixed(e["total_ms"].number, 1), 9) << slowest << "\n";
  }
  if (!o.svg.empty()) {
    JsonValue last;
    if (!ParseJson(lines.back(), &last)) {
      err << "mapishut report: the last exit's record cannot be read\n";
      return 1;
    }
    std::ofstream(o.svg) << TimelineSvg(last);
    out << "\nthe last exit's timeline: " << mapishut::Printable(o.svg) << " (open it in a browser)\n";
  }
  if (!reported.empty()) {
    // Why a fast path was not taken, misuse, overruns, data that could not be saved.
    out << "\nwhat the subsystem reported:\n";
    for (const auto& r : reported) out << "  " << r << "\n";
  }
  if (!warnings.empty()) {
    out << "\nslow providers (ask their authors; `mapishut report --slow-ms MS` changes the threshold):\n";
    for (const auto& w : warnings) out << "  warning: " << w << "\n";
  }
  return 0;
}
