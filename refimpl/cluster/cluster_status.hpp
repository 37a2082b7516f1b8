#pragma once
// Cluster status (shared/domain.md M3) computed from what the Cluster Manager's
// last heartbeat round saw. The rules are the model's (spec/cluster/rules.md),
// written again here so that the two can be compared.

#include <string>
#include <vector>

#include "model/cluster/config/config.hpp"

namespace lmc::ref {

enum class Heartbeat { normal, not_accessible };
enum class ClusterStatus { normal, warning, error, inactive };
enum class Weight { notice, warning, error };

std::string to_string(ClusterStatus status);  ///< NORMAL, WARNING, ERROR, INACTIVE
std::string to_string(Weight weight);         ///< NOTICE, WARNING, ERROR
std::string to_string(Heartbeat heartbeat);   ///< NORMAL, NOT_ACCESSIBLE

/// What one heartbeat round found (H3): which units answered, which ISL-E
/// links are up, whether a configuration disk is failed or stale.
struct HeartbeatView {
  std::vector<bool> mu;
  std::vector<bool> su;
  std::vector<bool> isl;
  bool crd_degraded = false;
};

/// ERROR when the two servers are split (no ISL-E link); WARNING when an MU
/// does not answer, an ISL-E link is down or the CRD lost a mirror.
ClusterStatus management_status(const cluster::Config& config, const HeartbeatView& view);
/// INACTIVE when switched off by the administrator; ERROR when one of its SUs
/// does not answer (LM impossible); WARNING when the CRD lost a mirror, an
/// ISL-E link between its servers is down, or (SU /390, which reaches the CRD
/// and its console through MUs) an MU does not answer.
ClusterStatus su_cluster_status(const cluster::Config& config, const HeartbeatView& view,
                                int cluster, bool active);

/// The weight of the event that reports a change to `status`.
Weight weight_of(ClusterStatus status);

}  // namespace lmc::ref
