#include "refimpl/transport/in_process_channel.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace lmc::ref {

InProcessChannel::InProcessChannel(TargetRuntime& target, int streams)
    : target_(target), streams_(streams) {
  if (streams < 1) throw std::invalid_argument("InProcessChannel: streams must be >= 1");
}

void InProcessChannel::send(const FrameHeader& header, std::span<const std::byte> payload) {
  if (header.stream >= streams_) {
    throw TransportError(
        fmt::format("frame on stream {}, the channel has {}", header.stream, streams_));
  }
  if (header.kind == FrameKind::sync) return;
  target_.apply(header, payload);
}

Reply InProcessChannel::request(const ControlRequest& request) {
  return target_.handle(request);
}

}  // namespace lmc::ref
