#include "checker/cli/migrate_chart.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "model/cluster/review/plot.hpp"
#include "model/cluster/review/sequence_chart.hpp"

namespace lmc::cli {
namespace {

using review::ChartEventKind;
using review::LaneRole;

/// What happened, at a time, and in which order among equal times: an LM
/// step before the console lines and events it caused.
struct Happening {
  double time = 0;
  int order = 0;
  review::ChartEvent event;
};

class MigrateCharter {
 public:
  explicit MigrateCharter(const MigrateRun& run) : run_(run) {
    const auto& in = run.installation;
    const auto& vm = in.vm(run.vm);
    operator_ = chart_.lane(LaneRole::operator_console, "Operator", "console");
    manager_ = chart_.lane(LaneRole::cluster_manager, "Cluster Manager", "MUs, events");
    source_ = chart_.lane(LaneRole::server_unit, in.su(run.source_su).name(), "source SU");
    target_ = chart_.lane(LaneRole::server_unit, in.su(run.target).name(), "target SU");
    guest_ = chart_.lane(LaneRole::guest, vm.name, "guest BS2000");
    chart_.title =
        fmt::format("lmc migrate: {} from {} to {}, {}", vm.name, in.su(run.source_su).name(),
                    in.su(run.target).name(), run.result.status);
  }

  void add_steps(const std::vector<TimedStep>& steps) {
    std::size_t round = 0;
    for (const auto& s : steps) add_step(s, round);
  }

  void add_consoles() {
    const auto& in = run_.installation;
    for (const auto& line : in.console().lines()) {
      const int lane = line.console == ref::Console::guest    ? guest_
                       : line.console == ref::Console::target ? target_
                                                              : source_;
      at(line.time, 1, ChartEventKind::note, lane, lane, line.text);
    }
    for (const auto& e : in.cluster_manager().events()) {
      const auto weight = ref::to_string(e.weight);
      at(e.time, 1, ChartEventKind::note, manager_, manager_, weight + ": " + e.text,
         weight != "NOTICE");
    }
  }

  review::SequenceChart finish() {
    std::stable_sort(happenings_.begin(), happenings_.end(), [](const auto& a, const auto& b) {
      return a.time != b.time ? a.time < b.time : a.order < b.order;
    });
    for (auto& h : happenings_) chart_.events.push_back(std::move(h.event));
    const auto& r = run_.result;
    std::string statuses;
    for (const auto& s : r.statuses) statuses += (statuses.empty() ? "" : " -> ") + s;
    const bool failed = r.status == "$AE" || r.status == "$AF";
    chart_.events.push_back(
        {ChartEventKind::status, operator_, operator_, "MONJV " + statuses, "", failed});
    std::string verdict =
        fmt::format("result: {} after phase {}", r.status, ref::to_string(r.reached));
    if (!r.abort_cause.empty())
      verdict += fmt::format(" (aborted: {}; rolled back)", r.abort_cause);
    chart_.events.push_back({ChartEventKind::verdict, 0, 0, verdict, "", failed});
    chart_.order_lanes();
    return chart_;
  }

 private:
  void at(double time, int order, ChartEventKind kind, int from, int to, std::string label,
          bool alarm = false) {
    happenings_.push_back(
        {time, order, {kind, from, to, std::move(label), fmt::format("{:.3f}s", time), alarm}});
  }

  void add_step(const TimedStep& s, std::size_t& round) {
    const auto& rounds = run_.result.rounds;
    auto pages = [&](std::size_t i) {
      return i < rounds.size() ? fmt::format(": {} pages", rounds[i].pages_sent) : std::string();
    };
    const auto& k = s.kind;
    if (k == "lm_request")
      return at(s.time, 0, ChartEventKind::step, operator_, source_, "/MIGRATE-VM");
    if (k == "isl_down") {
      return at(s.time, 0, ChartEventKind::fault, source_, target_,
                fmt::format("ISL-E link {} cut", s.unit + 1), true);
    }
    if (k == "su_crash")
      return at(s.time, 0, ChartEventKind::fault, target_, target_, "target killed", true);
    if (k == "disk_fail") {
      const int crd = chart_.lane(LaneRole::crd, "CRD", "configuration disks");
      return at(s.time, 0, ChartEventKind::fault, crd, crd, "configuration disk fails", true);
    }
    if (k == "abort" || k == "abort_nonconvergence") {
      return at(s.time, 0, ChartEventKind::step, target_, source_, "abort and roll back", true);
    }
    std::string label = k;
    if (k == "lm_start") label = "setup: detach devices";
    if (k == "reserve_target") label = "setup: create the VM on the target";
    if (k == "copy_round") label = fmt::format("pre-copy round {}{}", round, pages(round)), ++round;
    if (k == "stop_io") label = "stop guest I/O";
    if (k == "final_copy") label = "final copy" + pages(rounds.empty() ? 0 : rounds.size() - 1);
    if (k == "suspend") label = "switchover: suspend on the source";
    if (k == "hand_over") label = "switchover: rest of memory, registers";
    if (k == "resume") label = "switchover: resume on the target";
    if (k == "cleanup") label = "cleanup";
    const bool fault = k == "reserve_fails" || k == "resume_fails";
    at(s.time, 0, fault ? ChartEventKind::fault : ChartEventKind::step, source_,
       fault ? source_ : target_, label, fault);
  }

  const MigrateRun& run_;
  review::SequenceChart chart_;
  std::vector<Happening> happenings_;
  int operator_ = 0;
  int manager_ = 0;
  int source_ = 0;
  int target_ = 0;
  int guest_ = 0;
};

}  // namespace

std::string migrate_chart_svg(const MigrateRun& run, const std::vector<TimedStep>& steps) {
  MigrateCharter charter(run);
  charter.add_steps(steps);
  charter.add_consoles();
  return review::svg_of_chart(charter.finish());
}

std::string migrate_plot_svg(const MigrateRun& run, double downtime_target_seconds) {
  review::PlotPanel pages{"Pages per round", "pages", {}, {}, std::nullopt, ""};
  review::PlotPanel rate{
      "Guest dirty rate during each round", "pages per second", {}, {}, std::nullopt, ""};
  review::PlotPanel downtime{"Downtime if the copy stopped after the round",
                             "milliseconds",
                             {},
                             {},
                             downtime_target_seconds * 1000,
                             fmt::format("target {:.0f} ms", downtime_target_seconds * 1000)};
  review::PlotSeries sent{"pages sent", {}, {}, {}, "#1f77b4", false};
  review::PlotSeries dirty{"dirty when the round ended", {}, {}, {}, "#ff7f0e", false};
  review::PlotSeries dirtied{"pages dirtied per second", {}, {}, {}, "#9467bd", true};
  review::PlotSeries estimate{"estimated downtime", {}, {}, {}, "#2ca02c", true};
  for (const auto& r : run.result.rounds) {
    const auto label = r.final_copy ? std::string("final copy") : fmt::format("round {}", r.round);
    pages.categories.push_back(label);
    sent.values.push_back(static_cast<double>(r.pages_sent));
    dirty.values.push_back(static_cast<double>(r.dirty_left));
    if (r.final_copy) continue;  // the guest is suspended: it dirties nothing
    rate.categories.push_back(label);
    dirtied.values.push_back(r.seconds > 0 ? static_cast<double>(r.dirty_left) / r.seconds : 0);
    downtime.categories.push_back(label);
    estimate.values.push_back(r.expected_downtime * 1000);
  }
  pages.series = {sent, dirty};
  rate.series = {dirtied};
  downtime.series = {estimate};
  const auto& in = run.installation;
  return review::svg_of_plot(fmt::format("lmc migrate: pre-copy of {} ({} pages) from {} to {}, {}",
                                         in.vm(run.vm).name, run.pages, in.su(run.source_su).name(),
                                         in.su(run.target).name(), run.result.status),
                             {pages, rate, downtime});
}

}  // namespace lmc::cli
