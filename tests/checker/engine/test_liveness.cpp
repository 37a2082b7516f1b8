#include <catch2/catch.hpp>

#include "checker/engine/liveness.hpp"

using lmc::ExploredGraph;
using lmc::find_stuck_vertex;

TEST_CASE("A condition state that can still reach the goal is not stuck", "[checker][liveness]") {
  // 0 -> 1 -> 2 (goal), 2 -> 0
  ExploredGraph graph{3, {{0, 1}, {1, 2}, {2, 0}}};
  REQUIRE_FALSE(find_stuck_vertex(graph, {true, true, true}, {false, false, true}).has_value());
}

TEST_CASE("A condition state that can only reach a sink without the goal is stuck",
          "[checker][liveness]") {
  // 0 -> 1 (goal); 0 -> 2 -> 3 -> 3 (a loop away from the goal)
  ExploredGraph graph{4, {{0, 1}, {0, 2}, {2, 3}, {3, 3}}};
  const auto stuck =
      find_stuck_vertex(graph, {true, false, true, true}, {false, true, false, false});
  REQUIRE(stuck == 2u);
}

TEST_CASE("Without any goal state every condition state is stuck", "[checker][liveness]") {
  ExploredGraph graph{2, {{0, 1}}};
  REQUIRE(find_stuck_vertex(graph, {false, true}, {false, false}) == 1u);
}
