#include "checker/engine/options.hpp"

namespace lmc {

std::string_view to_string(Strategy strategy) {
  switch (strategy) {
    case Strategy::bfs:
      return "bfs";
    case Strategy::dfs:
      return "dfs";
    case Strategy::simulation:
      return "simulation";
  }
  return "unknown";
}

std::string_view to_string(StorageMode mode) {
  switch (mode) {
    case StorageMode::exact:
      return "exact";
    case StorageMode::fingerprint:
      return "fingerprint";
    case StorageMode::packed:
      return "packed";
  }
  return "unknown";
}

std::optional<Strategy> parse_strategy(std::string_view text) {
  if (text == "bfs") return Strategy::bfs;
  if (text == "dfs") return Strategy::dfs;
  if (text == "simulation" || text == "sim") return Strategy::simulation;
  return std::nullopt;
}

std::optional<StorageMode> parse_storage(std::string_view text) {
  if (text == "exact") return StorageMode::exact;
  if (text == "fingerprint" || text == "fp") return StorageMode::fingerprint;
  if (text == "packed") return StorageMode::packed;
  return std::nullopt;
}

}  // namespace lmc
