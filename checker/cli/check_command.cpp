// `lmc check`: explore a built-in model and report on its properties.

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "checker/cli/builtin_models.hpp"
#include "checker/cli/commands.hpp"
#include "checker/engine/model_registry.hpp"
#include "checker/engine/report.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/traces/trace_file.hpp"

namespace lmc::cli {
namespace {

constexpr const char* kDefaultModel = "cluster";

struct CheckArgs {
  std::string model = kDefaultModel;
  std::vector<std::string> params;
  ClusterSelection cluster;
  bool list_mutants = false;
  bool preset_given = false;
  std::string prereq = "model";
  bool list_presets = false;
  bool list_models = false;
  SearchCliArgs search;  ///< what every check has (checker/engine/search_cli.hpp)
  std::string trace_out;
  std::string trace_out_dir;
};

void list_models() {
  fmt::print(
      "cluster  the SE server cluster and Live Migration (default; --preset NAME or "
      "--config FILE, --mutant NAME)\n");
  for (const auto& m : builtin_models()) {
    fmt::print("{}  {}\n", m.name, m.summary);
    for (const auto& p : m.parameters) {
      fmt::print("    --param {}=N  {} (default {}, {}..{})\n", p.name, p.help, p.default_value,
                 p.min_value, p.max_value);
    }
  }
}

int write_reports(const CheckArgs& args, const CheckResult& result) {
  return write_check_reports(args.search, result, "lmc check");
}

void apply_cli_options(CheckArgs& args) {
  apply_search_options(args.search, "lmc check");
}

/// The trace --trace-out writes: the first counterexample (as the text
/// report and --json pick it), else the first reached goal's witness.
const PropertyResult* trace_to_write(const CheckResult& result) {
  if (const auto* failure = first_failure(result); failure && failure->trace) return failure;
  for (const auto& p : result.properties) {
    if (p.status == PropertyStatus::reached && p.trace) return &p;
  }
  return nullptr;
}

TraceFile trace_file_of(const CheckArgs& args, const cluster::ClusterModel& model,
                        const PropertyResult& property) {
  TraceFile file;
  if (args.cluster.config_file.empty()) {
    file.preset = args.cluster.preset;
  } else {
    file.config = args.cluster.config_file;
  }
  file.mutant = args.cluster.mutant.empty() ? "none" : args.cluster.mutant;
  file.property = property.name;
  file.kind =
      property.status == PropertyStatus::reached ? TraceKind::witness : TraceKind::counterexample;
  file.steps = steps_of_trace(model, *property.trace);
  return file;
}

/// --trace-out FILE and --trace-out-dir DIR; false after an error message.
bool write_trace_files(const CheckArgs& args, const cluster::Config& config, cluster::Mutant mutant,
                       const CheckResult& result) {
  if (args.trace_out.empty() && args.trace_out_dir.empty()) return true;
  const cluster::ClusterModel model(config, mutant);
  const char* option = "--trace-out";
  try {
    if (!args.trace_out.empty()) {
      if (const auto* property = trace_to_write(result)) {
        write_trace_file(args.trace_out, trace_file_of(args, model, *property));
      } else {
        fmt::print(stderr,
                   "lmc check: note: no counterexample and no witness, so --trace-out {} was not "
                   "written\n",
                   args.trace_out);
      }
    }
    option = "--trace-out-dir";
    if (!args.trace_out_dir.empty()) {
      std::error_code error;
      std::filesystem::create_directories(args.trace_out_dir, error);
      if (error) {
        throw TraceFileError(fmt::format("{}: cannot create the directory ({})", args.trace_out_dir,
                                         error.message()));
      }
      for (const auto& p : result.properties) {
        const bool counterexample = p.status == PropertyStatus::violated;
        if (!p.trace || !(counterexample || p.status == PropertyStatus::reached)) continue;
        write_trace_file(std::filesystem::path(args.trace_out_dir) / (p.name + ".json"),
                         trace_file_of(args, model, p));
      }
    }
  } catch (const TraceFileError& e) {
    fmt::print(stderr, "lmc check: error: {} {}\n", option, e.what());
    return false;
  }
  return true;
}

int run_cluster(CheckArgs& args) {
  std::string error;
  const auto config = load_cluster_config(args.cluster, error);
  if (!config) {
    fmt::print(stderr, "lmc check: error: {}\n", error);
    return kExitBadInput;
  }
  const auto mutant = cluster::parse_mutant(args.cluster.mutant);
  if (!mutant) {
    fmt::print(stderr, "lmc check: error: --mutant {}: no such mutant (see --list-mutants)\n",
               args.cluster.mutant);
    return kExitBadInput;
  }
  if (args.search.list_properties) {
    for (const auto& p : cluster_properties(*config)) {
      fmt::print("{} {} {}\n", p.name, p.kind, p.ids.empty() ? "-" : p.ids);
    }
    return 0;
  }
  apply_cli_options(args);
  const auto engine = args.prereq == "z3" ? PrereqEngine::z3 : PrereqEngine::model;
  const auto result = check_cluster(*config, *mutant, args.search.options, engine);
  const int code = write_reports(args, result);
  if (!write_trace_files(args, *config, *mutant, result)) return kExitBadInput;
  return code;
}

int run_check(CheckArgs& args) {
  if (args.list_models) {
    list_models();
    return 0;
  }
  if (args.list_mutants) {
    for (const auto& m : cluster::mutant_catalogue()) {
      fmt::print("{} {} (preset {}): {}\n", m.name, m.property, m.preset, m.summary);
    }
    return 0;
  }
  if (args.list_presets) {
    for (const auto& name : cluster::preset_names()) fmt::print("{}\n", name);
    return 0;
  }
  if (args.search.options.symmetry && args.search.strategy == "simulation") {
    fmt::print(stderr,
               "lmc check: error: --symmetry applies to bfs and dfs, which store states; "
               "simulation stores none\n");
    return kExitBadInput;
  }
  if (args.model == "cluster") return run_cluster(args);
  if (!args.cluster.config_file.empty() || !args.cluster.mutant.empty() || args.preset_given ||
      !args.trace_out.empty() || !args.trace_out_dir.empty() || args.search.options.symmetry) {
    fmt::print(stderr,
               "lmc check: error: --preset, --config, --mutant, --trace-out and --symmetry apply "
               "to the cluster model only, not to --model {}\n",
               args.model);
    return kExitBadInput;
  }
  const auto* model = find_model(builtin_models(), args.model);
  if (model == nullptr) {
    fmt::print(stderr, "lmc check: error: --model {}: no such model (see --list-models)\n",
               args.model);
    return kExitBadInput;
  }
  std::string error;
  const auto values = parse_parameters(*model, args.params, error);
  if (!values) {
    fmt::print(stderr, "lmc check: error: {}\n", error);
    return kExitBadInput;
  }
  if (args.search.list_properties) {
    for (const auto& p : model->properties(*values)) {
      fmt::print("{} {} {}\n", p.name, p.kind, p.ids.empty() ? "-" : p.ids);
    }
    return 0;
  }
  apply_cli_options(args);
  return write_reports(args, model->check(*values, args.search.options));
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand(
      "check",
      "Explore a model's state space and check its properties.\n"
      "Properties: 'always' invariants, 'sometimes' goals (never reached = failure), "
      "deadlock freedom, and liveness (from every state satisfying P, a state satisfying Q "
      "stays reachable).\n"
      "Exit codes: 0 all hold, 1 violated, 2 bad usage or input, 3 incomplete.");
  cmd->add_option("--model,-m", args->model, "Built-in model to check (see --list-models)")
      ->capture_default_str();
  cmd->add_option("--param,-p", args->params, "Model parameter NAME=VALUE (repeatable)");
  cmd->add_option("--preset", args->cluster.preset,
                  "Cluster model: a built-in configuration (see --list-presets)")
      ->capture_default_str();
  cmd->add_option("--config,-c", args->cluster.config_file,
                  "Cluster model: a JSON configuration file (see examples/)");
  cmd->add_option("--mutant", args->cluster.mutant,
                  "Cluster model: switch on one seeded design bug (see --list-mutants)");
  cmd->add_flag("--list-mutants", args->list_mutants,
                "List the seeded design bugs: name, the property it must break, its preset");
  cmd->add_flag("--list-presets", args->list_presets, "List the cluster model's presets");
  cmd->add_option("--prereq", args->prereq,
                  "Cluster model: where LM requests get their P1-P19 verdicts: model (the C++ "
                  "check) or z3 (a table Z3 fills before the search)")
      ->check(CLI::IsMember({"model", "z3"}))
      ->capture_default_str();
  cmd->add_flag("--list-models", args->list_models, "List the built-in models and parameters");
  add_search_options(*cmd, args->search,
                     "Cluster model, bfs and dfs: store one state per class of states that "
                     "differ only in the order of a VM's pages (interchangeable). Fewer states, "
                     "the same verdicts; traces are real paths");
  cmd->add_option("--trace-out", args->trace_out,
                  "Cluster model: write the first counterexample, or if there is none the first "
                  "reached goal's witness, as a trace file (format lmc-trace-1; lmc validate "
                  "reads it)");
  cmd->add_option("--trace-out-dir", args->trace_out_dir,
                  "Cluster model: write every counterexample and every reached goal's witness "
                  "as DIR/<property>.json (created if missing)");
  cmd->callback([args, cmd, &exit_code] {
    args->preset_given = cmd->count("--preset") > 0;
    exit_code = run_check(*args);
  });
}

}  // namespace lmc::cli
