#include "model/cluster/check/cluster_entry.hpp"

#include <fmt/core.h>

#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/cluster_model.hpp"
#include "model/cluster/review/sequence_chart.hpp"
#include "model/cluster/review/svg.hpp"
#include "model/cluster/traces/trace_file.hpp"

namespace lmc {
namespace {

ClusterSelection selection_of(const ParameterValues& values) {
  ClusterSelection selection;
  selection.preset = values.text("preset");
  selection.config_file = values.text("config");
  selection.mutant = values.text("mutant");
  return selection;
}

cluster::Config load_config(const ParameterValues& values) {
  std::string error;
  auto config = load_cluster_config(selection_of(values), error);
  if (!config) throw ModelInputError(error);
  return std::move(*config);
}

cluster::Mutant load_mutant(const ParameterValues& values) {
  const auto& name = values.text("mutant");
  const auto mutant = cluster::parse_mutant(name);
  if (!mutant) {
    throw ModelInputError(fmt::format("--mutant {}: no such mutant (see --list-mutants)", name));
  }
  return *mutant;
}

CheckResult check_entry(const ParameterValues& values, const SearchOptions& options) {
  const auto config = load_config(values);
  const auto mutant = load_mutant(values);
  const auto engine = values.text("prereq") == "z3" ? PrereqEngine::z3 : PrereqEngine::model;
  return check_cluster(config, mutant, options, engine);
}

TraceFile trace_file_for(const cluster::ClusterModel& model, const ParameterValues& values,
                         const PropertyResult& property) {
  TraceFile file;
  if (values.text("config").empty()) {
    file.preset = values.text("preset");
  } else {
    file.config = values.text("config");
  }
  file.mutant = values.text("mutant").empty() ? "none" : values.text("mutant");
  file.property = property.name;
  file.kind =
      property.status == PropertyStatus::reached ? TraceKind::witness : TraceKind::counterexample;
  try {
    file.steps = steps_of_trace(model, *property.trace);
  } catch (const TraceFileError& e) {
    throw ModelInputError(e.what());
  }
  return file;
}

void write_trace(const ParameterValues& values, const PropertyResult& property,
                 const std::string& path) {
  const cluster::ClusterModel model(load_config(values), load_mutant(values));
  const auto file = trace_file_for(model, values, property);
  try {
    write_trace_file(path, file);
  } catch (const TraceFileError& e) {
    throw ModelInputError(e.what());
  }
}

void write_chart(const ParameterValues& values, const PropertyResult& property,
                 const std::string& path) {
  const cluster::ClusterModel model(load_config(values), load_mutant(values));
  const auto file = trace_file_for(model, values, property);
  std::string error;
  if (!review::write_text_file(
          path, review::svg_of_chart(review::chart_of_trace(model.config(), file)), error)) {
    throw ModelInputError(error);
  }
}

}  // namespace

ModelEntry cluster_model_entry() {
  ModelEntry entry;
  entry.name = "cluster";
  entry.summary =
      "the SE server cluster and Live Migration (the default model; --preset NAME or --config "
      "FILE, --mutant NAME, --prereq model|z3)";
  entry.text_parameters = {
      {"preset", "default", "a built-in configuration (see --list-presets)"},
      {"config", "", "a JSON configuration file; wins over the preset"},
      {"mutant", "", "one seeded design bug (see --list-mutants); empty for none"},
      {"prereq", "model", "where LM requests get their P1-P19 verdicts", {"model", "z3"}},
  };
  entry.check = check_entry;
  entry.properties = [](const ParameterValues& values) {
    return cluster_properties(load_config(values));
  };
  entry.has_symmetry = true;
  entry.write_trace = write_trace;
  entry.write_chart = write_chart;
  return entry;
}

}  // namespace lmc
