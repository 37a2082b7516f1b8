#include "model/cluster/config/config_loader.hpp"

#include <fmt/core.h>

#include <utility>

#include "model/cluster/config/input_file.hpp"

namespace lmc {

std::optional<cluster::Config> load_cluster_config(const ClusterSelection& selection,
                                                   std::string& error) {
  std::string text;
  std::string source;
  if (!selection.config_file.empty()) {
    auto read = read_input_file(selection.config_file, "configuration file", error);
    if (!read) return std::nullopt;
    text = std::move(*read);
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
