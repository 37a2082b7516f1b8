#include "checker/cluster_runner.hpp"

#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "checker/check.hpp"
#include "checker/smt/prereq_table.hpp"
#include "model/cluster/cluster_model.hpp"

namespace lmc {

static_assert(Model<cluster::ClusterModel>);

std::optional<cluster::Config> load_cluster_config(const ClusterSelection& selection,
                                                   std::string& error) {
  std::string text;
  std::string source;
  if (!selection.config_file.empty()) {
    std::ifstream in(selection.config_file);
    if (!in) {
      error = fmt::format("{}: cannot open the configuration file", selection.config_file);
      return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
    source = selection.config_file;
  } else {
    const auto preset = cluster::preset_json(selection.preset);
    if (!preset) {
      std::string names;
      for (const auto& n : cluster::preset_names()) names += (names.empty() ? "" : ", ") + n;
      error = fmt::format("--preset {}: no such preset (presets: {})", selection.preset, names);
      return std::nullopt;
    }
    text = *preset;
    source = "preset " + selection.preset;
  }
  cluster::ConfigError config_error;
  auto config = cluster::parse_config(text, source, config_error, selection.limits);
  if (!config) {
    error = config_error.to_string();
    return std::nullopt;
  }
  return config;
}

CheckResult check_cluster(const cluster::Config& config, cluster::Mutant mutant,
                          const SearchOptions& options, PrereqEngine engine) {
  cluster::ClusterModel model(config, mutant);
  if (engine == PrereqEngine::model) return check(model, options);
  const auto table = std::make_shared<const smt::PrereqTable>(model);
  model.set_prerequisite_oracle([table](const cluster::State& state, int vm, int target) {
    return table->lookup(state, vm, target);
  });
  auto result = check(model, options);
  const auto stats = table->stats();
  result.notes.push_back(fmt::format(
      "prerequisites: every request's verdict from Z3: {} distinct fact vectors, {} solver "
      "queries, {:.3f} s in Z3",
      stats.entries, stats.queries, stats.seconds));
  return result;
}

std::vector<PropertyInfo> cluster_properties(const cluster::Config& config) {
  std::vector<PropertyInfo> infos;
  for (const auto& p : cluster::ClusterModel(config, cluster::Mutant::none).properties()) {
    infos.push_back({p.name, std::string(to_string(p.kind)), p.ids});
  }
  infos.push_back({"deadlock", "deadlock", ""});
  return infos;
}

}  // namespace lmc
