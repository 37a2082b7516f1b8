// The engine's side of the model API: kinds that depend on the state, typed
// paths in the model's own types, and progress delivered to the caller.

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>

#include "checker/engine/check.hpp"
#include "counter_model.hpp"

using namespace lmc;
using lmc::testing::CounterModel;

namespace {

/// Counts up to `limit`; a step from an even value is of kind "from_even",
/// from an odd one "from_odd": the kind needs the state, not only the action.
struct ParityCounter {
  struct State {
    std::uint32_t value = 0;
    bool operator==(const State&) const = default;
  };
  struct Action {};
  std::uint32_t limit = 5;
  std::vector<State> initial_states() const { return {State{}}; }
  void actions(const State&, std::vector<Action>& out) const { out.push_back({}); }
  std::optional<State> next_state(const State& s, const Action&) const {
    if (s.value >= limit) return std::nullopt;
    return State{s.value + 1};
  }
  bool is_terminal(const State& s) const { return s.value == limit; }
  std::vector<std::string> action_kinds() const { return {"from_even", "from_odd"}; }
  std::size_t action_kind(const State& s, const Action&) const { return s.value % 2; }
};
static_assert(Model<ParityCounter>);

std::uint64_t coverage_of(const CheckResult& result, const std::string& kind) {
  for (const auto& entry : result.coverage) {
    if (entry.action == kind) return entry.count;
  }
  FAIL("no coverage entry " << kind);
  return 0;
}

SearchOptions quiet(Strategy strategy) {
  SearchOptions options;
  options.strategy = strategy;
  options.progress_interval_seconds = 0;
  options.walks = 1;
  options.walk_depth = 10;
  return options;
}

}  // namespace

TEST_CASE("A kind read off the state counts each step under it in every strategy",
          "[checker][model-api]") {
  ParityCounter model;  // steps from 0, 2, 4 are from_even; from 1, 3 from_odd
  for (auto strategy : {Strategy::bfs, Strategy::dfs, Strategy::simulation}) {
    const auto result = check(model, quiet(strategy));
    INFO("strategy " << to_string(strategy));
    CHECK(coverage_of(result, "from_even") == 3);
    CHECK(coverage_of(result, "from_odd") == 2);
    CHECK(result.verdict == (strategy == Strategy::simulation ? Verdict::incomplete : Verdict::ok));
  }
}

TEST_CASE("A counterexample comes back in the model's own states and actions",
          "[checker][model-api]") {
  CounterModel model;
  model.forbidden = 3;
  const auto result = check(model, quiet(Strategy::bfs));
  const auto& trace = *result.find("below_forbidden")->trace;
  const auto path = path_of(model, trace);
  REQUIRE(path.has_value());
  REQUIRE(path->states.size() == 4);
  REQUIRE(path->actions.size() == 3);
  for (std::uint32_t i = 0; i < 4; ++i) CHECK(path->states[i].value == i);
  for (const auto& action : path->actions) CHECK_FALSE(action.reset);
}

TEST_CASE("A path that does not replay on the model gives no typed path", "[checker][model-api]") {
  CounterModel model;
  Trace out_of_range;
  out_of_range.path = {0, 7};  // the counter has two candidate actions
  CHECK_FALSE(path_of(model, out_of_range).has_value());
  Trace disabled;
  disabled.path = {0, 1};  // reset at 0 is disabled
  CHECK_FALSE(path_of(model, disabled).has_value());
  Trace bad_initial;
  bad_initial.path = {1};
  CHECK_FALSE(path_of(model, bad_initial).has_value());
}

namespace {

/// A counter slow enough (a few ms a step) that a search lasts several
/// progress intervals.
struct SlowCounter {
  struct State {
    std::uint32_t value = 0;
    bool operator==(const State&) const = default;
  };
  struct Action {};
  std::vector<State> initial_states() const { return {State{}}; }
  void actions(const State&, std::vector<Action>& out) const { out.push_back({}); }
  std::optional<State> next_state(const State& s, const Action&) const {
    std::this_thread::sleep_for(std::chrono::milliseconds(4));
    if (s.value >= 60) return std::nullopt;
    return State{s.value + 1};
  }
  bool is_terminal(const State& s) const { return s.value == 60; }
};

}  // namespace

TEST_CASE("Progress goes to the caller's reporter, with counts that only grow",
          "[checker][model-api]") {
  for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
    std::mutex mutex;
    std::vector<ProgressReport> readings;
    auto options = quiet(strategy);
    options.progress_interval_seconds = 0.05;
    options.on_progress = [&](const ProgressReport& report) {
      std::lock_guard lock(mutex);
      readings.push_back(report);
    };
    const auto result = check(SlowCounter{}, options);  // about 0.25 s
    INFO("strategy " << to_string(strategy));
    CHECK(result.stats.states == 61);
    std::lock_guard lock(mutex);
    REQUIRE_FALSE(readings.empty());
    for (std::size_t i = 1; i < readings.size(); ++i) {
      CHECK(readings[i].seconds > readings[i - 1].seconds);
      CHECK(readings[i].states >= readings[i - 1].states);
    }
    CHECK(readings.back().states <= 61);
  }
}

namespace {

/// A packable counter that counts which packing members the engine calls.
struct PackedCounter {
  struct State {
    std::uint32_t value = 0;
    bool operator==(const State&) const = default;
  };
  struct Action {
    std::uint32_t step;
  };
  struct Calls {
    std::atomic<int> pack{0}, repack{0}, unpack{0}, unpack_over{0};
  };
  bool with_repack = true;
  Calls* calls;
  std::vector<State> initial_states() const { return {State{}}; }
  void actions(const State&, std::vector<Action>& out) const {
    out.push_back({1});
    out.push_back({2});
  }
  std::optional<State> next_state(const State& s, const Action& a) const {
    if (s.value + a.step > 40) return std::nullopt;
    return State{s.value + a.step};
  }
  bool is_terminal(const State& s) const { return s.value >= 39; }
  std::size_t packed_words() const { return 1; }
  void pack(const State& s, std::uint64_t* words) const {
    ++calls->pack;
    words[0] = s.value;
  }
  void unpack(const std::uint64_t* words, State& s) const {
    ++calls->unpack;
    s.value = static_cast<std::uint32_t>(words[0]);
  }
  void repack(const State&, const std::uint64_t*, const State& s, std::uint64_t* words) const {
    ++calls->repack;
    words[0] = s.value;
  }
  void unpack_over(const std::uint64_t*, const std::uint64_t* words, State& s) const {
    ++calls->unpack_over;
    s.value = static_cast<std::uint32_t>(words[0]);
  }
};
static_assert(RepackingModel<PackedCounter> && DeltaUnpackingModel<PackedCounter>);

}  // namespace

TEST_CASE("Packed storage goes through the model's cheaper packing members",
          "[checker][model-api]") {
  PackedCounter::Calls calls;
  PackedCounter model{true, &calls};
  auto options = quiet(Strategy::bfs);
  options.storage = StorageMode::packed;
  const auto packed = check(model, options);
  options.storage = StorageMode::exact;
  const int packs_before_exact = calls.pack;
  const auto exact = check(model, options);
  CHECK(packed.stats.storage == StorageMode::packed);
  CHECK(packed.stats.states == 41);
  CHECK(exact.stats.states == packed.stats.states);
  CHECK(exact.stats.transitions == packed.stats.transitions);
  CHECK(calls.repack > 0);                  // successors re-encoded from their parent's words
  CHECK(calls.unpack_over > 0);             // a level's states decoded one over the other
  CHECK(calls.pack == packs_before_exact);  // exact storage packs nothing
}
