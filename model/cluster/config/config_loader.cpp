#include "model/cluster/config/config_loader.hpp"

#include <fmt/core.h>

#include <fstream>
#include <sstream>

namespace lmc {

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

}  // namespace lmc
