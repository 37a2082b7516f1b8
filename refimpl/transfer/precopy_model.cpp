#include "refimpl/transfer/precopy_model.hpp"

#include <cmath>

namespace lmc::ref {

PrecopyPrediction predict_precopy(double m, double b, double d, const PrecopyPolicy& policy) {
  PrecopyPrediction p;
  p.lambda = d / b;
  // Summed round by round rather than by the closed form, which the sum
  // equals for lambda != 1: the same loop then also applies the limits.
  double sent = 0;
  for (int n = 1; n <= policy.max_rounds; ++n) {
    sent += m * std::pow(p.lambda, n - 1);
    const double left = m * std::pow(p.lambda, n);
    if (left / b <= policy.downtime_target_seconds ||
        left / static_cast<double>(kPageSize) < static_cast<double>(policy.min_dirty_pages)) {
      p.converges = true;
      p.rounds = n;
      p.total_bytes = sent + left;
      p.total_seconds = p.total_bytes / b;
      p.downtime_seconds = left / b;
      return p;
    }
    if (sent >= policy.max_sent_factor * m) break;
  }
  return p;
}

}  // namespace lmc::ref
