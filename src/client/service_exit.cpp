#include "mapishut/service_exit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

namespace mapishut {
namespace {

int g_stop_pipe[2] = {-1, -1};  // the handler writes one byte; the stop thread reads it

void OnSigterm(int) {
  const int saved = errno;  // a signal handler must leave errno as it found it
  const char byte = 's';
  (void)!write(g_stop_pipe[1], &byte, 1);  // async-signal-safe; nothing else happens here
  errno = saved;
}

// Extends the service manager's stop timeout every `every` until stopped.
class TimeoutExtender {
 public:
  explicit TimeoutExtender(std::chrono::milliseconds every) : every_(every), thread_([this] { Run(); }) {}
  ~TimeoutExtender() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Run() {
    const std::string extend = "EXTEND_TIMEOUT_USEC=" + std::to_string(2 * std::chrono::microseconds(every_).count());
    std::unique_lock lock(mutex_);
    do {
      (void)NotifyServiceManager(extend);
    } while (!cv_.wait_for(lock, every_, [&] { return done_; }));
  }

  const std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;  // last: started once the rest is ready
};

[[noreturn]] void StopThread(IMAPISession* session, StopOptions options) {
  char byte = 0;
  while (read(g_stop_pipe[0], &byte, 1) != 1) {
    // interrupted: wait again
  }
  (void)NotifyServiceManager("STOPPING=1");
  ExitDecision decision;
  {
    const TimeoutExtender extender(options.extend_every);
    decision = PrepareToExit(session);
  }
  if (options.before_exit) options.before_exit(decision);
  // Fast path: no further MAPI call, not even a Release. Otherwise the normal shutdown already
  // logged off and uninitialized: what was acknowledged is saved, or `lost` says what was not.
  std::_Exit(decision.data_lost ? 1 : 0);
}

}  // namespace

Status InstallStopHandler(IMAPISession* session, StopOptions options) {
  if (session == nullptr) return Status::Invalid("InstallStopHandler: no session");
  if (g_stop_pipe[0] != -1) return Status::Invalid("InstallStopHandler: already installed in this process");
  if (pipe2(g_stop_pipe, O_CLOEXEC) != 0) return Status::IoError(std::string("cannot create the stop pipe: ") + std::strerror(errno));
  struct sigaction action {};
  action.sa_handler = OnSigterm;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (sigaction(SIGTERM, &action, nullptr) != 0) return Status::IoError(std::string("cannot handle SIGTERM: ") + std::strerror(errno));
  try {
    std::thread(StopThread, session, std::move(options)).detach();
  } catch (const std::system_error& e) {
    return Status::IoError(std::string("cannot start the stop thread: ") + e.what());
  }
  return Status::Ok();
}

void RequestStop() { OnSigterm(SIGTERM); }

Status NotifyServiceManager(std::string_view state) {
  const char* path = getenv("NOTIFY_SOCKET");
  if (path == nullptr || *path == '\0') return Status::Ok();
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const size_t length = std::strlen(path);
  if (length >= sizeof address.sun_path) return Status::Invalid(std::string("NOTIFY_SOCKET is too long: ") + path);
  std::memcpy(address.sun_path, path, length);
  if (path[0] == '@') address.sun_path[0] = '\0';  // an abstract socket
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IoError(std::string("cannot create a socket for NOTIFY_SOCKET: ") + std::strerror(errno));
  const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  const ssize_t sent = sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address), size);
  const int error = errno;
  close(fd);
  if (sent < 0) return Status::IoError(std::string("cannot notify ") + path + ": " + std::strerror(error));
  return Status::Ok();
}

}  // namespace mapishut
