#pragma once
// `lmc migrate --svg`: the run of the reference implementation as a message
// sequence chart (model/cluster/review/sequence_chart.hpp), the same picture
// `lmc check --svg` draws of a model trace: the LM's steps between source and
// target in order of time, the consoles' lines, the Cluster Manager's events,
// the faults injected and the request's MONJV at the end.

#include <string>
#include <vector>

#include "checker/cli/migrate_report.hpp"

namespace lmc::cli {

/// One LM event of the run (the kinds `--record` writes) and when it came.
struct TimedStep {
  double time = 0;
  std::string kind;  ///< a name of ClusterModel::action_kinds()
  int unit = 0;
};

std::string migrate_chart_svg(const MigrateRun& run, const std::vector<TimedStep>& steps);

/// `lmc migrate --plot`: the pre-copy rounds (pages sent and left dirty per
/// round, the guest's dirty rate, the downtime each round's end would have
/// cost against the target).
std::string migrate_plot_svg(const MigrateRun& run, double downtime_target_seconds);

}  // namespace lmc::cli
