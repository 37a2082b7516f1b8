#pragma once
// The data plane over TCP on loopback (spec/refimpl/cluster.md): one control
// connection and one connection per data stream. Each frame is its 32-byte
// FrameHeader as it is, then the payload; the sender fills the XXH3-64
// checksum of the payload and the receiver checks it. A control request is
// preceded by a sync frame on every data stream, and the target answers only
// once each stream has been applied up to its sync. A target that rejects a
// frame writes an abort frame with its reason on the control connection before
// it shuts every connection, so that the source can tell the operator why.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "refimpl/core/frame.hpp"
#include "refimpl/transport/channel.hpp"

namespace lmc::ref {

namespace tcp {

inline constexpr std::uint32_t kHelloMagic = 0x484D434C;  // "LCMH"
inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::uint32_t kMaxPayload = 256u << 20;

/// The peer went away (end of stream or reset) rather than sending garbage.
class PeerGone : public TransportError {
 public:
  using TransportError::TransportError;
};

/// The first bytes on every connection: which one it is.
struct Hello {
  std::uint32_t magic = kHelloMagic;
  std::uint16_t version = kVersion;
  std::uint16_t role = 0;  ///< 0 control, 1 data
  std::uint16_t stream = 0;
  std::uint16_t streams = 0;
  std::uint32_t reserved = 0;
};
static_assert(sizeof(Hello) == 16);

enum class Role : std::uint16_t { control = 0, data = 1 };

/// Sends header and payload with one sendmsg (MSG_NOSIGNAL: a closed peer is
/// an error, not a SIGPIPE). A zero checksum is filled in first. Throws
/// TransportError.
void send_frame(int fd, FrameHeader header, std::span<const std::byte> payload);
/// Receives one frame and checks its magic, size and checksum. False on a
/// clean end of stream before a header; TransportError otherwise.
bool receive_frame(int fd, FrameHeader& header, std::vector<std::byte>& payload);
void send_all(int fd, std::span<const std::byte> bytes);
/// False on end of stream before the first byte; TransportError on a short read.
bool receive_all(int fd, std::span<std::byte> bytes);

/// Control requests and replies as frames: control carries the op in
/// page_count and the argument in first_page; a reply carries ok in
/// page_count, the error's length in first_page, and error + data as payload.
FrameHeader control_header(const ControlRequest& request);
ControlRequest control_request(const FrameHeader& header, std::vector<std::byte> payload);
std::vector<std::byte> reply_payload(const Reply& reply, FrameHeader& header);
Reply reply_from(const FrameHeader& header, std::span<const std::byte> payload);
/// The target's last word before it ends a session: kind abort, the reason as payload.
void send_abort(int fd, const std::string& reason);
std::string abort_reason(std::span<const std::byte> payload);

/// Socket timeouts so that a hung peer ends as a TransportError, not a hang.
void set_timeouts(int fd, std::chrono::milliseconds timeout);

}  // namespace tcp

struct TcpOptions {
  /// A send or a reply that takes longer fails the link.
  std::chrono::milliseconds timeout{60000};
  /// After the target closed a connection: how long to wait for the abort
  /// frame with its reason. The target writes it before closing, so it is
  /// there at once unless the target died without one (then EOF ends the wait).
  std::chrono::milliseconds reason_wait{2000};
};

class TcpChannel : public TargetChannel {
 public:
  /// Connects the control connection and `streams` data connections to
  /// 127.0.0.1:port. Throws TransportError when the target is not there.
  static std::unique_ptr<TcpChannel> connect(std::uint16_t port, int streams,
                                             TcpOptions options = {});
  ~TcpChannel() override;
  TcpChannel(const TcpChannel&) = delete;
  TcpChannel& operator=(const TcpChannel&) = delete;

  int streams() const override { return static_cast<int>(streams_.size()); }
  /// Throws TargetRejected when the target refused a frame (its reason),
  /// TransportError for every other failure.
  void send(const FrameHeader& header, std::span<const std::byte> payload) override;
  /// The checksum and the socket both read the payload.
  bool needs_stable_payload() const override { return true; }
  Reply request(const ControlRequest& request) override;
  /// Closes every connection; the target process sees its source go.
  void close();
  /// After the first error every call fails: the link is not trusted again.
  bool broken() const { return broken_.load(); }

 private:
  struct Stream {
    int fd = -1;
    std::mutex mutex;
  };
  TcpChannel() = default;
  template <typename Error>
  [[noreturn]] void fail(const Error& error);
  /// The target went away: fails with its reason when it gave one.
  [[noreturn]] void fail_after_peer_gone(const tcp::PeerGone& error, bool control_locked);
  /// Reads the abort frame the target may have written; needs control_mutex_.
  std::optional<std::string> read_target_reason();
  void check_open() const;

  TcpOptions options_;
  int control_fd_ = -1;
  std::mutex control_mutex_;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::uint64_t requests_ = 0;
  std::atomic<bool> broken_{false};
  std::string why_broken_;
  std::optional<std::string> rejected_;  ///< the target's reason, once it gave one
  mutable std::mutex why_mutex_;
};

}  // namespace lmc::ref
