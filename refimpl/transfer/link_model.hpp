#pragma once
// The MCNPR link between the two SUs as far as the data plane sees it: a
// bandwidth cap at the ISL-E speeds (1 or 10 Gbit/s) that can be cut.
//
// Virtual clock: every charge moves time by bytes x 8 / bps, so a run's
// timing is exact and reproducible. Real clock: a token bucket; the sender
// sleeps until the link would have carried its bytes. The link is one pipe
// for all streams: their charges queue behind each other.

#include <atomic>
#include <cstdint>
#include <mutex>

#include "refimpl/core/clock.hpp"
#include "refimpl/transport/channel.hpp"

namespace lmc::ref {

inline constexpr double kIsl1Gbit = 1e9;
inline constexpr double kIsl10Gbit = 10e9;

class LinkModel {
 public:
  /// `bits_per_second` 0: uncapped (no time passes on a virtual clock).
  LinkModel(Clock& clock, double bits_per_second);
  /// Takes `bytes` through the link; throws TransportError("link cut") when cut.
  void charge(std::uint64_t bytes);
  void cut() { cut_.store(true); }
  void restore() { cut_.store(false); }
  bool is_cut() const { return cut_.load(); }
  double bits_per_second() const { return bps_; }
  std::uint64_t bytes_charged() const { return bytes_.load(std::memory_order_relaxed); }
  /// While `*stop` is nonzero every charge throws TransportError
  /// ("interrupted"), and a real-clock wait for the link ends within
  /// kStopPollSeconds: an operator's interrupt does not wait for a slow link.
  void stop_when(const std::atomic<int>* stop) { stop_ = stop; }
  static constexpr double kStopPollSeconds = 0.02;

 private:
  bool stopped() const { return stop_ && stop_->load() != 0; }
  void wait_until(double until);

  Clock& clock_;
  double bps_;
  std::atomic<bool> cut_{false};
  const std::atomic<int>* stop_ = nullptr;
  std::atomic<std::uint64_t> bytes_{0};
  std::mutex lock_;        ///< one pipe: charges from several streams queue
  double busy_until_ = 0;  ///< real clock: when the link has carried all it was given
};

/// A channel behind the link model: every frame and request is charged its
/// header and payload bytes before it goes to `inner`. Replies travel the
/// other direction of the full-duplex link and are not charged.
class LinkChannel : public TargetChannel {
 public:
  LinkChannel(TargetChannel& inner, LinkModel& link) : inner_(inner), link_(link) {}
  int streams() const override { return inner_.streams(); }
  void send(const FrameHeader& header, std::span<const std::byte> payload) override;
  bool needs_stable_payload() const override { return inner_.needs_stable_payload(); }
  Reply request(const ControlRequest& request) override;

 private:
  TargetChannel& inner_;
  LinkModel& link_;
};

}  // namespace lmc::ref
