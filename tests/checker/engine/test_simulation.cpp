#include <catch2/catch.hpp>

#include "checker/cli/builtin_models.hpp"
#include "checker/engine/model_registry.hpp"

using namespace lmc;

namespace {

CheckResult simulate(const std::vector<std::string>& params, std::uint64_t seed,
                     std::uint64_t walks) {
  const auto* model = find_model(builtin_models(), "philosophers");
  std::string error;
  const auto values = parse_parameters(*model, params, error);
  SearchOptions options;
  options.strategy = Strategy::simulation;
  options.seed = seed;
  options.walks = walks;
  options.walk_depth = 100;
  options.progress_interval_seconds = 0;
  return model->check(*values, options);
}

}  // namespace

TEST_CASE("Random walks find the philosophers' deadlock", "[checker][simulation]") {
  const auto result = simulate({"n=3"}, 7, 200);
  CHECK(result.verdict == Verdict::violation);
  const auto* deadlock = result.find("deadlock");
  REQUIRE(deadlock->status == PropertyStatus::violated);
  REQUIRE(deadlock->trace.has_value());
  CHECK(deadlock->trace->steps.size() - 1 >= 3);
  CHECK_FALSE(deadlock->trace->nondeterministic);
}

TEST_CASE("A simulation without violation is incomplete, never ok", "[checker][simulation]") {
  const auto result = simulate({"n=4", "fixed=1"}, 1, 50);
  CHECK(result.verdict == Verdict::incomplete);
  CHECK(result.stats.walks == 50);
  CHECK(result.find("philosopher0_eats")->status == PropertyStatus::reached);
  CHECK(result.find("neighbours_never_both_eat")->status == PropertyStatus::unknown);
}

TEST_CASE("The same seed gives the same walks", "[checker][simulation]") {
  const auto a = simulate({"n=6", "fixed=1"}, 42, 30);
  const auto b = simulate({"n=6", "fixed=1"}, 42, 30);
  const auto c = simulate({"n=6", "fixed=1"}, 43, 30);
  CHECK(a.stats.states == b.stats.states);
  CHECK(a.stats.transitions == b.stats.transitions);
  CHECK(a.coverage[0].count == b.coverage[0].count);
  CHECK((a.stats.states != c.stats.states || a.coverage[0].count != c.coverage[0].count));
}
