#include "model/cluster/traces/trace_file.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>

#include "model/cluster/config/config_loader.hpp"
#include "model/cluster/config/input_file.hpp"

namespace lmc {
namespace {

using Json = nlohmann::json;

/// A value as a message shows it: arrays and objects by their kind, other
/// values as JSON cut at 60 characters (an input may hold megabytes).
std::string brief(const Json& value) {
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return cut_for_message(value.dump());
}

const char* json_type(const Json& value) {
  return value.type_name();
}

[[noreturn]] void fail(const std::string& source, const std::string& field,
                       const std::string& message) {
  throw TraceFileError(field.empty() ? fmt::format("{}: {}", source, message)
                                     : fmt::format("{}: {}: {}", source, field, message));
}

std::string read_string(const Json& object, const char* key, const std::string& source) {
  const auto& value = object.at(key);
  if (!value.is_string()) {
    fail(source, key, fmt::format("expected a string, got {}", json_type(value)));
  }
  return value.get<std::string>();
}

/// A string field that may be null or missing.
std::optional<std::string> read_optional_string(const Json& object, const char* key,
                                                const std::string& source) {
  if (!object.contains(key) || object.at(key).is_null()) return std::nullopt;
  return read_string(object, key, source);
}

int read_int(const Json& object, const char* key, const std::string& field, int max,
             const std::string& source) {
  const auto& value = object.at(key);
  if (!value.is_number_integer()) {
    fail(source, field, fmt::format("expected an integer from 0 to {}, got {}", max, brief(value)));
  }
  const auto number = value.get<std::int64_t>();
  if (number < 0 || number > max) {
    fail(source, field, fmt::format("expected an integer from 0 to {}, got {}", max, number));
  }
  return static_cast<int>(number);
}

void reject_unknown_fields(const Json& object, std::initializer_list<const char*> known,
                           const std::string& prefix, const std::string& source) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string names;
    for (const char* name : known) names += (names.empty() ? "" : ", ") + std::string(name);
    fail(source, prefix + key, fmt::format("unknown field (fields: {})", names));
  }
}

std::optional<TraceKind> parse_kind(const std::string& text) {
  for (auto kind : {TraceKind::counterexample, TraceKind::witness, TraceKind::recording}) {
    if (to_string(kind) == text) return kind;
  }
  return std::nullopt;
}

TraceFileStep read_step(const Json& json, std::size_t index, const std::string& source) {
  const auto at = fmt::format("steps[{}]", index);
  if (!json.is_object()) {
    fail(source, at,
         fmt::format("expected an object {{\"kind\", \"unit\", \"page\", \"text\"}}, got {}",
                     json_type(json)));
  }
  reject_unknown_fields(json, {"kind", "unit", "page", "text"}, at + ".", source);
  for (const char* key : {"kind", "unit"}) {
    if (!json.contains(key)) fail(source, at, fmt::format("the field \"{}\" is missing", key));
  }
  TraceFileStep step;
  const auto& kind = json.at("kind");
  if (!kind.is_string()) {
    fail(source, at + ".kind", fmt::format("expected an action kind name, got {}", brief(kind)));
  }
  step.kind = kind.get<std::string>();
  step.unit = read_int(json, "unit", at + ".unit", 255, source);
  if (json.contains("page")) step.page = read_int(json, "page", at + ".page", 255, source);
  if (json.contains("text")) {
    const auto& text = json.at("text");
    if (!text.is_string()) {
      fail(source, at + ".text", fmt::format("expected a string, got {}", json_type(text)));
    }
    step.text = text.get<std::string>();
  }
  return step;
}

/// How many units an action of `kind` can name in this configuration, and
/// what they are.
std::pair<int, const char*> unit_domain(const cluster::ClusterModel& model, cluster::Kind kind) {
  using cluster::Kind;
  const auto& c = model.config();
  switch (kind) {
    case Kind::mu_crash:
    case Kind::mu_restart:
    case Kind::cm_takeover:
      return {static_cast<int>(c.mus.size()), "MU"};
    case Kind::su_crash:
    case Kind::su_restart:
    case Kind::liveness_timeout:
    case Kind::liveness_renew:
      return {static_cast<int>(c.sus.size()), "SU"};
    case Kind::isl_down:
    case Kind::isl_repair:
      return {c.isl_links, "ISL-E link"};
    case Kind::disk_fail:
    case Kind::disk_repair:
    case Kind::disk_resync:
      return {static_cast<int>(model.topology().mirrors().size()), "CRD mirror"};
    case Kind::cm_lease_expire:
    case Kind::cm_observe:
      return {1, "unit (always 0)"};
    default:
      return {static_cast<int>(c.vms.size()), "VM"};
  }
}

}  // namespace

std::string_view to_string(TraceKind kind) {
  switch (kind) {
    case TraceKind::counterexample:
      return "counterexample";
    case TraceKind::witness:
      return "witness";
    case TraceKind::recording:
      return "recording";
  }
  return "?";
}

TraceFile trace_file_from_json(const Json& json, const std::string& source) {
  if (!json.is_object()) {
    fail(source, "", fmt::format("expected a JSON object, got {}", json_type(json)));
  }
  reject_unknown_fields(json, {"format", "preset", "config", "mutant", "property", "kind", "steps"},
                        "", source);
  for (const char* key : {"format", "kind", "steps"}) {
    if (!json.contains(key)) fail(source, key, "the field is missing");
  }
  const auto format = read_string(json, "format", source);
  if (format != kTraceFormat) {
    fail(source, "format", fmt::format("expected \"{}\", got \"{}\"", kTraceFormat, format));
  }
  TraceFile trace;
  trace.preset = read_optional_string(json, "preset", source);
  trace.config = read_optional_string(json, "config", source);
  if (json.contains("mutant")) trace.mutant = read_string(json, "mutant", source);
  trace.property = read_optional_string(json, "property", source);
  const auto kind_text = read_string(json, "kind", source);
  const auto kind = parse_kind(kind_text);
  if (!kind) {
    fail(source, "kind",
         fmt::format("expected \"counterexample\", \"witness\" or \"recording\", got \"{}\"",
                     kind_text));
  }
  trace.kind = *kind;
  const auto& steps = json.at("steps");
  if (!steps.is_array()) {
    fail(source, "steps", fmt::format("expected an array of steps, got {}", json_type(steps)));
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    trace.steps.push_back(read_step(steps[i], i, source));
  }
  return trace;
}

nlohmann::ordered_json trace_file_to_json(const TraceFile& trace) {
  using Ordered = nlohmann::ordered_json;  // keys in the documented order
  auto optional = [](const std::optional<std::string>& value) {
    return value ? Ordered(*value) : Ordered(nullptr);
  };
  Ordered steps = Ordered::array();
  for (const auto& step : trace.steps) {
    steps.push_back(
        {{"kind", step.kind}, {"unit", step.unit}, {"page", step.page}, {"text", step.text}});
  }
  return Ordered{{"format", kTraceFormat},
                 {"preset", optional(trace.preset)},
                 {"config", optional(trace.config)},
                 {"mutant", trace.mutant},
                 {"property", optional(trace.property)},
                 {"kind", to_string(trace.kind)},
                 {"steps", steps}};
}

TraceFile read_trace_file(const std::filesystem::path& path) {
  std::string error;
  const auto text = read_input_file(path.string(), "trace file", error);
  if (!text) throw TraceFileError(error);
  if (const auto problem = json_nesting_problem(*text); !problem.empty()) {
    throw TraceFileError(fmt::format("{}: not a trace: {}", path.string(), problem));
  }
  Json json;
  try {
    json = Json::parse(*text);
  } catch (const Json::parse_error& e) {
    throw TraceFileError(fmt::format("{}: not JSON: {}", path.string(), e.what()));
  } catch (const Json::out_of_range& e) {
    // "1e999": valid JSON that no double holds; nlohmann quotes the number.
    throw TraceFileError(
        fmt::format("{}: number out of range: {}", path.string(), overflowing_number(e.what())));
  }
  return trace_file_from_json(json, path.string());
}

void write_trace_file(const std::filesystem::path& path, const TraceFile& trace) {
  std::ofstream out(path);
  if (out) out << trace_file_to_json(trace).dump(2) << "\n";
  if (!out) {
    throw TraceFileError(fmt::format("{}: cannot open the file for writing", path.string()));
  }
}

cluster::Config load_trace_config(const TraceFile& trace, const std::filesystem::path& trace_path) {
  const auto source = trace_path.string();
  ClusterSelection selection;
  if (trace.config) {
    std::filesystem::path config = *trace.config;
    if (config.is_relative() && !std::filesystem::exists(config)) {
      const auto beside = trace_path.parent_path() / config;
      if (std::filesystem::exists(beside)) config = beside;
    }
    selection.config_file = config.string();
  } else if (trace.preset) {
    selection.preset = *trace.preset;
  } else {
    fail(source, "", "neither \"preset\" nor \"config\" names the configuration");
  }
  std::string error;
  auto config = load_cluster_config(selection, error);
  if (!config) fail(source, trace.config ? "config" : "preset", error);
  return std::move(*config);
}

cluster::Mutant trace_mutant(const TraceFile& trace) {
  const auto mutant = cluster::parse_mutant(trace.mutant);
  if (!mutant) {
    throw TraceFileError(
        fmt::format("mutant: no mutant \"{}\" (see lmc check --list-mutants)", trace.mutant));
  }
  return *mutant;
}

std::vector<cluster::Action> trace_actions(const TraceFile& trace,
                                           const cluster::ClusterModel& model) {
  const auto kinds = model.action_kinds();
  std::vector<cluster::Action> actions;
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const auto& step = trace.steps[i];
    const auto at = fmt::format("steps[{}]", i);
    const auto found = std::find(kinds.begin(), kinds.end(), step.kind);
    if (found == kinds.end()) {
      std::string names;
      for (const auto& k : kinds) names += (names.empty() ? "" : ", ") + k;
      throw TraceFileError(fmt::format("{}.kind: \"{}\" is not an action of the cluster model ({})",
                                       at, step.kind, names));
    }
    const auto kind = static_cast<cluster::Kind>(found - kinds.begin());
    const auto [units, what] = unit_domain(model, kind);
    if (step.unit >= units) {
      throw TraceFileError(
          fmt::format("{}.unit: {} names {} {} of {}, which has {} (numbered from 0)", at,
                      step.kind, what, step.unit, model.config().name, units));
    }
    const int pages = kind == cluster::Kind::guest_write ? model.topology().pages() : 1;
    if (step.page >= pages) {
      throw TraceFileError(
          kind == cluster::Kind::guest_write
              ? fmt::format("{}.page: page {} of a guest with {} pages (numbered from 0)", at,
                            step.page, pages)
              : fmt::format("{}.page: expected 0 (only guest_write names a page), got {}", at,
                            step.page));
    }
    actions.push_back(
        {kind, static_cast<std::uint8_t>(step.unit), static_cast<std::uint8_t>(step.page)});
  }
  return actions;
}

std::vector<TraceFileStep> steps_of_trace(const cluster::ClusterModel& model, const Trace& trace) {
  if (trace.nondeterministic || trace.path.empty() || trace.path.size() != trace.steps.size()) {
    throw TraceFileError("the trace did not replay on the model, so it has no actions to write" +
                         (trace.note.empty() ? std::string() : " (" + trace.note + ")"));
  }
  const auto initial = model.initial_states();
  if (trace.path[0] >= initial.size()) {
    throw TraceFileError("the trace's initial state is not one of the model's");
  }
  const auto kinds = model.action_kinds();
  auto state = initial[trace.path[0]];
  std::vector<TraceFileStep> steps;
  std::vector<cluster::Action> actions;
  for (std::size_t i = 1; i < trace.path.size(); ++i) {
    actions.clear();
    model.actions(state, actions);
    std::optional<cluster::State> next;
    if (trace.path[i] < actions.size()) next = model.next_state(state, actions[trace.path[i]]);
    if (!next) {
      throw TraceFileError(fmt::format("the trace does not replay at step {}", i));
    }
    const auto& action = actions[trace.path[i]];
    steps.push_back({kinds[model.action_kind(action)], action.unit, action.page,
                     model.format_action(state, action)});
    state = std::move(*next);
  }
  return steps;
}

std::string action_name(const cluster::ClusterModel& model, const cluster::Action& action) {
  const auto kinds = model.action_kinds();
  const auto index = model.action_kind(action);
  const std::string name = index < kinds.size() ? kinds[index] : "?";
  if (action.kind == cluster::Kind::guest_write) {
    return fmt::format("{} {} page {}", name, action.unit, action.page);
  }
  return fmt::format("{} {}", name, action.unit);
}

}  // namespace lmc
