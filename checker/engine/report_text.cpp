#include <fmt/core.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>

#include "checker/engine/report.hpp"

namespace lmc {
namespace {

/// A distributed search: each rank's share and what crossed the network.
void write_ranks(std::ostream& out, const SearchStats& s) {
  std::uint64_t bytes = 0;
  for (const auto& rank : s.ranks) bytes += rank.bytes_sent;
  fmt::print(out, "ranks: {:.1f} bytes sent per state ({} MiB in all)\n",
             s.states ? double(bytes) / double(s.states) : 0.0, bytes >> 20);
  for (std::size_t r = 0; r < s.ranks.size(); ++r) {
    const auto& rank = s.ranks[r];
    fmt::print(
        out, "  rank {}: {} states, {} transitions, {} MiB sent, busy {:.2f} s, peak RSS {} MiB\n",
        r, rank.states, rank.transitions, rank.bytes_sent >> 20, rank.busy_seconds,
        rank.peak_rss_bytes >> 20);
  }
}

void write_summary(std::ostream& out, const CheckResult& result) {
  const auto& s = result.stats;
  fmt::print(out, "model: {}\n", result.model);
  const auto workers = s.ranks.empty()
                           ? fmt::format("{} thread{}", s.threads, s.threads == 1 ? "" : "s")
                           : fmt::format("distributed over {} ranks", s.ranks.size());
  fmt::print(out, "search: {}, {}, {} storage{}\n", to_string(s.strategy), workers,
             to_string(s.storage), s.symmetry ? ", symmetry reduction (one state per class)" : "");
  fmt::print(out, "result: {}{}\n", to_string(result.verdict),
             result.stop_reason.empty() ? "" : fmt::format(" ({})", result.stop_reason));
  fmt::print(out, "states: {}, transitions: {}, max depth: {}\n", s.states, s.transitions,
             s.max_depth);
  fmt::print(out, "time: {:.3f} s, {:.0f} states/s", s.seconds, s.states_per_second());
  if (s.strategy != Strategy::simulation) {
    fmt::print(out, ", {:.1f} bytes/state", s.bytes_per_state);
  } else {
    fmt::print(out, ", {} walks", s.walks);
  }
  fmt::print(out, ", peak RSS {} MiB\n", s.peak_rss_bytes >> 20);
  if (!s.ranks.empty()) write_ranks(out, s);
  if (s.miss_probability) {
    fmt::print(out, "fingerprints: estimated probability that a state was missed: {:.3g}\n",
               *s.miss_probability);
  }
}

void write_properties(std::ostream& out, const CheckResult& result) {
  std::size_t width = 8;
  for (const auto& p : result.properties) width = std::max(width, p.name.size());
  fmt::print(out, "properties:\n");
  for (const auto& p : result.properties) {
    fmt::print(out, "  {:<{}}  {:<9}  {}{}\n", p.name, width, p.kind, to_string(p.status),
               p.ids.empty() ? "" : fmt::format("  [{}]", p.ids));
  }
}

void write_coverage(std::ostream& out, const CheckResult& result) {
  std::size_t width = 6;
  for (const auto& c : result.coverage) width = std::max(width, c.action.size());
  fmt::print(out, "action coverage:\n");
  std::string never;
  int disabled = 0;
  for (const auto& c : result.coverage) {
    if (!c.enabled) {
      ++disabled;
      continue;
    }
    fmt::print(out, "  {:<{}}  {}\n", c.action, width, c.count);
    if (c.count == 0) never += (never.empty() ? "" : ", ") + c.action;
  }
  if (disabled > 0) {
    fmt::print(out, "  ({} action kinds are not enabled by this configuration)\n", disabled);
  }
  if (!never.empty()) fmt::print(out, "warning: actions that never fired: {}\n", never);
}

}  // namespace

const PropertyResult* first_failure(const CheckResult& result) {
  for (const auto& p : result.properties) {
    if (p.status == PropertyStatus::violated && p.trace) return &p;
  }
  for (const auto& p : result.properties) {
    if (p.status == PropertyStatus::unreached) return &p;
  }
  return nullptr;
}

void write_trace_text(std::ostream& out, const Trace& trace) {
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const auto& step = trace.steps[i];
    if (i == 0) {
      fmt::print(out, "Initial state:\n");
      for (const auto& v : step.state) fmt::print(out, "  {} = {}\n", v.name, v.value);
      continue;
    }
    fmt::print(out, "Step {}: {}\n", i, step.action);
    const auto& before = trace.steps[i - 1].state;
    for (std::size_t k = 0; k < step.state.size(); ++k) {
      const auto& v = step.state[k];
      if (k < before.size() && before[k] == v) continue;
      fmt::print(out, "  {} = {}\n", v.name, v.value);
    }
  }
  if (trace.nondeterministic) fmt::print(out, "ERROR: {}\n", trace.note);
}

void write_text_report(std::ostream& out, const CheckResult& result,
                       const TextReportOptions& options) {
  write_summary(out, result);
  for (const auto& note : result.notes) fmt::print(out, "{}\n", note);
  write_properties(out, result);
  write_coverage(out, result);
  for (const auto& p : result.properties) {
    const bool failed = p.status == PropertyStatus::violated;
    const bool witness = options.witnesses && p.status == PropertyStatus::reached;
    if (!p.trace || !(failed || witness)) continue;
    fmt::print(out, "\n{} for {} ({}, {} steps):\n", failed ? "Counterexample" : "Witness", p.name,
               p.kind, p.trace->length());
    write_trace_text(out, *p.trace);
  }
  for (const auto& p : result.properties) {
    if (p.status == PropertyStatus::unreached) {
      fmt::print(out, "\nGoal {} is never reached: no reachable state satisfies it.\n", p.name);
    }
  }
}

}  // namespace lmc
