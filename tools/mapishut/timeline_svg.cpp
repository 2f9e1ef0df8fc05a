#include "timeline_svg.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

namespace {

constexpr double kWidth = 960, kLeft = 110, kRight = 20, kTop = 64, kLane = 56, kBar = 20;
constexpr double kSmallLabelCharWidth = 5.4;  // sans-serif at font-size 9, an average glyph

struct Phase {
  const char* step;
  const char* colour;
};
constexpr Phase kPhases[] = {{"QueryFastShutdown", "#4e79a7"}, {"NotifyProcessShutdown", "#f28e2b"},
                             {"DoFastShutdown", "#59a14f"},    {"Logoff", "#9c755f"},
                             {"Shutdown", "#bab0ac"}};

const char* Colour(const std::string& step) {
  for (const Phase& p : kPhases) {
    if (step == p.step) return p.colour;
  }
  return "#e15759";  // anything else (a release, an entry point): red stands out
}

std::string Xml(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

// A call's code: the log leaves out "hr" for a call that succeeded (exit_log.cpp).
std::string CallCode(const JsonValue& call) {
  return call["hr"].kind == JsonValue::Kind::kString ? call["hr"].str() : "0x00000000";
}

}  // namespace

std::string TimelineSvg(const JsonValue& exit) {
  // Calls by session, and the time span to draw.
  std::map<int, std::vector<std::pair<std::string, const JsonValue*>>> lanes;  // session -> (provider, call)
  double span = 0;
  for (const auto& p : exit["providers"].array) {
    for (const auto& c : p["calls"].array) {
      lanes[static_cast<int>(p["session"].number)].push_back({p["name"].str(), &c});
      span = std::max(span, c["at_ms"].number + c["ms"].number);
    }
  }
  if (span <= 0) span = 1;
  const double plot = kWidth - kLeft - kRight;
  const double height = kTop + kLane * static_cast<double>(std::max<size_t>(lanes.size(), 1)) + 50;
  auto x = [&](double ms) { return kLeft + ms / span * plot; };

  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Num(kWidth) + "\" height=\"" + Num(height) +
                    "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + Num(kLeft) + "\" y=\"20\" font-size=\"15\">" +
         Xml(exit["exit"].str() + " exit at " + exit["time"].str() + ", " + Num(exit["total_ms"].number) + " ms") + "</text>\n";
  // Legend.
  svg += "<g class=\"legend\">\n";
  double lx = kLeft;
  for (const Phase& p : kPhases) {
    svg += "<rect x=\"" + Num(lx) + "\" y=\"32\" width=\"12\" height=\"12\" fill=\"" + p.colour + "\"/><text x=\"" + Num(lx + 16) +
           "\" y=\"43\">" + p.step + "</text>\n";
    lx += 22 + 7.2 * static_cast<double>(std::string(p.step).size());
  }
  svg += "</g>\n";
  // Lanes and bars.
  double y = kTop;
  for (const auto& [session, calls] : lanes) {
    svg += "<g class=\"lane\" data-session=\"" + std::to_string(session) + "\">\n";
    svg += "<text x=\"8\" y=\"" + Num(y + kLane / 2 + 4) + "\">session " + std::to_string(session) + "</text>\n";
    svg += "<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(y + kLane) + "\" x2=\"" + Num(kWidth - kRight) + "\" y2=\"" +
           Num(y + kLane) + "\" stroke=\"#ddd\"/>\n";
    double small_label_end = 0;  // where the last label above a narrow bar ends
    for (const auto& [provider, call] : calls) {
      const std::string step = (*call)["step"].str();
      const double bx = x((*call)["at_ms"].number), bw = std::max(2.0, (*call)["ms"].number / span * plot);
      const double by = y + (kLane - kBar) / 2;
      svg += "<rect class=\"bar\" data-provider=\"" + Xml(provider) + "\" data-step=\"" + Xml(step) + "\" x=\"" + Num(bx) +
             "\" y=\"" + Num(by) + "\" width=\"" + Num(bw) + "\" height=\"" + Num(kBar) + "\" fill=\"" + Colour(step) + "\"><title>" +
             Xml(provider + " " + step + ": " + Num((*call)["ms"].number) + " ms, " + CallCode(*call)) + "</title></rect>\n";
      if (bw > 70) {
        svg += "<text x=\"" + Num(bx + 3) + "\" y=\"" + Num(by + 14) + "\" fill=\"white\">" + Xml(provider) + "</text>\n";
      } else if (bx >= small_label_end) {  // a label that would run into the one before is left to the bar's title
        svg += "<text x=\"" + Num(bx) + "\" y=\"" + Num(by - 3) + "\" font-size=\"9\">" + Xml(provider) + "</text>\n";
        small_label_end = bx + kSmallLabelCharWidth * static_cast<double>(provider.size()) + 4;
      }
    }
    svg += "</g>\n";
    y += kLane;
  }
  // Axis with five ticks.
  svg += "<g class=\"axis\">\n<line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(y + 6) + "\" x2=\"" + Num(kWidth - kRight) + "\" y2=\"" +
         Num(y + 6) + "\" stroke=\"black\"/>\n";
  for (int i = 0; i <= 5; ++i) {
    const double ms = span * i / 5;
    svg += "<line x1=\"" + Num(x(ms)) + "\" y1=\"" + Num(y + 6) + "\" x2=\"" + Num(x(ms)) + "\" y2=\"" + Num(y + 11) +
           "\" stroke=\"black\"/><text x=\"" + Num(x(ms)) + "\" y=\"" + Num(y + 25) + "\" text-anchor=\"middle\">" + Num(ms) +
           " ms</text>\n";
  }
  svg += "</g>\n</svg>\n";
  return svg;
}
