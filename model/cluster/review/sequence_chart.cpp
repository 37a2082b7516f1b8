#include "model/cluster/review/sequence_chart.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <string_view>

#include "model/cluster/review/svg.hpp"

namespace lmc::review {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

/// A step's text: its title line, then its output lines without indent.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto end = std::min(text.find('\n', at), text.size());
    auto line = text.substr(at, end - at);
    line.erase(0, line.find_first_not_of(' '));
    if (!line.empty()) lines.push_back(std::move(line));
    at = end + 1;
  }
  return lines;
}

/// "LM VM12PROD ABGSU701 -> ABGSU702: setup, detach devices" in parts.
struct LmTitle {
  std::string source;
  std::string target;
  std::string what;  ///< after the colon; the whole title when not an LM's
};

LmTitle parse_lm_title(const std::string& title) {
  LmTitle t{{}, {}, title};
  const auto colon = title.find(": ");
  if (!starts_with(title, "LM ") || colon == std::string::npos) return t;
  t.what = title.substr(colon + 2);
  const std::string head = title.substr(3, colon - 3);  // "VM A -> B" or "VM"
  const auto arrow = head.find(" -> ");
  if (arrow == std::string::npos) return t;
  const auto space = head.rfind(' ', arrow - 1);
  if (space == std::string::npos) return t;
  t.source = head.substr(space + 1, arrow - space - 1);
  t.target = head.substr(arrow + 4);
  return t;
}

/// The step's kind, or nullopt for a name the model does not know.
std::optional<cluster::Kind> kind_of(const TraceFileStep& step) {
  return cluster::kind_named(step.kind);
}

bool is_fault(const TraceFileStep& step) {
  const auto kind = kind_of(step);
  return kind && cluster::is_fault(*kind);
}

/// A step of an LM after its request (the request is the operator's).
bool is_lm_step(const TraceFileStep& step) {
  const auto kind = kind_of(step);
  return kind && *kind != cluster::Kind::lm_request && cluster::is_lm_action(*kind);
}

/// Builds the chart of one trace, step by step.
class TraceCharter {
 public:
  TraceCharter(const cluster::Config& config, SequenceChart& chart)
      : config_(config), chart_(chart) {
    for (const auto& vm : config.vms) owner_.push_back(vm.su);
  }

  void add_step(std::size_t number, const TraceFileStep& step) {
    const auto lines = lines_of(step.text);
    const std::string title = lines.empty() ? step.kind : lines.front();
    const auto lm = parse_lm_title(title);
    mark_ = std::to_string(number);
    const int primary = add_action(step, title, lm);
    mark_ = "";
    for (std::size_t i = 1; i < lines.size(); ++i) add_line(lines[i], step, primary, lm);
    if (step.kind == "resume" && !lm.target.empty()) owner_of_name(step.unit, lm.target);
  }

  void add_verdict(const TraceFile& trace) {
    if (!trace.property) return;
    const bool violation = trace.kind == TraceKind::counterexample;
    const auto text = violation ? fmt::format("{} violated", *trace.property)
                                : fmt::format("goal {} reached", *trace.property);
    add(ChartEventKind::verdict, 0, static_cast<int>(chart_.lanes.size()) - 1, text, violation);
  }

 private:
  void add(ChartEventKind kind, int from, int to, std::string label, bool alarm = false) {
    chart_.events.push_back({kind, from, to, std::move(label), mark_, alarm});
  }

  int operator_lane() { return chart_.lane(LaneRole::operator_console, "Operator", "console"); }
  int manager_lane() {
    return chart_.lane(LaneRole::cluster_manager, "Cluster Manager", "MUs, events");
  }
  int crd_lane() { return chart_.lane(LaneRole::crd, "CRD", "configuration disks"); }
  int su_lane(const std::string& name) {
    for (const auto& su : config_.sus) {
      if (su.name == name) {
        return chart_.lane(LaneRole::server_unit, name,
                           su.arch == cluster::Arch::s390 ? "SU /390" : "SU x86");
      }
    }
    return chart_.lane(LaneRole::server_unit, name, "SU");
  }
  int su_lane(int index) {
    if (index < 0 || index >= static_cast<int>(config_.sus.size())) return manager_lane();
    return su_lane(config_.sus[index].name);
  }
  int guest_lane(const std::string& name) {
    return chart_.lane(LaneRole::guest, name, "guest BS2000");
  }
  int guest_lane(int vm) {
    if (vm < 0 || vm >= static_cast<int>(config_.vms.size())) return manager_lane();
    return guest_lane(config_.vms[vm].name);
  }
  int owner_lane(int vm) {
    if (vm < 0 || vm >= static_cast<int>(owner_.size())) return manager_lane();
    return su_lane(owner_[vm]);
  }
  void owner_of_name(int vm, const std::string& su) {
    for (int i = 0; i < static_cast<int>(config_.sus.size()); ++i) {
      if (config_.sus[i].name == su && vm >= 0 && vm < static_cast<int>(owner_.size())) {
        owner_[vm] = i;
      }
    }
  }

  /// The step's own event; returns the lane its other lines default to.
  int add_action(const TraceFileStep& step, const std::string& title, const LmTitle& lm) {
    const std::string& kind = step.kind;
    if (is_fault(step)) return add_fault(step, title, lm);
    if (kind == "guest_write") {
      const int lane = guest_lane(step.unit);
      add(ChartEventKind::step, lane, lane, title);
      return lane;
    }
    if (is_lm_step(step)) {
      const int from = lm.source.empty() ? owner_lane(step.unit) : su_lane(lm.source);
      const int to = lm.target.empty() ? from : su_lane(lm.target);
      const bool abort = starts_with(kind, "abort");
      add(ChartEventKind::step, abort ? to : from, abort ? from : to, lm.what, abort);
      return from;
    }
    if (starts_with(title, "operator: ")) {
      const int to = owner_lane(step.unit);
      add(ChartEventKind::step, operator_lane(), to, title.substr(10));
      return to;
    }
    const int lane = housekeeping_lane(step);
    add(ChartEventKind::step, lane, lane, title);
    return lane;
  }

  int add_fault(const TraceFileStep& step, const std::string& title, const LmTitle& lm) {
    const std::string label = starts_with(lm.what, "fault: ") ? lm.what.substr(7)
                              : starts_with(title, "fault: ") ? title.substr(7)
                                                              : title;
    int from = manager_lane();
    int to = from;
    if (step.kind == "su_crash") {
      from = to = su_lane(step.unit);
    } else if (step.kind == "isl_down") {
      from = su_lane(0);
      to = su_lane(static_cast<int>(config_.sus.size()) - 1);
    } else if (step.kind == "disk_fail") {
      from = to = crd_lane();
    } else if (!lm.target.empty()) {
      from = to = su_lane(lm.target);
    }
    add(ChartEventKind::fault, from, to, label, true);
    return from;
  }

  int housekeeping_lane(const TraceFileStep& step) {
    const std::string& kind = step.kind;
    if (kind == "su_restart" || starts_with(kind, "liveness_")) return su_lane(step.unit);
    if (starts_with(kind, "disk_")) return crd_lane();
    return manager_lane();
  }

  void add_line(const std::string& line, const TraceFileStep& step, int primary,
                const LmTitle& lm) {
    if (line.front() == '[') {
      const auto close = line.find("] ");
      const auto space = line.find(' ');
      if (close != std::string::npos && space < close) {
        const std::string who = line.substr(1, space - 1);
        const std::string unit = line.substr(space + 1, close - space - 1);
        const std::string text = line.substr(close + 2);
        if (who == "source" || who == "target")
          return add(ChartEventKind::note, su_lane(unit), su_lane(unit), text);
        if (who == "guest")
          return add(ChartEventKind::note, guest_lane(unit), guest_lane(unit), text);
        if (who == "event") {
          const int lane = manager_lane();
          return add(ChartEventKind::note, lane, lane, unit + ": " + text, unit == "WARNING");
        }
      }
    }
    if (starts_with(line, "MONJV of the request")) return add_statuses(line, step);
    const bool rollback = starts_with(line, "rollback");
    const int lane = rollback && !lm.source.empty() ? su_lane(lm.source) : primary;
    add(ChartEventKind::note, lane, lane, line);
  }

  /// "MONJV of the request: $R; guest MONJV: MIGR-OUT; LIVE-MIG-COUNT 1".
  void add_statuses(const std::string& line, const TraceFileStep& step) {
    std::size_t at = 0;
    while (at < line.size()) {
      const auto end = std::min(line.find("; ", at), line.size());
      const std::string part = line.substr(at, end - at);
      at = end + 2;
      if (starts_with(part, "guest MONJV")) {
        const int lane = guest_lane(step.unit);
        add(ChartEventKind::status, lane, lane, part);
      } else if (starts_with(part, "MONJV of the request: ")) {
        const int lane = operator_lane();
        const std::string status = part.substr(22);
        add(ChartEventKind::status, lane, lane, "MONJV " + status,
            status == "$AE" || status == "$AF");
      } else {
        const int lane = guest_lane(step.unit);
        add(ChartEventKind::note, lane, lane, part);
      }
    }
  }

  const cluster::Config& config_;
  SequenceChart& chart_;
  std::vector<int> owner_;  ///< per VM, the SU that owns it now
  std::string mark_;
};

}  // namespace

int SequenceChart::lane(LaneRole role, const std::string& name, const std::string& title) {
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    if (lanes[i].role == role && lanes[i].name == name) return static_cast<int>(i);
  }
  lanes.push_back({role, name, title});
  return static_cast<int>(lanes.size()) - 1;
}

void SequenceChart::order_lanes() {
  std::vector<int> order(lanes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return lanes[a].role < lanes[b].role; });
  std::vector<int> new_index(lanes.size());
  std::vector<ChartLane> sorted;
  for (std::size_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = static_cast<int>(i);
    sorted.push_back(lanes[order[i]]);
  }
  lanes = std::move(sorted);
  for (auto& e : events) {
    if (e.kind == ChartEventKind::verdict) continue;  // spans every lane
    e.from = new_index[e.from];
    e.to = new_index[e.to];
  }
}

SequenceChart chart_of_trace(const cluster::Config& config, const TraceFile& trace) {
  SequenceChart chart;
  const std::string source = trace.config ? *trace.config : trace.preset.value_or("?");
  chart.title = fmt::format("{} of {}{}{}: {} steps", to_string(trace.kind),
                            trace.property.value_or("a run"), " on ", source, trace.steps.size());
  if (trace.mutant != "none") chart.title += fmt::format(" (mutant {})", trace.mutant);
  TraceCharter charter(config, chart);
  for (std::size_t i = 0; i < trace.steps.size(); ++i) charter.add_step(i + 1, trace.steps[i]);
  charter.add_verdict(trace);
  chart.order_lanes();
  return chart;
}

}  // namespace lmc::review
