#pragma once
// The source's view of the target's data plane. Implementations: the
// in-process channel (a TargetRuntime in the same process) and TCP over
// loopback to a target process; a link model may wrap either.

#include <span>
#include <stdexcept>
#include <string>

#include "refimpl/core/frame.hpp"

namespace lmc::ref {

/// The link failed (cut, peer gone, bad checksum). The LM engine aborts on it.
class TransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The target refused what arrived (a checksum mismatch, a malformed frame)
/// and ended the session. The link carried the bytes: the operator must hear
/// the target's reason, not the socket error the source sees afterwards.
class TargetRejected : public TransportError {
 public:
  explicit TargetRejected(const std::string& reason)
      : TransportError("the target rejected a frame: " + reason), reason_(reason) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

class TargetChannel {
 public:
  virtual ~TargetChannel() = default;
  /// Number of data streams; frames name theirs in header.stream.
  virtual int streams() const = 0;
  /// Sends one frame on header.stream. Safe to call from one thread per
  /// stream at once. Throws TransportError when the link is down.
  virtual void send(const FrameHeader& header, std::span<const std::byte> payload) = 0;
  /// True when send reads the payload more than once (a checksum, then the
  /// copy onto the wire): the bytes must not change during the call, so the
  /// sender hands it a copy of guest pages instead of the live pages. A
  /// channel that reads them once may take live pages: a guest write that
  /// tears the copy also marks the page dirty again, so it goes again.
  virtual bool needs_stable_payload() const { return false; }
  /// Sends a control request and waits for the reply. The target handles it
  /// only after every frame sent before it, on every stream, has been applied.
  /// Throws TransportError when the link is down.
  virtual Reply request(const ControlRequest& request) = 0;
};

}  // namespace lmc::ref
