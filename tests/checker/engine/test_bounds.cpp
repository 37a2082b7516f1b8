#include <catch2/catch.hpp>

#include "checker/engine/check.hpp"
#include "counter_model.hpp"

using namespace lmc;
using lmc::testing::CounterModel;

namespace {

SearchOptions quiet(Strategy strategy = Strategy::bfs) {
  SearchOptions options;
  options.strategy = strategy;
  options.progress_interval_seconds = 0;
  return options;
}

}  // namespace

TEST_CASE("A complete search of the counter is ok", "[checker][bounds]") {
  CounterModel model;
  for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
    const auto result = check(model, quiet(strategy));
    CHECK(result.verdict == Verdict::ok);
    CHECK(result.stats.states == 11);
    CHECK(result.stats.transitions == 20);  // 10 increments + 10 resets
  }
}

TEST_CASE("A max-states bound makes the result incomplete, never ok", "[checker][bounds]") {
  CounterModel model;
  model.limit = 100;
  for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
    auto options = quiet(strategy);
    options.max_states = 10;
    const auto result = check(model, options);
    CHECK(result.verdict == Verdict::incomplete);
    CHECK(exit_code(result.verdict) == 3);
    CHECK_THAT(result.stop_reason, Catch::Contains("max states"));
    CHECK(result.stats.states < 100);
    CHECK(result.find("below_forbidden")->status == PropertyStatus::unknown);
  }
}

TEST_CASE("A max-depth bound makes the result incomplete", "[checker][bounds]") {
  CounterModel model;
  for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
    auto options = quiet(strategy);
    options.max_depth = 4;
    const auto result = check(model, options);
    CHECK(result.verdict == Verdict::incomplete);
    CHECK(result.stats.max_depth == 4);
    CHECK(result.stats.states == 5);
  }
}

TEST_CASE("A bound the search never hits leaves the result ok", "[checker][bounds]") {
  CounterModel model;
  auto options = quiet();
  options.max_depth = 50;
  options.max_states = 50;
  CHECK(check(model, options).verdict == Verdict::ok);
}

TEST_CASE("A time limit stops a search that would run long", "[checker][bounds]") {
  CounterModel model;
  model.limit = 4'000'000'000u;
  model.forbidden = model.limit + 1;
  for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
    auto options = quiet(strategy);
    options.time_limit_seconds = 0.1;
    const auto result = check(model, options);
    CHECK(result.verdict == Verdict::incomplete);
    CHECK_THAT(result.stop_reason, Catch::Contains("time limit"));
  }
}

TEST_CASE("A violated invariant stops the search with a shortest trace", "[checker][bounds]") {
  CounterModel model;
  model.forbidden = 6;
  const auto result = check(model, quiet());
  CHECK(result.verdict == Verdict::violation);
  const auto* p = result.find("below_forbidden");
  REQUIRE(p->status == PropertyStatus::violated);
  REQUIRE(p->trace->steps.size() == 7);
  CHECK(p->trace->steps.back().state[0].value == "6");
  CHECK(p->ids == "T1");
}
