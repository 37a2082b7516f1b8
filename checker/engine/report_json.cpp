#include <fmt/core.h>

#include <ostream>

#include "checker/engine/report.hpp"

namespace lmc {
namespace {

nlohmann::json state_to_json(const std::vector<Variable>& vars) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& v : vars) object[v.name] = v.value;
  return object;
}

}  // namespace

nlohmann::json trace_to_json(const Trace& trace) {
  nlohmann::json steps = nlohmann::json::array();
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const auto& step = trace.steps[i];
    nlohmann::json entry{{"step", i}, {"action", i == 0 ? "initial" : step.action}};
    nlohmann::json changed = nlohmann::json::object();
    for (std::size_t k = 0; k < step.state.size(); ++k) {
      const bool same = i > 0 && k < trace.steps[i - 1].state.size() &&
                        trace.steps[i - 1].state[k] == step.state[k];
      if (!same) changed[step.state[k].name] = step.state[k].value;
    }
    entry["changes"] = changed;
    entry["state"] = state_to_json(step.state);
    steps.push_back(entry);
  }
  nlohmann::json json{{"length", trace.length()}, {"steps", steps}};
  if (trace.nondeterministic) json["nondeterministic"] = trace.note;
  return json;
}

std::optional<std::string> failure_class(const PropertyResult& p) {
  if (p.status == PropertyStatus::unreached) return "unreached_goal";
  if (p.status != PropertyStatus::violated) return std::nullopt;
  if (p.kind == "deadlock") return "deadlock";
  if (p.kind == "liveness") return "liveness";
  return "safety";
}

namespace {

/// The per-rank figures of a distributed search.
nlohmann::json distributed_to_json(const SearchStats& s) {
  nlohmann::json ranks = nlohmann::json::array();
  std::uint64_t bytes = 0;
  for (std::size_t r = 0; r < s.ranks.size(); ++r) {
    const auto& rank = s.ranks[r];
    bytes += rank.bytes_sent;
    ranks.push_back({{"rank", r},
                     {"states", rank.states},
                     {"transitions", rank.transitions},
                     {"records_sent", rank.records_sent},
                     {"bytes_sent", rank.bytes_sent},
                     {"store_mb", double(rank.store_bytes) / (1 << 20)},
                     {"peak_rss_mb", double(rank.peak_rss_bytes) / (1 << 20)},
                     {"busy_seconds", rank.busy_seconds},
                     {"states_per_second", s.seconds > 0 ? double(rank.states) / s.seconds : 0.0}});
  }
  return {{"ranks", s.ranks.size()},
          {"bytes_sent", bytes},
          {"bytes_sent_per_state", s.states ? double(bytes) / double(s.states) : 0.0},
          {"per_rank", ranks}};
}

}  // namespace

nlohmann::json result_to_json(const CheckResult& result) {
  const auto& s = result.stats;
  nlohmann::json json{{"format", kCheckJsonFormat},
                      {"version", kCheckJsonVersion},
                      {"model", result.model},
                      {"result", to_string(result.verdict)},
                      {"states", s.states},
                      {"transitions", s.transitions},
                      {"max_depth", s.max_depth},
                      {"seconds", s.seconds},
                      {"states_per_second", s.states_per_second()},
                      {"bytes_per_state", s.bytes_per_state},
                      {"peak_rss_mb", double(s.peak_rss_bytes) / (1 << 20)},
                      {"threads", s.threads},
                      {"strategy", to_string(s.strategy)},
                      {"storage", to_string(s.storage)},
                      {"symmetry", s.symmetry}};
  if (!result.stop_reason.empty()) json["stop_reason"] = result.stop_reason;
  if (s.miss_probability) json["miss_probability"] = *s.miss_probability;
  if (s.strategy == Strategy::simulation) json["walks"] = s.walks;
  if (!s.ranks.empty()) json["distributed"] = distributed_to_json(s);
  nlohmann::json properties = nlohmann::json::array();
  for (const auto& p : result.properties) {
    nlohmann::json entry{{"name", p.name}, {"kind", p.kind}, {"status", to_string(p.status)}};
    if (!p.ids.empty()) entry["ids"] = p.ids;
    if (p.trace) entry["trace_length"] = p.trace->length();
    const auto failure = failure_class(p);
    entry["failure"] = failure ? nlohmann::json(*failure) : nlohmann::json(nullptr);
    properties.push_back(entry);
  }
  json["properties"] = properties;
  // Every counterexample, one per violated property (--continue finds them
  // all; otherwise the search stops at the first level with a violation).
  nlohmann::json counterexamples = nlohmann::json::array();
  for (const auto& p : result.properties) {
    if (p.status != PropertyStatus::violated || !p.trace) continue;
    auto counterexample = trace_to_json(*p.trace);
    counterexample["property"] = p.name;
    counterexample["failure"] = *failure_class(p);
    counterexamples.push_back(counterexample);
  }
  json["counterexamples"] = counterexamples;
  nlohmann::json coverage = nlohmann::json::array();
  for (const auto& c : result.coverage) {
    coverage.push_back({{"action", c.action}, {"count", c.count}, {"enabled", c.enabled}});
  }
  json["coverage"] = coverage;
  if (!result.notes.empty()) json["notes"] = result.notes;
  if (const auto* failure = first_failure(result); failure && failure->trace) {
    auto counterexample = trace_to_json(*failure->trace);
    counterexample["property"] = failure->name;
    json["counterexample"] = counterexample;
  }
  return json;
}

void write_trace_dot(std::ostream& out, const Trace& trace, const std::string& title) {
  auto escape = [](const std::string& text) {
    std::string escaped;
    for (char c : text) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    return escaped;
  };
  out << "digraph counterexample {\n  label=\"" << escape(title) << "\";\n"
      << "  node [shape=box, fontname=\"monospace\"];\n";
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    std::string label = i == 0 ? "initial\\l" : fmt::format("state {}\\l", i);
    const auto& step = trace.steps[i];
    for (std::size_t k = 0; k < step.state.size(); ++k) {
      const bool same = i > 0 && k < trace.steps[i - 1].state.size() &&
                        trace.steps[i - 1].state[k] == step.state[k];
      if (!same) label += escape(step.state[k].name + " = " + step.state[k].value) + "\\l";
    }
    out << "  s" << i << " [label=\"" << label << "\"];\n";
    if (i > 0) {
      out << "  s" << i - 1 << " -> s" << i << " [label=\"" << escape(step.action) << "\"];\n";
    }
  }
  out << "}\n";
}

}  // namespace lmc
