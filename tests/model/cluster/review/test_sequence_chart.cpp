#include <catch2/catch.hpp>
#include <string>

#include "checker/engine/report.hpp"
#include "model/cluster/review/sequence_chart.hpp"
#include "model/cluster/review/svg.hpp"
#include "tests/model/cluster/cluster_fixture.hpp"

using namespace lmc;
using review::ChartEventKind;
using review::LaneRole;

namespace {

/// The first counterexample of `mutant` on its preset, as lmc check
/// --trace-out writes it.
TraceFile counterexample(const std::string& preset, cluster::Mutant mutant) {
  const auto config = testing::load_preset_config(preset);
  SearchOptions options;
  options.progress_interval_seconds = 0;
  options.check_liveness = false;
  const auto result = check_cluster(config, mutant, options);
  const auto* failure = first_failure(result);
  REQUIRE(failure != nullptr);
  REQUIRE(failure->trace);
  TraceFile file;
  file.preset = preset;
  file.property = failure->name;
  file.kind = TraceKind::counterexample;
  file.steps = steps_of_trace(cluster::ClusterModel(config, mutant), *failure->trace);
  return file;
}

int lane_named(const review::SequenceChart& chart, const std::string& name) {
  for (int i = 0; i < static_cast<int>(chart.lanes.size()); ++i) {
    if (chart.lanes[i].name == name) return i;
  }
  return -1;
}

}  // namespace

TEST_CASE("a counterexample's chart: lifelines in role order, one arrow per LM step",
          "[review][chart]") {
  const auto trace = counterexample("default", cluster::Mutant::skip_final_copy);
  const auto chart = review::chart_of_trace(testing::load_preset_config("default"), trace);
  std::vector<std::string> names;
  for (const auto& lane : chart.lanes) names.push_back(lane.name);
  CHECK(names == std::vector<std::string>{"Operator", "Cluster Manager", "ABGSU701", "ABGSU702",
                                          "VM12PROD"});
  const int source = lane_named(chart, "ABGSU701");
  const int target = lane_named(chart, "ABGSU702");
  std::size_t steps = 0;
  for (const auto& e : chart.events) {
    if (e.mark.empty()) continue;
    ++steps;
    CHECK(e.mark == std::to_string(steps));  // numbered in trace order
  }
  CHECK(steps == trace.steps.size());
  bool started_on_source = false;
  bool created_on_target = false;
  bool suspend_arrow = false;
  bool request_arrow = false;
  for (const auto& e : chart.events) {
    if (e.kind == ChartEventKind::step && e.label == "/MIGRATE-VM VM12PROD") {
      request_arrow = e.from == lane_named(chart, "Operator") && e.to == source;
    }
    if (e.label.starts_with("VMS2450")) started_on_source = e.from == source;
    if (e.label.starts_with("VMS2430")) created_on_target = e.from == target;
    if (e.kind == ChartEventKind::step && e.label.starts_with("switchover, suspend")) {
      suspend_arrow = e.from == source && e.to == target;
    }
  }
  CHECK(started_on_source);  // [source ABGSU701] lines on the source's lifeline
  CHECK(created_on_target);  // [target ABGSU702] lines on the target's
  CHECK(suspend_arrow);      // an LM step is an arrow from source to target
  CHECK(request_arrow);      // the request goes from the operator to the VM's SU
  REQUIRE_FALSE(chart.events.empty());
  CHECK(chart.events.back().kind == ChartEventKind::verdict);
  CHECK(chart.events.back().alarm);
  CHECK(chart.events.back().label == "I5_memory_integrity violated");
}

TEST_CASE("faults are marked on the lifeline of the unit that fails", "[review][chart]") {
  TraceFile trace;
  trace.preset = "default";
  trace.kind = TraceKind::witness;
  trace.property = "abort_in_setup";
  trace.steps = {{"lm_request", 0, 0, "operator: /MIGRATE-VM VM12PROD\n  MONJV of the request: $S"},
                 {"su_crash", 1, 0, "fault: SU ABGSU702 crashes"},
                 {"isl_down", 0, 0, "fault: ISL-E link 1 goes down"}};
  const auto chart = review::chart_of_trace(testing::load_preset_config("default"), trace);
  const int target = lane_named(chart, "ABGSU702");
  int faults = 0;
  for (const auto& e : chart.events) {
    if (e.kind != ChartEventKind::fault) continue;
    ++faults;
    CHECK(e.alarm);
    if (e.label.starts_with("SU")) CHECK((e.from == target && e.to == target));
    if (e.label.starts_with("ISL-E")) CHECK(e.from != e.to);  // across the servers
  }
  CHECK(faults == 2);
  bool status = false;
  for (const auto& e : chart.events) {
    status |= e.kind == ChartEventKind::status && e.label == "MONJV $S" &&
              chart.lanes[e.from].role == LaneRole::operator_console;
  }
  CHECK(status);
  CHECK_FALSE(chart.events.back().alarm);  // a reached goal is good news
}

TEST_CASE("the SVG escapes every text and draws each event", "[review][chart]") {
  review::SequenceChart chart;
  chart.title = "a <b> & c";
  const int a = chart.lane(LaneRole::server_unit, "SU<1>", "x");
  const int b = chart.lane(LaneRole::guest, "VM\"2\"", "y");
  chart.events.push_back({ChartEventKind::step, a, b, "copy & <send>", "1", false});
  chart.events.push_back({ChartEventKind::verdict, 0, 0, "done", "", false});
  const auto svg = review::svg_of_chart(chart, "p-");
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("a &lt;b&gt; &amp; c") != std::string::npos);
  CHECK(svg.find("SU&lt;1&gt;") != std::string::npos);
  CHECK(svg.find("copy &amp; &lt;send&gt;") != std::string::npos);
  CHECK(svg.find("url(#p-arrow)") != std::string::npos);
  CHECK(svg.find("id=\"p-arrow\"") != std::string::npos);
  CHECK(review::escape_xml("'\"") == "&#39;&quot;");
}

TEST_CASE("every action kind has one name, and the chart classifies by it", "[review][chart]") {
  const auto& names = cluster::kind_names();
  REQUIRE(names.size() == static_cast<std::size_t>(cluster::Kind::count));
  for (std::size_t k = 0; k < names.size(); ++k) {
    CHECK(cluster::kind_named(names[k]) == static_cast<cluster::Kind>(k));
  }
  CHECK_FALSE(cluster::kind_named("no_such_kind"));
  CHECK(cluster::is_fault(cluster::Kind::resume_fails));
  CHECK_FALSE(cluster::is_fault(cluster::Kind::mu_restart));
  CHECK(cluster::is_lm_action(cluster::Kind::abort_nonconvergence));
  CHECK(cluster::is_lm_action(cluster::Kind::lm_request));
  CHECK_FALSE(cluster::is_lm_action(cluster::Kind::migrate_definition));
  CHECK(review::escape_xml(std::string("a\x01"
                                       "b\tc")) == "ab\tc");  // no control characters
}
