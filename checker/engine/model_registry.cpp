#include "checker/engine/model_registry.hpp"

#include <fmt/core.h>

#include <charconv>

namespace lmc {

const ModelEntry* find_model(const std::vector<ModelEntry>& models, const std::string& name) {
  for (const auto& entry : models) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

std::optional<ParameterValues> parse_parameters(const ModelEntry& model,
                                                const std::vector<std::string>& settings,
                                                std::string& error) {
  ParameterValues values;
  for (const auto& p : model.parameters) values[p.name] = p.default_value;
  for (const auto& setting : settings) {
    const auto equals = setting.find('=');
    const std::string key = setting.substr(0, equals);
    const ParameterInfo* info = nullptr;
    for (const auto& p : model.parameters) {
      if (p.name == key) info = &p;
    }
    if (info == nullptr) {
      std::string known;
      for (const auto& p : model.parameters) known += (known.empty() ? "" : ", ") + p.name;
      error = fmt::format("--param {}: model '{}' has no parameter '{}' (it has: {})", setting,
                          model.name, key, known.empty() ? "none" : known);
      return std::nullopt;
    }
    std::int64_t value = 0;
    const auto text = equals == std::string::npos ? std::string() : setting.substr(equals + 1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
        value < info->min_value || value > info->max_value) {
      error = fmt::format("--param {}: expected {}=N with N an integer from {} to {} ({})", setting,
                          key, info->min_value, info->max_value, info->help);
      return std::nullopt;
    }
    values[key] = value;
  }
  return values;
}

}  // namespace lmc
