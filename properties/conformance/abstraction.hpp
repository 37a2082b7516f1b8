#pragma once
// The abstraction function of the conformance properties: what the reference
// implementation holds (CM hardware view, CRD files, SU holdings, VM records,
// real guest and target memory, the LM control blocks) mapped into the
// model's State, and the part of State both sides are compared on.
//
// Compared: hardware (MUs, SUs, ISL-E links), the CRD mirrors (failed, stale,
// behind the newest write), the Cluster Manager's role and lease, free memory
// per SU, every VM variable but the environment's write budget, every LM
// variable but the observer's ghost verdicts. Page versions come from the
// bytes of real memory (page_versions.hpp).
//
// Not compared (project() zeroes them on both sides):
//   faults_left, requests_left, writes_left  the test's budgets, not state
//   verdict, stale_read, milestones          ghost variables of the model
//   view_*                                   the heartbeat's observation: the
//       implementation observes inside its heartbeat round, which the driver
//       does not run as a step of its own
//   liveness_expired                         the implementation's liveness
//       is time-based (cluster_driver.hpp)

#include <string>
#include <vector>

#include "model/cluster/state.hpp"
#include "properties/conformance/cluster_driver.hpp"

namespace lmc::ref {

/// Page version that stands for a page that is not one whole version.
inline constexpr std::uint8_t kTornPage = 0xFD;

cluster::State abstract(const ClusterDriver& driver);
cluster::State project(cluster::State state);
/// The compared variables that differ, one line each ("vm[0].owner: 1 vs 0").
std::vector<std::string> differences(const cluster::State& implementation,
                                     const cluster::State& model);

/// I1, I2, I4, I5, I6 and I9 on the implementation's real data: memory
/// bytes, holdings, CRD files. Empty when all hold.
std::vector<std::string> check_real_invariants(const ClusterDriver& driver);

}  // namespace lmc::ref
