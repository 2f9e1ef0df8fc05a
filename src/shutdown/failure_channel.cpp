#include "failure_channel.h"

#include <mutex>

namespace mapishut {
namespace {

thread_local std::string t_last_error;

std::mutex g_sink_mutex;  // guards g_sink, and makes the sink see one event at a time
std::function<void(const FailureEvent&)> g_sink;

std::string Place(const std::source_location& where) {
  const std::string file = where.file_name();
  const size_t slash = file.find_last_of('/');
  return (slash == std::string::npos ? file : file.substr(slash + 1)) + ":" + std::to_string(where.line());
}

}  // namespace

void PublishFailure(FailureEvent event, std::source_location where) {
  event.where = Place(where);
  std::lock_guard lock(g_sink_mutex);
  if (!g_sink) return;
  try {
    g_sink(event);
  } catch (...) {
    // The sink is the client's code: its failure must not become the subsystem's.
  }
}

HRESULT FailCall(HRESULT hr, std::string step, std::string what, std::source_location where) {
  t_last_error = what;
  PublishFailure(FailureEvent{std::move(what), {}, std::move(step), {}, hr}, where);
  return hr;
}

std::string ThreadLastError() { return t_last_error; }
void ClearThreadLastError() { t_last_error.clear(); }
void SetThreadLastError(std::string what) { t_last_error = std::move(what); }

void SetFailureSink(std::function<void(const FailureEvent&)> sink) {
  std::lock_guard lock(g_sink_mutex);
  g_sink = std::move(sink);
}

}  // namespace mapishut
