// `lmc check`: explore a built-in model and report on its properties.

#include <fmt/core.h>
#include <fmt/ostream.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "checker/cli/builtin_models.hpp"
#include "checker/cli/commands.hpp"
#include "checker/cli/distributed_check.hpp"
#include "checker/cli/interrupts.hpp"
#include "checker/engine/model_registry.hpp"
#include "checker/engine/report.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/config/config.hpp"
#include "model/cluster/mutants.hpp"

namespace lmc::cli {
namespace {

constexpr const char* kDefaultModel = "cluster";

struct CheckArgs {
  std::string model = kDefaultModel;
  std::vector<std::string> params;
  /// The cluster model's shorthands, each a --param of the same name; only
  /// the ones the user gave (their defaults are the parameters' own).
  std::vector<std::pair<std::string, std::string>> shorthands;
  std::string preset, config_file, mutant, prereq;
  bool list_mutants = false;
  bool list_presets = false;
  bool list_models = false;
  SearchCliArgs search;  ///< what every check has (checker/engine/search_cli.hpp)
  std::string trace_out;
  std::string trace_out_dir;
  std::string svg_file;
  bool distributed = false;
};

void list_models() {
  for (const auto& m : builtin_models()) {
    fmt::print("{}  {}\n", m.name, m.summary);
    for (const auto& line : describe_parameters(m)) fmt::print("    {}\n", line);
  }
}

bool has_text_parameter(const ModelEntry& model, const std::string& name) {
  for (const auto& p : model.text_parameters) {
    if (p.name == name) return true;
  }
  return false;
}

/// --preset X and the like as --param preset=X; false after an error
/// message when the model has no such parameter.
bool add_shorthands(const CheckArgs& args, const ModelEntry& model,
                    std::vector<std::string>& settings) {
  for (const auto& [name, value] : args.shorthands) {
    if (!has_text_parameter(model, name)) {
      fmt::print(stderr,
                 "lmc check: error: --{} applies to a model with a '{}' parameter (cluster), not "
                 "to --model {}\n",
                 name, name, model.name);
      return false;
    }
    settings.push_back(name + "=" + value);
  }
  return true;
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

/// --trace-out FILE and --trace-out-dir DIR in the model's trace format;
/// false after an error message.
bool write_trace_files(const CheckArgs& args, const ModelEntry& model,
                       const ParameterValues& values, const CheckResult& result) {
  const char* option = "--trace-out";
  try {
    if (!args.trace_out.empty()) {
      if (const auto* property = trace_to_write(result)) {
        model.write_trace(values, *property, args.trace_out);
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
        throw ModelInputError(fmt::format("{}: cannot create the directory ({})",
                                          args.trace_out_dir, error.message()));
      }
      for (const auto& p : result.properties) {
        const bool counterexample = p.status == PropertyStatus::violated;
        if (!p.trace || !(counterexample || p.status == PropertyStatus::reached)) continue;
        model.write_trace(
            values, p, (std::filesystem::path(args.trace_out_dir) / (p.name + ".json")).string());
      }
    }
  } catch (const ModelInputError& e) {
    fmt::print(stderr, "lmc check: error: {} {}\n", option, e.what());
    return false;
  }
  return true;
}

/// --svg FILE: the trace --trace-out would write, as a sequence chart;
/// false after an error message.
bool write_chart_file(const CheckArgs& args, const ModelEntry& model, const ParameterValues& values,
                      const CheckResult& result) {
  if (args.svg_file.empty()) return true;
  const auto* property = trace_to_write(result);
  if (property == nullptr) {
    fmt::print(stderr,
               "lmc check: note: no counterexample and no witness, so --svg {} was not written\n",
               args.svg_file);
    return true;
  }
  try {
    model.write_chart(values, *property, args.svg_file);
  } catch (const ModelInputError& e) {
    fmt::print(stderr, "lmc check: error: --svg {}\n", e.what());
    return false;
  }
  return true;
}

/// What the chosen model cannot do with the options given; empty when
/// nothing is amiss.
std::string unsupported_options(const CheckArgs& args, const ModelEntry& model) {
  if (args.search.options.symmetry && args.search.strategy == "simulation") {
    return "--symmetry applies to bfs and dfs, which store states; simulation stores none";
  }
  if (args.search.options.symmetry && !model.has_symmetry) {
    return fmt::format("--symmetry: model '{}' declares no symmetry", model.name);
  }
  if (!args.svg_file.empty() && !model.write_chart) {
    return fmt::format("--svg: model '{}' has no chart of its traces", model.name);
  }
  if ((!args.trace_out.empty() || !args.trace_out_dir.empty()) && !model.write_trace) {
    return fmt::format("--trace-out and --trace-out-dir: model '{}' has no trace file format",
                       model.name);
  }
  return {};
}

int run_model(CheckArgs& args, const ModelEntry& model) {
  if (const auto problem = unsupported_options(args, model); !problem.empty()) {
    fmt::print(stderr, "lmc check: error: {}\n", problem);
    return kExitBadInput;
  }
  auto settings = args.params;
  if (!add_shorthands(args, model, settings)) return kExitBadInput;
  std::string error;
  const auto values = parse_parameters(model, settings, error);
  if (!values) {
    fmt::print(stderr, "lmc check: error: {}\n", error);
    return kExitBadInput;
  }
  try {
    if (args.search.list_properties) {
      for (const auto& p : model.properties(*values)) {
        fmt::print("{} {} {}\n", p.name, p.kind, p.ids.empty() ? "-" : p.ids);
      }
      return 0;
    }
    args.search.tool_version = LMC_VERSION;
    apply_search_options(args.search, "lmc check");
    auto write_reports = [&](const CheckResult& result) {
      const int code = write_check_reports(args.search, result, "lmc check");
      if (!write_trace_files(args, model, *values, result)) return kExitBadInput;
      if (!write_chart_file(args, model, *values, result)) return kExitBadInput;
      return code;
    };
    if (args.distributed) {
      return run_distributed(
          args.search, [&](const SearchOptions& options) { return model.check(*values, options); },
          model.name, write_reports);
    }
    // With checkpoints, the first SIGINT/SIGTERM asks for one and a stop at
    // the next level; a second ends the process at once.
    std::optional<InterruptScope> interrupts;
    if (!args.search.options.checkpoint_dir.empty()) {
      interrupts.emplace();
      args.search.options.interrupt = &interrupts->signal();
    }
    return write_reports(model.check(*values, args.search.options));
  } catch (const ModelInputError& e) {
    fmt::print(stderr, "lmc check: error: {}\n", e.what());
    return kExitBadInput;
  } catch (const CheckpointError& e) {
    fmt::print(stderr, "lmc check: error: {}\n", e.what());
    return kExitBadInput;
  } catch (const DistributedSearchError& e) {
    fmt::print(stderr, "lmc check: error: {}\n", e.what());
    return kExitBadInput;
  }
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
  const auto* model = find_model(builtin_models(), args.model);
  if (model == nullptr) {
    fmt::print(stderr, "lmc check: error: --model {}: no such model (see --list-models)\n",
               args.model);
    return kExitBadInput;
  }
  return run_model(args, *model);
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
  cmd->add_option("--preset", args->preset,
                  "Cluster model: a built-in configuration (see --list-presets; default "
                  "'default'); short for --param preset=NAME");
  cmd->add_option("--config,-c", args->config_file,
                  "Cluster model: a JSON configuration file (see examples/); short for --param "
                  "config=FILE");
  cmd->add_option("--mutant", args->mutant,
                  "Cluster model: switch on one seeded design bug (see --list-mutants)");
  cmd->add_flag("--list-mutants", args->list_mutants,
                "List the seeded design bugs: name, the property it must break, its preset");
  cmd->add_flag("--list-presets", args->list_presets, "List the cluster model's presets");
  cmd->add_option("--prereq", args->prereq,
                  "Cluster model: where LM requests get their P1-P19 verdicts: model (the C++ "
                  "check, the default) or z3 (a table Z3 fills before the search)")
      ->check(CLI::IsMember({"model", "z3"}));
  cmd->add_flag("--list-models", args->list_models, "List the built-in models and parameters");
  add_search_options(*cmd, args->search,
                     "Cluster model, bfs and dfs: store one state per class of states that "
                     "differ only in the order of a VM's pages (interchangeable). Fewer states, "
                     "the same verdicts; traces are real paths");
  cmd->add_option("--trace-out", args->trace_out,
                  "Cluster model: write the first counterexample, or if there is none the first "
                  "reached goal's witness, as a trace file (format lmc-trace-1; lmc validate "
                  "reads it)")
      ->check(detail::writable_file());
  cmd->add_option("--trace-out-dir", args->trace_out_dir,
                  "Cluster model: write every counterexample and every reached goal's witness "
                  "as DIR/<property>.json (created if missing)")
      ->check(detail::writable_directory());
  cmd->add_flag("--distributed", args->distributed,
                "Search over the ranks of an MPI run: mpirun -np N lmc check --distributed ... "
                "Each rank owns the states whose hash falls in its part and sends successors to "
                "their owners in batches; counts, verdicts and shortest counterexamples are "
                "those of one process. bfs only, one thread per rank; rank 0 prints and writes "
                "the reports (with per-rank figures); liveness gathers the explored graph on "
                "rank 0 (--no-liveness for scopes beyond one machine). When a rank dies the "
                "others end at once, result incomplete, exit 3, and mpirun exits with the dead "
                "rank's status, never 0; --checkpoint DIR and --resume DIR resume the run on "
                "as many ranks");
  cmd->add_option("--svg", args->svg_file,
                  "Cluster model: draw the trace --trace-out would write (the first "
                  "counterexample, else the first reached goal's witness) as an SVG message "
                  "sequence chart: one lifeline per SU, guest, Cluster Manager and the CRD; LM "
                  "steps as arrows, console lines as notes, faults marked, the verdict last")
      ->check(detail::writable_file());
  cmd->callback([args, cmd, &exit_code] {
    const std::pair<const char*, const std::string*> shorthands[] = {{"preset", &args->preset},
                                                                     {"config", &args->config_file},
                                                                     {"mutant", &args->mutant},
                                                                     {"prereq", &args->prereq}};
    for (const auto& [name, value] : shorthands) {
      if (cmd->count(std::string("--") + name) > 0) args->shorthands.emplace_back(name, *value);
    }
    exit_code = run_check(*args);
  });
}

}  // namespace lmc::cli
