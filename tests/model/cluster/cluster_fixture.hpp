#pragma once
// Loads presets for the cluster model's tests.

#include <catch2/catch.hpp>
#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/cluster_model.hpp"

namespace lmc::testing {

inline cluster::Config load_preset_config(const std::string& name) {
  ClusterSelection selection;
  selection.preset = name;
  std::string error;
  auto config = load_cluster_config(selection, error);
  INFO(error);
  REQUIRE(config.has_value());
  return *config;
}

inline CheckResult check_preset(const std::string& name, SearchOptions options,
                                cluster::Mutant mutant = cluster::Mutant::none) {
  options.progress_interval_seconds = 0;
  return check_cluster(load_preset_config(name), mutant, options);
}

struct StateHash {
  const cluster::ClusterModel* model;
  std::size_t operator()(const cluster::State& s) const { return model->hash(s); }
};

/// The enabled successors of `s`, in candidate order.
inline std::vector<cluster::State> successors(const cluster::ClusterModel& model,
                                              const cluster::State& s, bool filtered = true) {
  std::vector<cluster::Action> actions;
  if (filtered) {
    model.actions(s, actions);
  } else {
    model.unfiltered_actions(s, actions);
  }
  std::vector<cluster::State> out;
  for (const auto& a : actions) {
    if (auto next = model.next_state(s, a)) out.push_back(*next);
  }
  return out;
}

/// Breadth-first over at most `limit` states, calling visit(state) on each.
template <class Visit>
void explore(const cluster::ClusterModel& model, std::size_t limit, Visit&& visit) {
  std::unordered_set<cluster::State, StateHash> seen(16, StateHash{&model});
  std::deque<cluster::State> queue;
  for (const auto& s : model.initial_states()) {
    if (seen.insert(s).second) queue.push_back(s);
  }
  while (!queue.empty() && seen.size() < limit) {
    const auto s = queue.front();
    queue.pop_front();
    visit(s);
    for (const auto& next : successors(model, s, true)) {
      if (seen.insert(next).second) queue.push_back(next);
    }
  }
}

/// Calls check(preset, mutant) on every preset without a mutant, then on
/// every mutant with its own preset.
template <class Check>
void for_each_preset_and_mutant(Check&& check) {
  for (const auto& preset : cluster::preset_names()) {
    INFO(preset);
    check(preset, cluster::Mutant::none);
  }
  for (const auto& info : cluster::mutant_catalogue()) {
    INFO(info.name);
    check(info.preset, info.mutant);
  }
}

}  // namespace lmc::testing
