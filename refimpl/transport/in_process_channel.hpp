#pragma once
// The target's data plane in the source's process: a frame is applied by the
// sending thread before send() returns, so a control request always follows
// every frame sent before it. Nothing is copied on the way: the target reads
// the payload where the sender has it (the source's memory for raw pages).

#include "refimpl/transport/channel.hpp"
#include "refimpl/transport/target_runtime.hpp"

namespace lmc::ref {

class InProcessChannel : public TargetChannel {
 public:
  explicit InProcessChannel(TargetRuntime& target, int streams = 1);
  int streams() const override { return streams_; }
  /// Applies a page frame; a sync frame (end of round) needs nothing here.
  void send(const FrameHeader& header, std::span<const std::byte> payload) override;
  Reply request(const ControlRequest& request) override;

 private:
  TargetRuntime& target_;
  int streams_;
};

}  // namespace lmc::ref
