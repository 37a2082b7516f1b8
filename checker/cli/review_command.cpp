// lmc review: the design-review document of one configuration. It runs the
// ordinary check (every property's verdict, counterexamples, coverage) and
// the failure catalogue (model/cluster/review/fault_catalogue.hpp: every
// fault kind in every LM phase, what can follow, with the shortest witness
// of each outcome) and writes both as one self-contained HTML file.

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "checker/cli/commands.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/review/fault_catalogue.hpp"
#include "model/cluster/review/review_html.hpp"
#include "model/cluster/traces/trace_file.hpp"

namespace lmc::cli {
namespace {

struct ReviewArgs {
  ClusterSelection cluster;
  std::string output;
  std::string json_file;
  std::string witness_dir;
  std::string svg_file;
  unsigned threads = 1;
  bool quiet = false;
};

/// The preset or configuration fields every trace file of this review has.
TraceFile trace_source(const ReviewArgs& args) {
  TraceFile file;
  if (args.cluster.config_file.empty()) {
    file.preset = args.cluster.preset;
  } else {
    file.config = args.cluster.config_file;
  }
  file.mutant = args.cluster.mutant.empty() ? "none" : args.cluster.mutant;
  return file;
}

std::vector<TraceFile> counterexamples(const cluster::ClusterModel& model,
                                       const CheckResult& result, const TraceFile& source) {
  std::vector<TraceFile> out;
  for (const auto& p : result.properties) {
    if (p.status != PropertyStatus::violated || !p.trace) continue;
    TraceFile file = source;
    file.kind = TraceKind::counterexample;
    file.property = p.name;
    file.steps = steps_of_trace(model, *p.trace);
    out.push_back(std::move(file));
  }
  return out;
}

void print_catalogue(const review::Catalogue& cat) {
  fmt::print("failure catalogue ({} states{}): what can follow each fault kind in each LM phase\n",
             cat.states, cat.complete ? "" : ", INCOMPLETE");
  for (const auto& cell : cat.cells) {
    std::string alone;
    std::string more;
    for (int o = 0; o < review::kOutcomes; ++o) {
      auto& text = cell.witnesses[o] ? alone : more;
      if (!cell.witnesses[o] && !cell.with_more_faults[o]) continue;
      if (!text.empty()) text += ' ';
      text += review::outcome_codes()[o];
    }
    const auto where =
        fmt::format("{} in {}:", cat.fault_kinds[cell.fault], review::lm_phase_names()[cell.phase]);
    if (!cell.enabled) {
      fmt::print("  {:<28} not in this configuration's scope\n", where);
    } else if (alone.empty() && more.empty()) {
      fmt::print("  {:<28} cannot happen\n", where);
    } else {
      fmt::print("  {:<28} {}{}{}\n", where, alone.empty() ? "-" : alone,
                 more.empty() ? "" : "; after a further fault: ", more);
    }
  }
}

std::string catalogue_json(const review::Catalogue& cat, const CheckResult& check) {
  nlohmann::ordered_json j;
  j["states"] = cat.states;
  j["complete"] = cat.complete;
  j["result"] = check.verdict == Verdict::ok          ? "ok"
                : check.verdict == Verdict::violation ? "violation"
                                                      : "incomplete";
  j["cells"] = nlohmann::ordered_json::array();
  for (const auto& cell : cat.cells) {
    nlohmann::ordered_json c;
    c["fault"] = cat.fault_kinds[cell.fault];
    c["phase"] = review::lm_phase_names()[cell.phase];
    c["enabled"] = cell.enabled;
    c["outcomes"] = nlohmann::ordered_json::array();
    for (int o = 0; o < review::kOutcomes; ++o) {
      const auto& witness = cell.witnesses[o] ? cell.witnesses[o] : cell.with_more_faults[o];
      if (!witness) continue;
      c["outcomes"].push_back({{"outcome", review::outcome_codes()[o]},
                               {"description", review::outcome_names()[o]},
                               {"status", review::outcome_statuses()[o]},
                               {"needs_further_fault", !cell.witnesses[o].has_value()},
                               {"witness_steps", witness->steps.size()}});
    }
    j["cells"].push_back(std::move(c));
  }
  return versioned_json("lmc-review", 1, j);
}

/// --witness-dir: each witness as DIR/<fault>-<phase>-<outcome>.json, for
/// lmc replay and lmc validate.
bool write_witnesses(const std::string& dir, const review::Catalogue& cat) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    fmt::print(stderr, "lmc review: error: --witness-dir {}: cannot create it ({})\n", dir,
               error.message());
    return false;
  }
  for (const auto& cell : cat.cells) {
    for (int o = 0; o < review::kOutcomes; ++o) {
      const auto& witness = cell.witnesses[o] ? cell.witnesses[o] : cell.with_more_faults[o];
      if (!witness) continue;
      const auto name =
          review::witness_anchor(cat.fault_kinds[cell.fault], cell.phase, o).substr(2);
      try {
        write_trace_file(std::filesystem::path(dir) / (name + ".json"), *witness);
      } catch (const TraceFileError& e) {
        fmt::print(stderr, "lmc review: error: --witness-dir {}\n", e.what());
        return false;
      }
    }
  }
  return true;
}

int run_review(const ReviewArgs& args) {
  std::string error;
  const auto config = load_cluster_config(args.cluster, error);
  if (!config) {
    fmt::print(stderr, "lmc review: error: {}\n", error);
    return kExitBadInput;
  }
  const auto mutant = cluster::parse_mutant(args.cluster.mutant);
  if (!mutant) {
    fmt::print(stderr,
               "lmc review: error: --mutant {}: no such mutant (see lmc check --list-mutants)\n",
               args.cluster.mutant);
    return kExitBadInput;
  }
  SearchOptions options;
  options.threads = args.threads;
  options.progress_interval_seconds = args.quiet ? 0 : 3;
  const auto check = check_cluster(*config, *mutant, options, PrereqEngine::model);
  const cluster::ClusterModel model(*config, *mutant);
  const auto source = trace_source(args);
  const auto catalogue = review::build_catalogue(model, options, source);
  if (!args.quiet) print_catalogue(catalogue);
  review::ReviewInput input;
  input.source = args.cluster.config_file.empty() ? fmt::format("preset {}", args.cluster.preset)
                                                  : args.cluster.config_file;
  if (!args.cluster.mutant.empty())
    input.source += fmt::format(" with mutant {}", args.cluster.mutant);
  input.version = LMC_VERSION;
  input.config = &*config;
  input.check = &check;
  input.catalogue = &catalogue;
  input.counterexamples = counterexamples(model, check, source);
  if (!write_output_file(args.output, review::review_html(input), "review", "--output")) {
    return kExitBadInput;
  }
  if (!args.json_file.empty() &&
      !write_output_file(args.json_file, catalogue_json(catalogue, check), "review", "--json")) {
    return kExitBadInput;
  }
  if (!args.svg_file.empty() &&
      !write_output_file(args.svg_file,
                         review::catalogue_svg(catalogue, "lmc review: " + input.source), "review",
                         "--svg")) {
    return kExitBadInput;
  }
  if (!args.witness_dir.empty() && !write_witnesses(args.witness_dir, catalogue)) {
    return kExitBadInput;
  }
  if (!args.quiet) {
    fmt::print("review written to {} (result of the check: {})\n", args.output,
               check.verdict == Verdict::ok          ? "ok"
               : check.verdict == Verdict::violation ? "violation"
                                                     : "incomplete");
  }
  if (!catalogue.complete) return exit_code(Verdict::incomplete);
  return exit_code(check.verdict);
}

}  // namespace

void add_review_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReviewArgs>();
  auto* cmd = app.add_subcommand(
      "review",
      "Write the design-review document of a configuration: one self-contained HTML file with "
      "the configuration, the failure catalogue (every fault kind in every LM phase: whether "
      "the LM aborts and rolls back, completes, completes with a warning or is blocked, each "
      "with its shortest run drawn as a sequence chart), every property's verdict, the "
      "counterexamples and the coverage.\n"
      "Exit codes: 0 written and every property holds, 1 written and a property is violated, "
      "2 bad usage or input, 3 incomplete.");
  cmd->add_option("--preset", args->cluster.preset, "A built-in configuration")
      ->capture_default_str();
  cmd->add_option("--config,-c", args->cluster.config_file, "A JSON configuration file");
  cmd->add_option("--mutant", args->cluster.mutant,
                  "Review the configuration with one seeded design bug switched on");
  cmd->add_option("--output,-o", args->output, "The HTML file to write")
      ->required()
      ->check(detail::writable_file());
  cmd->add_option("--json", args->json_file,
                  "Also write the catalogue as JSON (format lmc-review, version 1)")
      ->check(detail::writable_file());
  cmd->add_option("--svg", args->svg_file,
                  "Also draw the failure catalogue (fault kind x LM phase) as one SVG picture")
      ->check(detail::writable_file());
  cmd->add_option("--witness-dir", args->witness_dir,
                  "Also write each witness as a trace file DIR/<fault>-<phase>-<outcome>.json "
                  "(phase 0-3: setup, memory copy, switchover, cleanup; outcome 0-8: aborted "
                  "for a network break, target lost, no resources, no convergence, failed "
                  "resume, source lost; completed; completed with warning; blocked), for lmc "
                  "replay and lmc validate")
      ->check(detail::writable_directory());
  cmd->add_option("--threads", args->threads, "Search threads")->check(CLI::Range(1, 64));
  cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
  cmd->callback([args, &exit_code] { exit_code = run_review(*args); });
}

}  // namespace lmc::cli
