// The target process: the serve loop behind TCP and the fork that runs it.

#include "refimpl/transport/target_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "refimpl/transport/tcp_channel.hpp"

namespace lmc::ref {
namespace {

constexpr std::chrono::seconds kAcceptTimeout{30};
constexpr std::chrono::seconds kHelloTimeout{5};

/// The connections of one source.
struct Session {
  int control = -1;
  std::vector<int> data;
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() {
    if (control >= 0) ::close(control);
    for (const int fd : data) {
      if (fd >= 0) ::close(fd);
    }
  }
  void shutdown_all() const {
    ::shutdown(control, SHUT_RDWR);
    for (const int fd : data) ::shutdown(fd, SHUT_RDWR);
  }
  /// Makes the close of every data connection a reset. After a shutdown
  /// Linux no longer opens the receive window, so a source blocked in send on
  /// a full window would wait out the FIN-WAIT-2 timeout (a minute or more);
  /// the reset fails that send at once. The control connection keeps its
  /// orderly close: the abort frame on it must arrive.
  void reset_data_on_close() const {
    const linger abortive{1, 0};
    for (const int fd : data) ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  }
};

/// Reads the hello of a fresh connection and files it in the session.
bool file_connection(int fd, int streams, Session& session) {
  tcp::set_timeouts(fd, kHelloTimeout);  // a silent connection must not block the target
  tcp::Hello hello;
  try {
    if (!tcp::receive_all(fd, std::as_writable_bytes(std::span(&hello, 1)))) return false;
  } catch (const TransportError&) {
    return false;
  }
  tcp::set_timeouts(fd, std::chrono::milliseconds(0));  // from now on the source sets the pace
  if (hello.magic != tcp::kHelloMagic || hello.version != tcp::kVersion ||
      hello.streams != streams) {
    return false;
  }
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (hello.role == static_cast<std::uint16_t>(tcp::Role::control) && session.control < 0) {
    session.control = fd;
    return true;
  }
  const bool data = hello.role == static_cast<std::uint16_t>(tcp::Role::data);
  if (data && hello.stream < streams && session.data[hello.stream] < 0) {
    session.data[hello.stream] = fd;
    return true;
  }
  return false;
}

/// Accepts until the control connection and every data stream are there.
bool accept_session(int listen_fd, int streams, Session& session) {
  session.data.assign(static_cast<std::size_t>(streams), -1);
  const auto deadline = std::chrono::steady_clock::now() + kAcceptTimeout;
  for (int missing = streams + 1; missing > 0;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd wait{listen_fd, POLLIN, 0};
    const int ready = ::poll(&wait, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (!file_connection(fd, streams, session)) {
      ::close(fd);
      return false;  // only our source connects here: anything else is a broken session
    }
    --missing;
  }
  return true;
}

/// Writes on the control connection: replies from the control thread, and
/// the abort frame from whichever thread ends the session.
class ControlWriter {
 public:
  explicit ControlWriter(int fd) : fd_(fd) {}
  void reply(const Reply& reply) {
    FrameHeader header;
    const auto payload = tcp::reply_payload(reply, header);
    std::lock_guard lock(mutex_);
    tcp::send_frame(fd_, header, payload);
  }
  /// Best effort: the source may be gone already. A bounded wait, since the
  /// session ends right after.
  void abort(const std::string& reason) {
    const timeval limit{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    std::lock_guard lock(mutex_);
    try {
      tcp::send_abort(fd_, reason);
    } catch (const TransportError&) {
      // nobody to tell
    }
  }

 private:
  int fd_;
  std::mutex mutex_;
};

/// How far each data stream has been applied, and whether the session broke.
class Progress {
 public:
  Progress(int streams, const Session& session, ControlWriter& control)
      : session_(session),
        control_(control),
        synced_(static_cast<std::size_t>(streams), 0),
        ended_(static_cast<std::size_t>(streams), false) {}

  void synced(int stream, std::uint64_t sequence) {
    std::lock_guard lock(mutex_);
    auto& count = synced_[static_cast<std::size_t>(stream)];
    if (sequence != count + 1) throw TransportError("sync frames out of order");
    count = sequence;
    changed_.notify_all();
  }
  void ended(int stream) {
    std::lock_guard lock(mutex_);
    ended_[static_cast<std::size_t>(stream)] = true;
    changed_.notify_all();
  }
  /// A broken session ends at once: every connection is shut so that the
  /// source's next call fails and the other threads stop reading. The reason
  /// goes to the source first: all it sees of the shutdown is EPIPE or a reset.
  void fail(const std::string& why) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || failed_) return;
      // Written before failed_ is set: once the control thread sees it, the
      // session stops and the control connection closes.
      control_.abort(why);
      failed_ = true;
      why_ = why;
      changed_.notify_all();
    }
    session_.reset_data_on_close();
    session_.shutdown_all();
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      changed_.notify_all();
    }
    session_.shutdown_all();
  }
  /// Waits until every stream has applied up to request `sequence`. False
  /// when the session failed or the source went away first.
  bool wait_synced(std::uint64_t sequence) {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (failed_ || stopping_) return false;
      bool all = true;
      for (std::size_t s = 0; s < synced_.size(); ++s) {
        if (synced_[s] >= sequence) continue;
        if (ended_[s]) return false;
        all = false;
      }
      if (all) return true;
      changed_.wait(lock);
    }
  }
  bool failed() {
    std::lock_guard lock(mutex_);
    return failed_;
  }
  std::string why() {
    std::lock_guard lock(mutex_);
    return why_;
  }

 private:
  const Session& session_;
  ControlWriter& control_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::uint64_t> synced_;
  std::vector<bool> ended_;
  bool failed_ = false;
  bool stopping_ = false;
  std::string why_;
};

void apply_stream(int fd, int stream, TargetRuntime& runtime, Progress& progress) {
  FrameHeader header;
  std::vector<std::byte> payload;
  try {
    while (tcp::receive_frame(fd, header, payload)) {
      if (header.stream != stream) {
        throw TransportError(
            fmt::format("a frame for stream {} on stream {}", header.stream, stream));
      }
      if (header.kind == FrameKind::sync) {
        progress.synced(stream, header.first_page);
      } else if (header.kind == FrameKind::control || header.kind == FrameKind::reply) {
        throw TransportError("a control frame on a data stream");
      } else {
        runtime.apply(header, payload);
      }
    }
    progress.ended(stream);
  } catch (const tcp::PeerGone&) {
    progress.ended(stream);
  } catch (const TargetRejected& error) {
    progress.fail(fmt::format("{} (stream {})", error.reason(), stream));
  } catch (const std::exception& error) {
    progress.fail(fmt::format("{} (stream {})", error.what(), stream));
  }
}

/// Answers control requests in order until shutdown or the source goes.
void serve_control(int fd, ControlWriter& writer, TargetRuntime& runtime, Progress& progress) {
  FrameHeader header;
  std::vector<std::byte> payload;
  std::uint64_t sequence = 0;
  try {
    while (tcp::receive_frame(fd, header, payload)) {
      const auto request = tcp::control_request(header, std::move(payload));
      if (!progress.wait_synced(++sequence)) return;
      if (request.op == Control::shutdown) {
        writer.reply(Reply{});
        return;
      }
      Reply reply;
      try {
        reply = runtime.handle(request);
      } catch (const std::exception& error) {
        reply = Reply{false, error.what(), {}};  // the target refuses; the link is fine
      }
      writer.reply(reply);
    }
  } catch (const tcp::PeerGone&) {
    // the source went away
  } catch (const std::exception& error) {
    progress.fail(fmt::format("control: {}", error.what()));
  }
}

int listen_on_loopback(int backlog, std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw TransportError(fmt::format("socket: {}", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;  // any free port
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, backlog) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    const int error = errno;
    ::close(fd);
    throw TransportError(fmt::format("listen on 127.0.0.1: {}", std::strerror(error)));
  }
  port = ntohs(address.sin_port);
  return fd;
}

/// The child keeps only the standard streams and its pipe: a copy of the
/// parent's other descriptors (say, an earlier target's connections) would
/// keep those connections open after the parent closes them.
void close_inherited(int keep) {
  if (keep > 3) ::close_range(3, static_cast<unsigned>(keep - 1), 0);
  ::close_range(static_cast<unsigned>(keep + 1), ~0u, 0);
}

[[noreturn]] void run_child(int report_fd, int streams, TargetFaults faults, pid_t parent) {
  close_inherited(report_fd);
  // The parent decides when the target ends: a Ctrl-C reaches the whole
  // process group and `timeout` signals it too, but the parent must first
  // roll the LM back over this process. It ends on the parent's shutdown,
  // on EOF, or, should the parent die, by the death signal.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(3);  // the parent died before prctl
  int status = 4;
  try {
    std::uint16_t port = 0;
    const int listen_fd = listen_on_loopback(streams + 1, port);
    const bool told = ::write(report_fd, &port, sizeof port) == sizeof port;
    ::close(report_fd);
    if (told) {
      TargetRuntime runtime(faults);
      status = serve_target(listen_fd, streams, runtime);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "lmc target process: %s\n", error.what());
  }
  ::_exit(status);
}

}  // namespace

int serve_target(int listen_fd, int streams, TargetRuntime& runtime) {
  Session session;
  if (!accept_session(listen_fd, streams, session)) return 3;
  ControlWriter control(session.control);
  Progress progress(streams, session, control);
  std::vector<std::thread> appliers;
  for (int s = 0; s < streams; ++s) {
    appliers.emplace_back(apply_stream, session.data[static_cast<std::size_t>(s)], s,
                          std::ref(runtime), std::ref(progress));
  }
  serve_control(session.control, control, runtime, progress);
  const bool failed = progress.failed();
  progress.stop();
  for (auto& thread : appliers) thread.join();
  if (failed) {
    std::fprintf(stderr, "lmc target process: %s\n", progress.why().c_str());
    return 2;
  }
  return 0;
}

TargetProcess spawn_target_process(int streams, TargetFaults faults) {
  if (streams < 1 || streams > 0xFFFF) throw std::invalid_argument("streams must be 1..65535");
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    throw TransportError(fmt::format("pipe: {}", std::strerror(errno)));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(report[0]);
    ::close(report[1]);
    throw TransportError(fmt::format("fork: {}", std::strerror(error)));
  }
  if (pid == 0) run_child(report[1], streams, faults, parent);
  ::close(report[1]);
  TargetProcess process{pid, 0};
  std::uint16_t port = 0;
  ssize_t got = 0;
  do {
    got = ::read(report[0], &port, sizeof port);
  } while (got < 0 && errno == EINTR);
  ::close(report[0]);
  if (got != sizeof port) {
    wait_target_process(process);
    throw TransportError("the target process could not listen on loopback");
  }
  process.port = port;
  return process;
}

int wait_target_process(TargetProcess& process) {
  if (process.pid < 0) return -1;
  int status = 0;
  pid_t done = 0;
  do {
    done = ::waitpid(process.pid, &status, 0);
  } while (done < 0 && errno == EINTR);
  process.pid = -1;
  if (done < 0) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

void kill_target_process(TargetProcess& process) {
  if (process.pid < 0) return;
  ::kill(process.pid, SIGKILL);
  wait_target_process(process);
}

}  // namespace lmc::ref
