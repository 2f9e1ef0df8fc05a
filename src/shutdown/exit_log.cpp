#include "exit_log.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mapishut/result.h"
#include "mapishut/text.h"

namespace mapishut {
namespace {

constexpr size_t kKeptExits = 100;

std::string Hex(std::optional<HRESULT> hr) { return hr ? JsonString(HexCode(*hr)) : "null"; }

std::string Now() {
  char text[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string Millis(std::chrono::nanoseconds d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", std::chrono::duration<double, std::milli>(d).count());
  return text;
}

// `at_ms`: when the call began, from the first call of the record (the exit's timeline).
std::string CallJson(const ProviderCallRecord& c, std::chrono::steady_clock::time_point origin) {
  return "{\"step\": " + JsonString(ShutdownStepName(c.step)) + ", \"at_ms\": " + Millis(c.started - origin) +
         ", \"hr\": " + JsonString(HexCode(c.hr)) +
         ", \"outcome\": " + JsonString(CallOutcomeName(c.outcome)) + ", \"ms\": " + Millis(c.duration) +
         ", \"thread\": " + std::to_string(c.thread_id) + ", \"note\": " + JsonString(c.note) + "}";
}

std::string ProviderJson(const ProviderRecord& p, std::chrono::steady_clock::time_point origin) {
  std::string calls;
  for (const auto& c : p.calls) calls += (calls.empty() ? "" : ", ") + CallJson(c, origin);
  return "{\"session\": " + std::to_string(p.session) + ", \"kind\": " + JsonString(ProviderKindName(p.kind)) +
         ", \"name\": " + JsonString(p.display_name) + ", \"library\": " + JsonString(p.library) +
         ", \"section\": " + JsonString(p.section) +
         ", \"shutdown_interface\": " + (p.has_shutdown_interface ? "true" : "false") + ", \"calls\": [" + calls + "]}";
}

// Whether `line` is one whole JSON object: its braces close exactly at its last character
// (strings and escapes skipped). A line torn mid-write never is, wherever it was cut.
bool IsWholeObject(const std::string& line) {
  if (line.empty() || line.front() != '{') return false;
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1 == line.size();
    }
  }
  return false;
}

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

// Rewrites the log with its last kKeptExits complete lines (temporary file, then rename).
Status Compact(const std::string& path) {
  std::vector<std::string> lines = ReadExitLog(path);
  if (lines.size() > kKeptExits) lines.erase(lines.begin(), lines.end() - kKeptExits);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (const auto& line : lines) out << line << '\n';
    if (!out) return Errno("cannot write", tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("cannot replace", path);
  return Status::Ok();
}

}  // namespace

std::string ExitLogPath() {
  const char* state = getenv("XDG_STATE_HOME");
  if (state != nullptr && state[0] == '/') return std::string(state) + "/mapishut/exits.log";
  const char* home = getenv("HOME");
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.local/state/mapishut/exits.log";
  return {};
}

std::string ExitRecordJson(const ShutdownRecord& r, const char* exit, std::chrono::nanoseconds total) {
  std::string providers, reports;
  auto origin = std::chrono::steady_clock::time_point::max();
  for (const auto& p : r.providers) {
    for (const auto& c : p.calls) origin = std::min(origin, c.started);
  }
  for (const auto& p : r.providers) providers += (providers.empty() ? "" : ", ") + ProviderJson(p, origin);
  for (const auto& line : r.reports) reports += (reports.empty() ? "" : ", ") + JsonString(line);
  return "{\"time\": " + JsonString(Now()) + ", \"pid\": " + std::to_string(getpid()) + ", \"exit\": " + JsonString(exit) +
         ", \"policy\": " + std::to_string(static_cast<unsigned>(r.behavior)) + ", \"policy_source\": " +
         JsonString(r.behavior_source) + ", \"query\": " + Hex(r.query_result) + ", \"notify\": " + Hex(r.notify_result) +
         ", \"do\": " + Hex(r.do_result) + ", \"ended\": " + (r.ended ? "true" : "false") +
         ", \"culprit\": " + JsonString(r.culprit) + ", \"total_ms\": " + Millis(total) + ", \"providers\": [" + providers +
         "], \"reports\": [" + reports + "]}";
}

Status AppendExitRecord(const ShutdownRecord& record, const char* exit, std::chrono::nanoseconds total) {
  const std::string path = ExitLogPath();
  if (path.empty()) return Status::NotFound("no state directory: neither XDG_STATE_HOME nor HOME is set");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Status::IoError("cannot create " + std::filesystem::path(path).parent_path().string() + ": " + ec.message());
  std::string line = ExitRecordJson(record, exit, total) + "\n";
  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot open", path);
  struct stat st {};
  char last = '\n';
  if (::fstat(fd, &st) == 0 && st.st_size > 0 && ::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
    line.insert(line.begin(), '\n');  // a torn line before: ours starts a line of its own
  }
  const ssize_t written = ::write(fd, line.data(), line.size());  // one write; no fsync (see header)
  const int error = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size())) {
    errno = written < 0 ? error : ENOSPC;
    return Errno("cannot append to", path);
  }
  // About twice what is kept: rewrite with the last exits (cheap, and rare).
  if (static_cast<size_t>(st.st_size) + line.size() > 2 * kKeptExits * line.size()) return Compact(path);
  return Status::Ok();
}

std::vector<std::string> ReadExitLog(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = all.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = all.substr(start, end - start);
    if (IsWholeObject(line)) lines.push_back(line);  // a torn line lost its end; its newline was ours
  }
  return lines;
}

}  // namespace mapishut
