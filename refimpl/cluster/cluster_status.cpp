#include "refimpl/cluster/cluster_status.hpp"

#include <algorithm>

namespace lmc::ref {
namespace {

bool all(const std::vector<bool>& bits) {
  return std::all_of(bits.begin(), bits.end(), [](bool b) { return b; });
}

bool any(const std::vector<bool>& bits) {
  return std::any_of(bits.begin(), bits.end(), [](bool b) { return b; });
}

}  // namespace

std::string to_string(ClusterStatus status) {
  switch (status) {
    case ClusterStatus::normal:
      return "NORMAL";
    case ClusterStatus::warning:
      return "WARNING";
    case ClusterStatus::error:
      return "ERROR";
    case ClusterStatus::inactive:
      return "INACTIVE";
  }
  return "?";
}

std::string to_string(Weight weight) {
  switch (weight) {
    case Weight::notice:
      return "NOTICE";
    case Weight::warning:
      return "WARNING";
    case Weight::error:
      return "ERROR";
  }
  return "?";
}

std::string to_string(Heartbeat heartbeat) {
  return heartbeat == Heartbeat::normal ? "NORMAL" : "NOT_ACCESSIBLE";
}

Weight weight_of(ClusterStatus status) {
  switch (status) {
    case ClusterStatus::error:
      return Weight::error;
    case ClusterStatus::warning:
      return Weight::warning;
    default:
      return Weight::notice;
  }
}

ClusterStatus management_status(const cluster::Config& config, const HeartbeatView& view) {
  // Without MCNPR across the servers there is no common administration: the
  // management cluster's function is not fulfilled (H2, H4).
  const bool split = config.servers.size() == 2 && !view.isl.empty() && !any(view.isl);
  if (split) return ClusterStatus::error;
  if (!all(view.mu) || !all(view.isl) || view.crd_degraded) return ClusterStatus::warning;
  return ClusterStatus::normal;
}

ClusterStatus su_cluster_status(const cluster::Config& config, const HeartbeatView& view,
                                int cluster, bool active) {
  if (!active) return ClusterStatus::inactive;
  const auto& pair = config.su_clusters.at(static_cast<std::size_t>(cluster));
  const auto a = static_cast<std::size_t>(pair.su_a);
  const auto b = static_cast<std::size_t>(pair.su_b);
  if (!view.su.at(a) || !view.su.at(b)) return ClusterStatus::error;  // LM impossible
  const bool across = config.sus[a].server != config.sus[b].server;
  if (view.crd_degraded || (across && !all(view.isl))) return ClusterStatus::warning;
  // An SU /390 reaches the CRD (REWAS) and its SVP console only through MUs:
  // a missing MU is lost redundancy for its cluster (WP §2.3.3's example).
  if (config.sus[a].arch == cluster::Arch::s390 && !all(view.mu)) return ClusterStatus::warning;
  return ClusterStatus::normal;
}

}  // namespace lmc::ref
