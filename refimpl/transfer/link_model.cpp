#include "refimpl/transfer/link_model.hpp"

#include <algorithm>

namespace lmc::ref {
namespace {

// Real clock: how far the link may fall behind its schedule and catch up in
// a burst. Sleeps overshoot by tens of microseconds; without this credit each
// overshoot would be lost bandwidth.
constexpr double kBurstSeconds = 0.002;

}  // namespace

LinkModel::LinkModel(Clock& clock, double bits_per_second) : clock_(clock), bps_(bits_per_second) {}

void LinkModel::charge(std::uint64_t bytes) {
  if (cut_.load()) throw TransportError("link cut");
  if (stopped()) throw TransportError("interrupted");
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
  if (bps_ <= 0) return;
  const double seconds = static_cast<double>(bytes) * 8.0 / bps_;
  if (clock_.is_virtual()) {
    std::lock_guard guard(lock_);
    clock_.pass(seconds);
    return;
  }
  double until;
  {
    std::lock_guard guard(lock_);
    busy_until_ = std::max(busy_until_, clock_.now() - kBurstSeconds) + seconds;
    until = busy_until_;
  }
  wait_until(until);
  if (cut_.load()) throw TransportError("link cut");
  if (stopped()) throw TransportError("interrupted");
}

void LinkModel::wait_until(double until) {
  if (!stop_) {
    clock_.pass_until(until);
    return;
  }
  while (!stopped() && clock_.now() < until) {
    clock_.pass(std::min(kStopPollSeconds, until - clock_.now()));
  }
}

void LinkChannel::send(const FrameHeader& header, std::span<const std::byte> payload) {
  link_.charge(sizeof(FrameHeader) + payload.size());
  inner_.send(header, payload);
}

Reply LinkChannel::request(const ControlRequest& request) {
  link_.charge(sizeof(FrameHeader) + request.data.size());
  return inner_.request(request);
}

}  // namespace lmc::ref
