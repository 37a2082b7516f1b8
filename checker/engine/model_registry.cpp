#include "checker/engine/model_registry.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>

#include "checker/engine/user_text.hpp"

namespace lmc {

const ModelEntry* find_model(const std::vector<ModelEntry>& models, const std::string& name) {
  for (const auto& entry : models) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

namespace {

std::string known_parameters(const ModelEntry& model) {
  std::string known;
  auto add = [&](const std::string& name) { known += (known.empty() ? "" : ", ") + name; };
  for (const auto& p : model.parameters) add(p.name);
  for (const auto& p : model.text_parameters) add(p.name);
  return known.empty() ? "none" : known;
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : ", ") + w;
  return text;
}

const TextParameterInfo* text_parameter(const ModelEntry& model, const std::string& key) {
  for (const auto& p : model.text_parameters) {
    if (p.name == key) return &p;
  }
  return nullptr;
}

const ParameterInfo* number_parameter(const ModelEntry& model, const std::string& key) {
  for (const auto& p : model.parameters) {
    if (p.name == key) return &p;
  }
  return nullptr;
}

/// An integer setting; false with `error` set when it is not one in range.
bool parse_number(const ParameterInfo& info, const std::string& setting, const std::string& text,
                  std::int64_t& value, std::string& error) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      value < info.min_value || value > info.max_value) {
    error = fmt::format("--param {}: expected {}=N with N an integer from {} to {} ({})",
                        shortened(setting), info.name, info.min_value, info.max_value, info.help);
    return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> describe_parameters(const ModelEntry& model) {
  std::vector<std::string> lines;
  for (const auto& p : model.parameters) {
    lines.push_back(fmt::format("--param {}=N  {} (default {}, {}..{})", p.name, p.help,
                                p.default_value, p.min_value, p.max_value));
  }
  for (const auto& p : model.text_parameters) {
    const auto values = p.choices.empty() ? std::string() : "; one of " + joined(p.choices);
    lines.push_back(fmt::format("--param {}=TEXT  {} (default '{}'{})", p.name, p.help,
                                p.default_value, values));
  }
  return lines;
}

std::optional<ParameterValues> parse_parameters(const ModelEntry& model,
                                                const std::vector<std::string>& settings,
                                                std::string& error) {
  ParameterValues values;
  for (const auto& p : model.parameters) values.numbers[p.name] = p.default_value;
  for (const auto& p : model.text_parameters) values.texts[p.name] = p.default_value;
  for (const auto& setting : settings) {
    const auto equals = setting.find('=');
    const std::string key = setting.substr(0, equals);
    const auto text = equals == std::string::npos ? std::string() : setting.substr(equals + 1);
    if (const auto* info = number_parameter(model, key)) {
      if (!parse_number(*info, setting, text, values.numbers[key], error)) return std::nullopt;
    } else if (const auto* info = text_parameter(model, key)) {
      const bool listed =
          std::find(info->choices.begin(), info->choices.end(), text) != info->choices.end();
      if (equals == std::string::npos || (!info->choices.empty() && !listed)) {
        error = fmt::format("--param {}: expected {}=TEXT with TEXT {} ({})", setting, key,
                            info->choices.empty() ? "any text" : "one of " + joined(info->choices),
                            info->help);
        return std::nullopt;
      }
      values.texts[key] = text;
    } else {
      error = fmt::format("--param {}: model '{}' has no parameter '{}' (it has: {})", setting,
                          model.name, key, known_parameters(model));
      return std::nullopt;
    }
  }
  return values;
}

}  // namespace lmc
