#include "refimpl/transfer/precopy.hpp"

#include <algorithm>
#include <limits>

namespace lmc::ref {

Precopy::Precopy(const GuestMemory& source, DirtyBitmap& dirty, TargetChannel& channel,
                 Clock& clock, Workload* guest, PrecopyPolicy policy, TransferOptions options)
    : source_(source),
      log_(dirty),
      round_set_(dirty.pages()),
      clock_(clock),
      guest_(guest),
      policy_(policy),
      sender_(source, round_set_, channel, options),
      guest_time_(clock.now()) {
  install_hook();
}

void Precopy::set_batch_hook(std::function<void(const PassStats&)> hook) {
  user_hook_ = std::move(hook);
  install_hook();
}

void Precopy::install_hook() {
  // On a virtual clock the guest writes between batches, so the sender must
  // run on this thread; on a real clock only a user hook needs that.
  if (!clock_.is_virtual() && !user_hook_) {
    sender_.set_batch_hook({});
    return;
  }
  sender_.set_batch_hook([this](const PassStats& stats) {
    catch_up_guest();
    if (user_hook_) user_hook_(stats);
  });
}

void Precopy::catch_up_guest() {
  if (guest_ == nullptr || !clock_.is_virtual() || suspended_) return;
  const double now = clock_.now();
  guest_->advance(now - guest_time_);
  guest_time_ = now;
}

RoundReport Precopy::round() {
  if (guest_ != nullptr && !clock_.is_virtual() && !guest_->running()) guest_->start_real_time();
  RoundReport r = run_pass(false);
  verdict_ = decide(r);
  return r;
}

RoundReport Precopy::final_copy() {
  catch_up_guest();  // the writes made up to the suspend
  suspended_ = true;
  if (guest_ != nullptr) guest_->stop();
  return run_pass(true);
}

RoundReport Precopy::run_pass(bool final) {
  catch_up_guest();  // writes while nothing was sent (between rounds)
  RoundReport r;
  r.round = static_cast<int>(rounds_.size());
  r.final_copy = final;
  r.throttle = guest_ != nullptr ? guest_->throttle() : 1.0;
  const double start = clock_.now();
  round_set_.take_from(log_);
  r.pass = sender_.send_dirty();
  catch_up_guest();
  r.seconds = clock_.now() - start;
  r.pages_sent = r.pass.pages;
  r.wire_bytes = r.pass.wire_bytes;
  r.bandwidth_bytes_per_second = r.seconds > 0 ? static_cast<double>(r.wire_bytes) / r.seconds
                                               : std::numeric_limits<double>::infinity();
  r.dirty_left = log_.count() + round_set_.count();
  r.expected_downtime =
      static_cast<double>(r.dirty_left * kPageSize) / r.bandwidth_bytes_per_second;
  bytes_sent_ += r.wire_bytes;
  rounds_.push_back(r);
  return r;
}

PrecopyVerdict Precopy::decide(const RoundReport& r) {
  if (r.dirty_left < policy_.min_dirty_pages ||
      r.expected_downtime <= policy_.downtime_target_seconds) {
    return PrecopyVerdict::stop_and_copy;
  }
  const bool over_limit = static_cast<int>(rounds_.size()) >= policy_.max_rounds ||
                          static_cast<double>(bytes_sent_) >=
                              policy_.max_sent_factor * static_cast<double>(source_.bytes());
  if (!policy_.throttle_instead_of_abort) {
    return over_limit ? PrecopyVerdict::not_converging : PrecopyVerdict::keep_going;
  }
  const bool outpaced = r.dirty_left >= r.pages_sent;
  if (!over_limit && !outpaced) return PrecopyVerdict::keep_going;
  if (guest_ != nullptr && guest_->throttle() > policy_.min_throttle) {
    guest_->set_throttle(
        std::max(policy_.min_throttle, guest_->throttle() * policy_.throttle_step));
    return PrecopyVerdict::keep_going;
  }
  return over_limit ? PrecopyVerdict::stop_and_copy : PrecopyVerdict::keep_going;
}

}  // namespace lmc::ref
