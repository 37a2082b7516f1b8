// lmc validate keeps its set of model states up to an equivalence (page
// versions by their relation to the target's copy, and only the states with
// the most guest writes left: trace_validation.cpp). The claim is that this
// never changes a verdict. Here the merged search and the exact one (every
// model state apart) judge the same event sequences: projections of random
// model paths (valid up to the hidden-step bound) and the same with one
// event dropped, duplicated, swapped with the next or replaced by another
// observed action (mostly invalid), on presets and generated configurations.

#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <catch2/catch.hpp>
#include <iostream>
#include <map>

#include "model/cluster/cluster_model.hpp"
#include "model/cluster/config/config_loader.hpp"
#include "model/cluster/traces/trace_validation.hpp"
#include "properties/config_generator.hpp"

namespace {

using namespace lmc;
using namespace lmc::cluster;

/// The observed actions of a random path from an initial state, and how
/// many guest writes it made. Observed actions of other states are kept in
/// `elsewhere` as material for the replacement mutation.
struct Walk {
  std::vector<Action> events;
  std::vector<Action> elsewhere;
  int guest_writes = 0;
};

Walk random_walk(const ClusterModel& model, int length) {
  Walk walk;
  const auto initial = model.initial_states();
  auto state = initial[static_cast<std::size_t>(properties::uniform(0, int(initial.size())))];
  std::vector<Action> actions;
  for (int step = 0; step < length; ++step) {
    actions.clear();
    model.actions(state, actions);
    std::vector<std::pair<Action, State>> enabled;
    for (const auto& a : actions) {
      if (auto next = model.next_state(state, a)) enabled.emplace_back(a, *next);
    }
    if (enabled.empty()) break;
    const auto& [action, next] = enabled[properties::uniform(0, int(enabled.size()))];
    if (!is_unobserved(action.kind)) walk.events.push_back(action);
    if (action.kind == Kind::guest_write) ++walk.guest_writes;
    for (const auto& [other, ignored] : enabled) {
      if (!is_unobserved(other.kind) && !(other.kind == action.kind && other.unit == action.unit)) {
        walk.elsewhere.push_back(other);
      }
    }
    state = next;
  }
  return walk;
}

/// Applies mutation `kind` (0: none) to the events; returns its name.
std::string mutate(std::vector<Action>& events, const std::vector<Action>& elsewhere, int kind) {
  if (events.empty() || kind == 0) return "none";
  const auto at = static_cast<std::size_t>(properties::uniform(0, int(events.size())));
  switch (kind) {
    case 1:
      events.erase(events.begin() + static_cast<long>(at));
      return "drop";
    case 2:
      events.insert(events.begin() + static_cast<long>(at), events[at]);
      return "duplicate";
    case 3:
      if (at + 1 >= events.size()) return "none";
      std::swap(events[at], events[at + 1]);
      return "swap";
    default:
      if (elsewhere.empty()) return "none";
      events[at] =
          elsewhere[static_cast<std::size_t>(properties::uniform(0, int(elsewhere.size())))];
      return "replace";
  }
}

Config drawn_config() {
  if (properties::uniform(0, 2) == 0) {
    auto config = properties::random_cluster();
    config.scope.guest_writes = properties::uniform(1, 4);
    config.scope.max_copy_rounds = properties::uniform(1, 5);
    return config;
  }
  const auto names = preset_names();
  ClusterSelection selection;
  selection.preset = names[static_cast<std::size_t>(properties::uniform(0, int(names.size())))];
  std::string error;
  auto config = load_cluster_config(selection, error);
  RC_ASSERT(config.has_value());
  return *config;
}

}  // namespace

TEST_CASE("Merged and exact trace validation give the same verdict", "[properties][validate]") {
  std::map<std::string, long> tally;
  rc::prop("merging equivalent states changes no verdict", [&tally] {
    const auto config = drawn_config();
    const ClusterModel model(config, Mutant::none);
    auto walk = random_walk(model, properties::uniform(1, 40));
    const auto mutation = mutate(walk.events, walk.elsewhere, properties::uniform(0, 5));
    ValidationOptions exact;
    exact.max_hidden_steps = properties::uniform(0, 5);
    exact.max_states = 300000;
    exact.merge_equivalent_states = false;
    auto merged = exact;
    merged.merge_equivalent_states = true;
    const auto a = validate_trace(model, walk.events, exact);
    const auto b = validate_trace(model, walk.events, merged);
    if (a.truncated) {
      ++tally["skipped: the exact set grew past 300,000 states"];
      return;
    }
    RC_ASSERT(!b.truncated);
    RC_ASSERT(a.valid == b.valid);
    RC_ASSERT(a.failed == b.failed);
    RC_ASSERT(a.matched == b.matched);
    RC_ASSERT(b.largest_set <= a.largest_set);
    ++tally[std::string(a.valid ? "valid" : "invalid") + ", mutation " + mutation];
    if (b.largest_set < a.largest_set) ++tally["merge made the set smaller"];
    if (walk.guest_writes > 0) ++tally["walks with guest writes"];
    if (config.vms.size() > 1) ++tally["configurations with 2+ VMs"];
  });
  std::cout << "validation merge:";
  for (const auto& [what, n] : tally) std::cout << "\n  " << what << ": " << n;
  std::cout << "\n";
  CHECK(tally["merge made the set smaller"] > 0);
  CHECK(tally["valid, mutation none"] > 0);
  CHECK(tally["invalid, mutation replace"] > 0);
}
