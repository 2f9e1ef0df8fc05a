#include "exit_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "mapishut/result.h"
#include "mapishut/text.h"

namespace mapishut {
namespace {

constexpr size_t kKeptExits = 100;
// A line is written in pieces of about this size: a record of thousands of providers is never
// built whole in memory (fresh pages for megabytes cost more than the text itself).
constexpr size_t kPiece = 64 * 1024;
// How long an exit waits for another process's exit to finish writing the log before it gives up
// on its record (and says so): much longer than any exit's line takes.
constexpr auto kLockWait = std::chrono::milliseconds(500);

// The line is built in one buffer, appended to in place: a profile of thousands of providers
// writes its record in time linear in the providers, with no temporary string per field.
void AppendHex(std::string* out, std::optional<HRESULT> hr) {
  if (hr) {
    *out += '"';
    AppendHexCode(out, *hr);
    *out += '"';
  } else {
    *out += "null";
  }
}

// A run of fields of a provider's part of the line whose every one has a bounded size (numbers,
// codes, the names of steps, kinds and outcomes, the keys): composed on the stack and appended to
// the line at once. A provider's part is a few appends, not fifty: each append to the line checks
// its room and calls memcpy, which had cost as much as the rest of building it.
class Fields {
 public:
  static constexpr size_t kRoom = 320;  // more than the longest run below (static_assert)
  Fields() = default;
  Fields(const Fields&) = delete;  // at_ points into this object's own text
  Fields& operator=(const Fields&) = delete;

  template <size_t N>
  void Put(const char (&literal)[N]) {
    std::memcpy(at_, literal, N - 1);
    at_ += N - 1;
  }
  // Only the bounded names of steps, kinds and outcomes (kMaxName).
  void PutName(std::string_view name) {
    const size_t n = std::min(name.size(), kMaxName);
    std::memcpy(at_, name.data(), n);
    at_ += n;
  }
  void Number(long long v) { at_ = std::to_chars(at_, at_ + 20, v).ptr; }
  // Milliseconds with three decimals (whole microseconds), without printf's float formatting.
  void Millis(std::chrono::nanoseconds d) {
    long long us = (d.count() + (d.count() < 0 ? -500 : 500)) / 1000;
    if (us < 0) {
      *at_++ = '-';
      us = -us;
    }
    Number(us / 1000);
    *at_++ = '.';
    *at_++ = static_cast<char>('0' + us / 100 % 10);
    *at_++ = static_cast<char>('0' + us / 10 % 10);
    *at_++ = static_cast<char>('0' + us % 10);
  }
  void Hex(HRESULT hr) { at_ = WriteHexCode(at_, hr); }
  void AppendTo(std::string* out) {
    out->append(text_, static_cast<size_t>(at_ - text_));
    at_ = text_;
  }

  static constexpr size_t kMaxName = 32;      // ShutdownStepName, ProviderKindName, CallOutcomeName
  static constexpr size_t kMaxNumber = 21;    // a long long's digits and sign, or Millis's digits, sign, point, fraction
  static constexpr size_t kMaxKeys = 128;     // the literals of the longest run

 private:
  char text_[kRoom];
  char* at_ = text_;
};
// A call's run: its literals, two names, three numbers (two of them times), a code.
static_assert(Fields::kMaxKeys + 2 * Fields::kMaxName + 3 * Fields::kMaxNumber + 10 <= Fields::kRoom);

void AppendNumber(std::string* out, long long v) {
  Fields fields;
  fields.Number(v);
  fields.AppendTo(out);
}

void AppendMillis(std::string* out, std::chrono::nanoseconds d) {
  Fields fields;
  fields.Millis(d);
  fields.AppendTo(out);
}

std::string Now() {
  char text[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// `origin`: the first call of the record; each call's "at_ms" is when it began after that. The
// step, code and outcome need no escape: their quotes are part of the keys' literals.
// A call that succeeded says only when, how long and where: without "hr", "outcome" and "note" a
// reader takes "0x00000000", "succeeded" and "" (docs/OPERATIONS.md). Nearly every call of a fast
// exit is one, and the line of thousands of providers is a third shorter.
void AppendCall(std::string* out, const ProviderCallRecord& c, std::chrono::steady_clock::time_point origin) {
  Fields fields;
  fields.Put("{\"step\": \"");
  fields.PutName(ShutdownStepName(c.step));
  fields.Put("\", \"at_ms\": ");
  fields.Millis(c.started - origin);
  if (c.hr != S_OK || c.outcome != CallOutcome::kSucceeded) {
    fields.Put(", \"hr\": \"");
    fields.Hex(c.hr);
    fields.Put("\", \"outcome\": \"");
    fields.PutName(CallOutcomeName(c.outcome));
    fields.Put("\"");
  }
  fields.Put(", \"ms\": ");
  fields.Millis(c.duration);
  fields.Put(", \"thread\": ");
  fields.Number(static_cast<long long>(c.thread_id));
  if (!c.note.empty()) {
    fields.Put(", \"note\": ");
    fields.AppendTo(out);
    AppendJsonString(out, c.note);
  }
  fields.Put("}");
  fields.AppendTo(out);
}

void AppendProviderNamesJson(std::string* out, std::string_view display_name, std::string_view library,
                             std::string_view section) {
  *out += "\"name\": ";
  AppendJsonString(out, display_name);
  *out += ", \"library\": ";
  AppendJsonString(out, library);
  *out += ", \"section\": ";
  AppendJsonString(out, section);
}

void AppendProvider(std::string* out, const ProviderRecord& p, std::chrono::steady_clock::time_point origin) {
  Fields fields;
  fields.Put("{\"session\": ");
  fields.Number(p.session);
  fields.Put(", \"kind\": \"");
  fields.PutName(ProviderKindName(p.kind));
  fields.Put("\", ");
  fields.AppendTo(out);
  const ProviderNames& names = *p.names;
  if (!names.json.empty()) {
    *out += names.json;
  } else {
    AppendProviderNamesJson(out, names.display_name, names.library, names.section);  // built by hand
  }
  *out += p.has_shutdown_interface ? ", \"shutdown_interface\": true, \"calls\": [" : ", \"shutdown_interface\": false, \"calls\": [";
  for (size_t i = 0; i < p.calls.size(); ++i) {
    if (i) *out += ", ";
    AppendCall(out, p.calls[i], origin);
  }
  *out += "]}";
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

// Whether the open log `fd` of `size` bytes holds more than `lines` lines, counted backwards
// from its end and reading at most `budget` bytes: false when the budget ends first. Behind a
// record of megabytes (an exit of thousands of providers) a small exit reads only its own
// share, not the whole log; once enough small lines follow the big one, they are found within
// the budget, and the rewrite drops it.
bool HoldsMoreLinesThan(int fd, off_t size, size_t lines, size_t budget) {
  std::vector<char> buffer(64 * 1024);
  size_t seen = 0;
  for (off_t end = size; end > 0 && budget > 0;) {
    const size_t want = std::min({buffer.size(), static_cast<size_t>(end), budget});
    const ssize_t n = ::pread(fd, buffer.data(), want, end - static_cast<off_t>(want));
    if (n <= 0) return false;
    seen += static_cast<size_t>(std::count(buffer.data(), buffer.data() + n, '\n'));
    if (seen > lines) return true;
    end -= n;
    budget -= static_cast<size_t>(n);
  }
  return false;
}

// The whole lines of `text` (a torn line lost its end; its newline was ours).
std::vector<std::string> WholeLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = text.substr(start, end - start);
    if (IsWholeObject(line)) lines.push_back(std::move(line));
  }
  return lines;
}

// Rewrites the log, open and locked as `fd`, with its last kKeptExits complete lines (temporary
// file, then rename). It reads through `fd`: a log that cannot be read whole is left as it is,
// never replaced by what could be read.
Status Compact(int fd, const std::string& path) {
  std::string text;
  if (::lseek(fd, 0, SEEK_SET) != 0 || !ReadAll(fd, &text)) return Errno("cannot read", path);
  std::vector<std::string> lines = WholeLines(text);
  if (lines.size() > kKeptExits) lines.erase(lines.begin(), lines.end() - kKeptExits);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (const auto& line : lines) out << line << '\n';
    out.flush();
    if (!out) {
      const Status failed = Status::IoError("cannot write " + tmp);
      ::unlink(tmp.c_str());
      return failed;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const Status failed = Errno("cannot replace", path);
    ::unlink(tmp.c_str());
    return failed;
  }
  return Status::Ok();
}

}  // namespace

std::string ProviderNamesJson(std::string_view display_name, std::string_view library, std::string_view section) {
  std::string json;
  json.reserve(display_name.size() + library.size() + section.size() + 40);
  AppendProviderNamesJson(&json, display_name, library, section);
  return json;
}

std::string ExitLogPath() {
  const char* state = getenv("XDG_STATE_HOME");
  if (state != nullptr && state[0] == '/') return std::string(state) + "/mapishut/exits.log";
  const char* home = getenv("HOME");
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.local/state/mapishut/exits.log";
  return {};
}

namespace {

// Builds the line into *out (no newline). `spill` takes what is built so far between two
// providers, once it is kPiece bytes or more, and *out is emptied; false stops the build.
template <typename Spill>
bool BuildExitRecord(const ShutdownRecord& r, const char* exit, std::chrono::nanoseconds total, std::string* out, Spill spill) {
  auto origin = std::chrono::steady_clock::time_point::max();
  for (const auto& p : r.providers) {
    for (const auto& c : p.calls) origin = std::min(origin, c.started);
  }
  *out += "{\"time\": ";
  AppendJsonString(out, Now());
  *out += ", \"pid\": ";
  AppendNumber(out, getpid());
  *out += ", \"exit\": ";
  AppendJsonString(out, exit);
  *out += ", \"policy\": ";
  AppendNumber(out, static_cast<unsigned>(r.behavior));
  *out += ", \"policy_source\": ";
  AppendJsonString(out, r.behavior_source);
  *out += ", \"query\": ";
  AppendHex(out, r.query_result);
  *out += ", \"notify\": ";
  AppendHex(out, r.notify_result);
  *out += ", \"do\": ";
  AppendHex(out, r.do_result);
  *out += ", \"ended\": ";
  *out += r.ended ? "true" : "false";
  *out += ", \"culprit\": ";
  AppendJsonString(out, r.culprit);
  *out += ", \"total_ms\": ";
  AppendMillis(out, total);
  *out += ", \"providers\": [";
  for (size_t i = 0; i < r.providers.size(); ++i) {
    if (out->size() >= kPiece) {
      if (!spill(*out)) return false;
      out->clear();
    }
    if (i) *out += ", ";
    AppendProvider(out, r.providers[i], origin);
  }
  *out += "], \"reports\": [";
  for (size_t i = 0; i < r.reports.size(); ++i) {
    if (i) *out += ", ";
    AppendJsonString(out, r.reports[i]);
  }
  *out += "]}";
  return true;
}

// The log opened for appending and locked (flock, exclusive), or -1 with errno set. A line is
// written in several pieces, and a rewrite replaces the file: whoever holds the lock is the only
// one writing. A file replaced while this process waited for its lock is opened again.
int OpenLocked(const std::string& path) {
  const auto give_up = std::chrono::steady_clock::now() + kLockWait;
  while (true) {
    const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    // Not an unbounded wait: the lock's holder may be a stopped process, and a fast exit waits
    // for this record.
    int rc;
    while ((rc = ::flock(fd, LOCK_EX | LOCK_NB)) != 0 && (errno == EINTR || errno == EWOULDBLOCK) &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    struct stat held {}, named {};
    if (rc == 0 && ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
        held.st_dev == named.st_dev) {
      return fd;
    }
    const int error = errno;
    ::close(fd);
    if (rc != 0) {
      errno = error;
      return -1;
    }
  }
}

}  // namespace

Status AppendExitRecord(const ShutdownRecord& record, const char* exit, std::chrono::nanoseconds total) {
  const std::string path = ExitLogPath();
  if (path.empty()) return Status::NotFound("no state directory: neither XDG_STATE_HOME nor HOME is set");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Status::IoError("cannot create " + std::filesystem::path(path).parent_path().string() + ": " + ec.message());
  const int fd = OpenLocked(path);
  if (fd < 0 && errno == EWOULDBLOCK) {
    return Status::IoError("another process has held the lock on " + path + " for over " +
                           std::to_string(kLockWait.count()) + " ms; this exit's record was not written");
  }
  if (fd < 0) return Errno("cannot open", path);
  std::string piece;  // one buffer, reused for every piece: it grows to about kPiece once
  struct stat st {};
  char last = '\n';
  if (::fstat(fd, &st) == 0 && st.st_size > 0 && ::pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n') {
    piece += '\n';  // a torn line before: ours starts a line of its own
  }
  size_t written = 0;
  const auto spill = [&](const std::string& built) {
    written += built.size();
    return WriteAll(fd, built);
  };
  bool ok = BuildExitRecord(record, exit, total, &piece, spill);
  if (ok) {
    piece += '\n';
    ok = spill(piece);
  }
  if (!ok) {
    const Status failed = Errno("cannot append to", path);
    ::close(fd);
    return failed;
  }
  // Twice what is kept: rewrite with the last exits (rare). The size says when it may be time,
  // the lines say whether it is: one huge record (thousands of providers) must not make every
  // later, smaller exit rewrite the whole log. Still locked: no other exit appends to the file
  // being replaced, nor rewrites it at the same time.
  Status s = Status::Ok();
  const auto size = static_cast<off_t>(st.st_size + written);
  if (static_cast<size_t>(size) > 2 * kKeptExits * written &&
      HoldsMoreLinesThan(fd, size, 2 * kKeptExits, 4 * kKeptExits * written)) {
    s = Compact(fd, path);
  }
  ::close(fd);  // and the lock with it
  return s;
}

std::vector<std::string> ReadExitLog(const std::string& path) {
  std::string text;
  (void)ReadFile(path, &text);  // what could be read: a reader shows what is there
  return WholeLines(text);
}

}  // namespace mapishut
