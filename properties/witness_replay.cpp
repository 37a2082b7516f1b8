// `lmc check` and `lmc migrate` give one verdict (the verdict issue, item
// 4): every goal the model reaches — an LM that succeeds, one rejected, one
// aborted in each phase — is reached by the reference implementation too,
// step for step, on every preset and on generated configurations. A
// witness is replayed through the conformance driver and must agree at
// every step (refimpl/conformance/replay.hpp).

#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <catch2/catch.hpp>
#include <iostream>
#include <map>

#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/cluster_model.hpp"
#include "model/cluster/traces/trace_file.hpp"
#include "properties/config_generator.hpp"
#include "properties/conformance/cluster_driver.hpp"
#include "properties/conformance/replay.hpp"

namespace {

using namespace lmc;
using namespace lmc::cluster;
using Verdict = ref::ReplayOutcome::Verdict;

std::vector<Action> actions_of(const ClusterModel& model, const Trace& trace) {
  TraceFile file;
  file.steps = steps_of_trace(model, trace);
  return trace_actions(file, model);
}

/// The model's steps the driver performs inside others (the CM's heartbeat
/// observation, liveness records): a witness that needs one to move the
/// model's state cannot be followed step for step.
bool needs_unreplayable_step(const ClusterModel& model, const std::vector<Action>& actions) {
  auto state = model.initial_states().front();
  for (const auto& action : actions) {
    const auto next = model.next_state(state, action);
    if (!next) return false;
    if (!ref::ClusterDriver::implements(action.kind) && !(*next == state)) return true;
    state = *next;
  }
  return false;
}

struct Replayed {
  int agreed = 0;
  int unreplayable = 0;
};

/// Every reached goal's witness on `config`; returns how many agreed.
Replayed replay_witnesses(const Config& config, SearchOptions options, std::string& failure) {
  options.progress_interval_seconds = 0;
  const auto result = check_cluster(config, Mutant::none, options);
  const ClusterModel model(config, Mutant::none);
  Replayed count;
  for (const auto& property : result.properties) {
    // Goals' witnesses, and the counterexamples of the hazard presets (the
    // implementation must show the hazard the model shows).
    const bool shown =
        property.status == PropertyStatus::reached || property.status == PropertyStatus::violated;
    if (!shown || !property.trace) continue;
    const auto actions = actions_of(model, *property.trace);
    const auto out = ref::replay_on_implementation(model, actions);
    if (out.verdict == Verdict::agrees) {
      ++count.agreed;
    } else if (out.verdict == Verdict::not_replayable && needs_unreplayable_step(model, actions)) {
      ++count.unreplayable;
    } else {
      failure = property.name + ": " + out.message;
      for (const auto& d : out.differences) failure += "\n  " + d;
      return count;
    }
  }
  return count;
}

}  // namespace

TEST_CASE("Every goal's witness on every preset replays on the reference implementation",
          "[properties][witnesses]") {
  for (const auto& preset : preset_names()) {
    INFO(preset);
    ClusterSelection selection;
    selection.preset = preset;
    std::string error;
    const auto config = load_cluster_config(selection, error);
    REQUIRE(config.has_value());
    std::string failure;
    const auto count = replay_witnesses(*config, SearchOptions{}, failure);
    INFO(failure);
    CHECK(failure.empty());
    std::cout << "witnesses of " << preset << ": " << count.agreed << " replayed and agreed, "
              << count.unreplayable << " need a heartbeat or liveness step\n";
    CHECK(count.agreed + count.unreplayable > 0);
  }
}

TEST_CASE("On generated configurations every goal's witness replays", "[properties][witnesses]") {
  std::map<std::string, long> tally;
  rc::prop("the implementation reaches what the model reaches", [&tally] {
    auto config = properties::random_cluster();
    // A scope the search exhausts in a blink: one request, one fault.
    config.scope.fault_budget = properties::uniform(0, 2);
    config.scope.lm_requests = 1;
    config.scope.definition_commands = properties::uniform(0, 2) == 1;
    SearchOptions options;
    options.max_states = 200000;
    std::string failure;
    const auto count = replay_witnesses(config, options, failure);
    if (!failure.empty()) RC_FAIL(failure + "\n" + config_to_json(config));
    tally["witnesses replayed"] += count.agreed;
    tally["witnesses needing a heartbeat step"] += count.unreplayable;
    ++tally["configurations"];
  });
  std::cout << "generated witnesses:";
  for (const auto& [what, n] : tally) std::cout << " " << what << "=" << n;
  std::cout << "\n";
  CHECK(tally["witnesses replayed"] > 0);
}
