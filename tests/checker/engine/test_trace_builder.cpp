#include <catch2/catch.hpp>
#include <sstream>

#include "checker/engine/check.hpp"
#include "checker/engine/report.hpp"
#include "counter_model.hpp"

using namespace lmc;
using lmc::testing::CounterModel;

TEST_CASE("A trace rebuilt by replay names each action and its state", "[checker][trace]") {
  CounterModel model;
  model.forbidden = 3;
  SearchOptions options;
  options.progress_interval_seconds = 0;
  const auto result = check(model, options);
  const auto& trace = *result.find("below_forbidden")->trace;
  REQUIRE(trace.steps.size() == 4);
  CHECK(trace.steps[0].action.empty());
  CHECK(trace.steps[1].action == "increment");
  CHECK(trace.steps[3].state[0].value == "3");
}

TEST_CASE("A nondeterministic model is reported when replay diverges", "[checker][trace]") {
  CounterModel model;
  model.forbidden = 8;
  // Breadth-first search on one thread expands 0..7 (two calls each) before
  // it finds 8, so the 17th call is the first of the replay.
  model.flaky_after = 16;
  SearchOptions options;
  options.progress_interval_seconds = 0;
  const auto result = check(model, options);
  const auto* p = result.find("below_forbidden");
  REQUIRE(p->status == PropertyStatus::violated);
  REQUIRE(p->trace.has_value());
  CHECK(p->trace->nondeterministic);
  CHECK_THAT(p->trace->note, Catch::Contains("nondeterministic"));
}

TEST_CASE("The text trace shows only what each step changed", "[checker][trace]") {
  Trace trace;
  trace.steps.push_back({"", {{"a", "0"}, {"b", "0"}}});
  trace.steps.push_back({"bump a", {{"a", "1"}, {"b", "0"}}});
  std::ostringstream out;
  write_trace_text(out, trace);
  const auto text = out.str();
  CHECK_THAT(text, Catch::Contains("Initial state:\n  a = 0\n  b = 0\n"));
  CHECK_THAT(text, Catch::Contains("Step 1: bump a\n  a = 1\n"));
  CHECK_THAT(text, !Catch::Contains("Step 1: bump a\n  a = 1\n  b = 0"));
}
