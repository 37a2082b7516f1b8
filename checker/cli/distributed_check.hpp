#pragma once
// `lmc check --distributed`, run under mpirun: every rank runs this with the
// same arguments; the ranks search together (checker/engine/distributed_bfs.hpp)
// and rank 0 alone prints and writes the reports.

#include <functional>

#include "checker/engine/result.hpp"
#include "checker/engine/search_cli.hpp"

namespace lmc::cli {

/// What rank 0 writes after the search (the reports, trace files, charts);
/// returns the exit code.
using WriteReports = std::function<int(const CheckResult&)>;
/// Runs `check` with args.options.communicator set to MPI's world, on one
/// thread per rank. Before the search rank 0 writes --json as "incomplete",
/// so that a run whose ranks are killed leaves no stale report. Returns the
/// exit code: 2 when lmc was built without MPI or the options do not apply.
int run_distributed(SearchCliArgs& args,
                    const std::function<CheckResult(const SearchOptions&)>& check,
                    const std::string& model_name, const WriteReports& write_reports);

}  // namespace lmc::cli
