#include <catch2/catch.hpp>
#include <sstream>

#include "checker/engine/check.hpp"
#include "checker/engine/report.hpp"
#include "counter_model.hpp"

using namespace lmc;
using lmc::testing::CounterModel;

namespace {

CheckResult violated_counter() {
  CounterModel model;
  model.forbidden = 2;
  SearchOptions options;
  options.progress_interval_seconds = 0;
  return check(model, options);
}

}  // namespace

TEST_CASE("The JSON report has every documented field", "[checker][report]") {
  const auto json = result_to_json(violated_counter());
  for (const char* field :
       {"result", "states", "transitions", "max_depth", "seconds", "states_per_second",
        "bytes_per_state", "threads", "strategy", "properties", "coverage", "counterexample"}) {
    INFO(field);
    CHECK(json.contains(field));
  }
  CHECK(json["result"] == "violation");
  CHECK(json["counterexample"]["property"] == "below_forbidden");
  CHECK(json["counterexample"]["length"] == 2);
  CHECK(json["counterexample"]["steps"][1]["action"] == "increment");
  CHECK(json["counterexample"]["steps"][1]["changes"]["value"] == "1");
  CHECK_FALSE(json["counterexample"]["steps"][1]["changes"].contains("constant"));
  const auto& props = json["properties"];
  REQUIRE(props.size() == 2);
  CHECK(props[0]["name"] == "below_forbidden");
  CHECK(props[0]["kind"] == "always");
  CHECK(props[0]["status"] == "violated");
  CHECK(props[1]["name"] == "deadlock");
  CHECK(json["coverage"][0]["action"] == "increment");
}

TEST_CASE("The text report names the verdict, the properties and the trace", "[checker][report]") {
  std::ostringstream out;
  write_text_report(out, violated_counter());
  const auto text = out.str();
  CHECK_THAT(text, Catch::Contains("result: violation"));
  CHECK_THAT(text, Catch::Contains("below_forbidden"));
  CHECK_THAT(text, Catch::Contains("Counterexample for below_forbidden (always, 2 steps)"));
  CHECK_THAT(text, Catch::Contains("Step 2: increment"));
}

TEST_CASE("Actions that never fire are listed as a warning", "[checker][report]") {
  CounterModel model;
  model.limit = 0;  // the counter can neither increment nor reset: a deadlock
  SearchOptions options;
  options.progress_interval_seconds = 0;
  std::ostringstream out;
  write_text_report(out, check(model, options));
  CHECK_THAT(out.str(), Catch::Contains("warning: actions that never fired: increment, reset"));
}

TEST_CASE("The DOT counterexample has one node per state and labelled edges", "[checker][report]") {
  std::ostringstream out;
  write_trace_dot(out, *violated_counter().find("below_forbidden")->trace, "counter");
  const auto dot = out.str();
  CHECK_THAT(dot, Catch::StartsWith("digraph counterexample {"));
  CHECK_THAT(dot, Catch::Contains("s0 -> s1 [label=\"increment\"]"));
  CHECK_THAT(dot, Catch::Contains("s1 -> s2"));
  CHECK_THAT(dot, !Catch::Contains("s2 -> s3"));
}
