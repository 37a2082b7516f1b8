// The source side of the TCP data plane and the wire helpers both sides use.

#include "refimpl/transport/tcp_channel.hpp"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xxhash.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lmc::ref {

static_assert(std::endian::native == std::endian::little, "frame headers travel as they are");

namespace tcp {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  const int error = errno;
  if (error == EAGAIN || error == EWOULDBLOCK) {
    throw TransportError(fmt::format("{}: timed out", what));
  }
  if (error == ECONNRESET || error == EPIPE || error == ENOTCONN) {
    throw PeerGone(fmt::format("{}: {}", what, std::strerror(error)));
  }
  throw TransportError(fmt::format("{}: {}", what, std::strerror(error)));
}

bool known_kind(FrameKind kind) {
  const auto k = static_cast<std::uint8_t>(kind);
  return k >= static_cast<std::uint8_t>(FrameKind::pages) &&
         k <= static_cast<std::uint8_t>(FrameKind::abort);
}

std::uint64_t checksum(std::span<const std::byte> payload) {
  return XXH3_64bits(payload.data(), payload.size());
}

}  // namespace

void send_all(int fd, std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw_errno("send");
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
}

bool receive_all(int fd, std::span<std::byte> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::recv(fd, bytes.data() + done, bytes.size() - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("receive");
    if (n == 0) {
      if (done == 0) return false;
      throw PeerGone("receive: the peer closed the connection mid-frame");
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void send_frame(int fd, FrameHeader header, std::span<const std::byte> payload) {
  if (payload.size() > kMaxPayload) throw TransportError("send: payload too large");
  header.payload_bytes = static_cast<std::uint32_t>(payload.size());
  if (header.checksum == 0) header.checksum = checksum(payload);
  // Header and payload leave in one call, so a frame is never interleaved.
  iovec parts[2] = {{&header, sizeof header},
                    {const_cast<std::byte*>(payload.data()), payload.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = payload.empty() ? 1 : 2;
  std::size_t left = sizeof header + payload.size();
  while (left > 0) {
    const auto n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw_errno("send");
    left -= static_cast<std::size_t>(n);
    // A partial send: skip what went out and go on with the rest.
    auto sent = static_cast<std::size_t>(n);
    while (sent > 0 && message.msg_iovlen > 0) {
      auto& part = message.msg_iov[0];
      const auto step = std::min(sent, part.iov_len);
      part.iov_base = static_cast<char*>(part.iov_base) + step;
      part.iov_len -= step;
      sent -= step;
      if (part.iov_len == 0) {
        ++message.msg_iov;
        --message.msg_iovlen;
      }
    }
  }
}

bool receive_frame(int fd, FrameHeader& header, std::vector<std::byte>& payload) {
  if (!receive_all(fd, std::as_writable_bytes(std::span(&header, 1)))) return false;
  if (header.magic != kFrameMagic || !known_kind(header.kind)) {
    throw TransportError("receive: not a frame header");
  }
  if (header.payload_bytes > kMaxPayload) throw TransportError("receive: payload too large");
  payload.resize(header.payload_bytes);
  if (!payload.empty() && !receive_all(fd, payload)) {
    throw PeerGone("receive: the peer closed the connection mid-frame");
  }
  if (checksum(payload) != header.checksum) {
    throw TransportError(fmt::format("checksum mismatch in a frame of {} bytes", payload.size()));
  }
  return true;
}

FrameHeader control_header(const ControlRequest& request) {
  FrameHeader header;
  header.kind = FrameKind::control;
  header.page_count = static_cast<std::uint32_t>(request.op);
  header.first_page = request.argument;
  return header;
}

ControlRequest control_request(const FrameHeader& header, std::vector<std::byte> payload) {
  if (header.kind != FrameKind::control || header.page_count == 0 ||
      header.page_count > static_cast<std::uint32_t>(Control::shutdown)) {
    throw TransportError("receive: not a control request");
  }
  return {static_cast<Control>(header.page_count), header.first_page, std::move(payload)};
}

std::vector<std::byte> reply_payload(const Reply& reply, FrameHeader& header) {
  header = FrameHeader{};
  header.kind = FrameKind::reply;
  header.page_count = reply.ok ? 1 : 0;
  header.first_page = reply.error.size();
  const auto error = std::as_bytes(std::span(reply.error.data(), reply.error.size()));
  std::vector<std::byte> payload(error.begin(), error.end());
  payload.insert(payload.end(), reply.data.begin(), reply.data.end());
  return payload;
}

Reply reply_from(const FrameHeader& header, std::span<const std::byte> payload) {
  if (header.kind != FrameKind::reply || header.first_page > payload.size()) {
    throw TransportError("receive: not a reply");
  }
  const auto error_bytes = static_cast<std::size_t>(header.first_page);
  Reply reply;
  reply.ok = header.page_count == 1;
  reply.error.assign(reinterpret_cast<const char*>(payload.data()), error_bytes);
  reply.data.assign(payload.begin() + static_cast<std::ptrdiff_t>(error_bytes), payload.end());
  return reply;
}

void send_abort(int fd, const std::string& reason) {
  FrameHeader header;
  header.kind = FrameKind::abort;
  send_frame(fd, header, std::as_bytes(std::span(reason.data(), reason.size())));
}

std::string abort_reason(std::span<const std::byte> payload) {
  return {reinterpret_cast<const char*>(payload.data()), payload.size()};
}

void set_timeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace tcp

namespace {

int connect_one(std::uint16_t port, tcp::Role role, int stream, int streams,
                std::chrono::milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw TransportError(fmt::format("socket: {}", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd);
    throw TransportError(fmt::format("connect to 127.0.0.1:{}: {}", port, std::strerror(error)));
  }
  // Frames are written whole; sync frames and requests must not wait for Nagle.
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  tcp::set_timeouts(fd, timeout);
  tcp::Hello hello;
  hello.role = static_cast<std::uint16_t>(role);
  hello.stream = static_cast<std::uint16_t>(stream);
  hello.streams = static_cast<std::uint16_t>(streams);
  try {
    tcp::send_all(fd, std::as_bytes(std::span(&hello, 1)));
  } catch (...) {
    ::close(fd);
    throw;
  }
  return fd;
}

}  // namespace

std::unique_ptr<TcpChannel> TcpChannel::connect(std::uint16_t port, int streams,
                                                TcpOptions options) {
  if (streams < 1 || streams > 0xFFFF) throw std::invalid_argument("streams must be 1..65535");
  std::unique_ptr<TcpChannel> channel(new TcpChannel());
  channel->options_ = options;
  channel->control_fd_ = connect_one(port, tcp::Role::control, 0, streams, options.timeout);
  for (int s = 0; s < streams; ++s) {
    auto stream = std::make_unique<Stream>();
    stream->fd = connect_one(port, tcp::Role::data, s, streams, options.timeout);
    channel->streams_.push_back(std::move(stream));
  }
  return channel;
}

TcpChannel::~TcpChannel() {
  if (control_fd_ >= 0) ::close(control_fd_);
  for (auto& stream : streams_) ::close(stream->fd);
}

void TcpChannel::close() {
  broken_ = true;
  {
    std::lock_guard lock(why_mutex_);
    if (why_broken_.empty()) why_broken_ = "the channel was closed";
  }
  // shutdown, not close: another thread may be inside send on the descriptor.
  ::shutdown(control_fd_, SHUT_RDWR);
  for (auto& stream : streams_) ::shutdown(stream->fd, SHUT_RDWR);
}

template <typename Error>
void TcpChannel::fail(const Error& error) {
  {
    std::lock_guard lock(why_mutex_);
    if (why_broken_.empty()) why_broken_ = error.what();
  }
  close();
  throw error;
}

std::optional<std::string> TcpChannel::read_target_reason() {
  {
    // Another stream may have read it already: every stream then fails alike.
    std::lock_guard lock(why_mutex_);
    if (rejected_) return rejected_;
  }
  if (broken_) return std::nullopt;  // our own close: nothing more will arrive
  pollfd wait{control_fd_, POLLIN, 0};
  int ready = 0;
  do {
    ready = ::poll(&wait, 1, static_cast<int>(options_.reason_wait.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return std::nullopt;
  FrameHeader header;
  std::vector<std::byte> payload;
  try {
    if (!tcp::receive_frame(control_fd_, header, payload)) return std::nullopt;
  } catch (const TransportError&) {
    return std::nullopt;  // reset or garbage: the target died without a word
  }
  if (header.kind != FrameKind::abort) return std::nullopt;
  std::lock_guard lock(why_mutex_);
  rejected_ = tcp::abort_reason(payload);
  return rejected_;
}

void TcpChannel::fail_after_peer_gone(const tcp::PeerGone& error, bool control_locked) {
  // A target that rejected a frame wrote why on the control connection before
  // it shut the connections: the EPIPE or reset seen here is only the echo.
  std::unique_lock control(control_mutex_, std::defer_lock);
  if (!control_locked) control.lock();
  if (const auto reason = read_target_reason()) fail(TargetRejected(*reason));
  fail(error);
}

void TcpChannel::check_open() const {
  if (!broken_) return;
  std::lock_guard lock(why_mutex_);
  if (rejected_) throw TargetRejected(*rejected_);
  throw TransportError("the link is down: " + why_broken_);
}

void TcpChannel::send(const FrameHeader& header, std::span<const std::byte> payload) {
  if (header.stream >= streams_.size()) throw std::invalid_argument("no such data stream");
  check_open();
  // A page travels on the stream its header names.
  auto& stream = *streams_[header.stream];
  try {
    std::lock_guard lock(stream.mutex);
    tcp::send_frame(stream.fd, header, payload);
  } catch (const tcp::PeerGone& error) {
    // Without the stream's lock: request() takes the control lock, then the
    // streams' locks, and the reason is read under the control lock.
    fail_after_peer_gone(error, false);
  } catch (const TransportError& error) {
    fail(error);
  }
}

Reply TcpChannel::request(const ControlRequest& request) {
  check_open();
  std::lock_guard lock(control_mutex_);
  try {
    const std::uint64_t sequence = ++requests_;
    for (std::size_t s = 0; s < streams_.size(); ++s) {
      FrameHeader sync;
      sync.kind = FrameKind::sync;
      sync.stream = static_cast<std::uint16_t>(s);
      sync.first_page = sequence;  // the target checks the count
      std::lock_guard stream_lock(streams_[s]->mutex);
      tcp::send_frame(streams_[s]->fd, sync, {});
    }
    tcp::send_frame(control_fd_, tcp::control_header(request), request.data);
    FrameHeader header;
    std::vector<std::byte> payload;
    if (!tcp::receive_frame(control_fd_, header, payload)) {
      throw TransportError("the target closed the control connection");
    }
    if (header.kind == FrameKind::abort) {
      {
        std::lock_guard why(why_mutex_);
        rejected_ = tcp::abort_reason(payload);
      }
      fail(TargetRejected(tcp::abort_reason(payload)));
    }
    return tcp::reply_from(header, payload);
  } catch (const tcp::PeerGone& error) {
    fail_after_peer_gone(error, true);
  } catch (const TargetRejected&) {
    throw;  // failed above already
  } catch (const TransportError& error) {
    fail(error);
  }
}

}  // namespace lmc::ref
