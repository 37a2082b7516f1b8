#include "checker/cli/distributed_check.hpp"

#include <fmt/core.h>

#include <fstream>

#include "checker/cli/rank_stop.hpp"
#include "checker/engine/communicator.hpp"
#include "checker/engine/model_registry.hpp"
#include "checker/engine/report.hpp"
#ifdef LMC_HAVE_MPI
#include "checker/mpi/mpi_communicator.hpp"
#endif

namespace lmc::cli {
namespace {

constexpr const char* kProgram = "lmc check";

#ifdef LMC_HAVE_MPI
/// --json before the search: what a run that never ends should leave.
void write_placeholder_json(const SearchCliArgs& args, const std::string& model_name) {
  if (args.json_file.empty()) return;
  CheckResult result;
  result.model = model_name;
  result.verdict = Verdict::incomplete;
  result.stop_reason =
      "the distributed search has not ended (it is running, or a rank was stopped)";
  result.stats.strategy = Strategy::bfs;
  result.stats.storage = args.options.storage;
  std::ofstream out(args.json_file);
  out << result_to_json(result).dump(2) << "\n";
}
#endif

}  // namespace

int run_distributed(SearchCliArgs& args,
                    const std::function<CheckResult(const SearchOptions&)>& check,
                    const std::string& model_name, const WriteReports& write_reports) {
  if (args.options.strategy != Strategy::bfs) {
    fmt::print(stderr, "{}: error: --distributed searches breadth-first: drop --strategy {}\n",
               kProgram, to_string(args.options.strategy));
    return kExitBadInput;
  }
#ifndef LMC_HAVE_MPI
  (void)check;
  (void)model_name;
  (void)write_reports;
  fmt::print(stderr,
             "{}: error: --distributed: this lmc was built without MPI; install Open MPI (bash "
             "scripts/setup.sh --mpi) and build again\n",
             kProgram);
  return kExitBadInput;
#else
  MpiSession session;
  auto& world = session.world();
  const bool leader = world.rank() == 0;
  install_rank_stop_handler(world.rank(), args.options.checkpoint_dir);
  if (leader && args.options.threads > 1) {
    fmt::print(stderr, "{}: note: --distributed runs one thread per rank; --threads ignored\n",
               kProgram);
  }
  args.options.threads = 1;
  args.options.communicator = &world;
  if (!leader) args.options.progress_interval_seconds = 0;
  if (leader) write_placeholder_json(args, model_name);
  try {
    const auto result = check(args.options);
    return leader ? write_reports(result) : exit_code(result.verdict);
  } catch (const std::exception& e) {
    // Every rank meets the same input errors; a rank that met one alone
    // would leave the others waiting in a collective, so the run is
    // aborted rather than finalized.
    fmt::print(stderr, "{}: error: {}{}\n", kProgram,
               world.size() > 1 ? fmt::format("rank {}: ", world.rank()) : "", e.what());
    if (world.size() > 1) session.abort(kExitBadInput);
    return kExitBadInput;  // alone, no rank waits: MPI is finalized as usual
  }
#endif
}

}  // namespace lmc::cli
