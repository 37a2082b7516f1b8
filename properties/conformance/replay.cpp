#include "properties/conformance/replay.hpp"

#include <fmt/core.h>

#include "properties/conformance/abstraction.hpp"
#include "properties/conformance/cluster_driver.hpp"

namespace lmc::ref {
namespace {

std::string name_of(const cluster::ClusterModel& model, const cluster::Action& action) {
  auto text = fmt::format("{} {}", model.action_kinds()[model.action_kind(action)], +action.unit);
  if (action.kind == cluster::Kind::guest_write) text += fmt::format(" page {}", +action.page);
  return text;
}

/// One step on both sides; false when they part ways (the outcome says how).
bool step(const cluster::ClusterModel& model, const cluster::Action& action, int index,
          cluster::State& state, ClusterDriver& driver, ReplayOutcome& out) {
  using V = ReplayOutcome::Verdict;
  const auto name = name_of(model, action);
  const auto next = model.next_state(state, action);
  if (!next) {
    out.verdict = V::not_a_path;
    out.message = fmt::format("the trace is not a path of its model: step {} ({}) is not enabled",
                              index, name);
    return false;
  }
  state = *next;
  const bool implemented = ClusterDriver::implements(action.kind);
  if (!implemented) {
    out.skipped.push_back(fmt::format("{} {}", index, name));
  } else if (!driver.apply(action)) {
    out.verdict = V::disagrees;
    out.failed_step = index;
    out.message =
        fmt::format("disagrees at step {} ({}): the implementation refuses it", index, name);
    return false;
  }
  out.differences = differences(project(abstract(driver)), project(state));
  if (!out.differences.empty()) {
    out.failed_step = index;
    out.verdict = implemented ? V::disagrees : V::not_replayable;
    out.message = implemented
                      ? fmt::format("disagrees at step {} ({})", index, name)
                      : fmt::format(
                            "not replayable from step {} ({}): the implementation has no "
                            "such step of its own, and the model's state moved on without it",
                            index, name);
    return false;
  }
  for (const auto& broken : check_real_invariants(driver)) {
    out.findings.push_back(fmt::format("step {} ({}): {}", index, name, broken));
  }
  ++out.replayed;
  return true;
}

}  // namespace

ReplayOutcome replay_on_implementation(
    const cluster::ClusterModel& model, const std::vector<cluster::Action>& actions,
    const std::function<void(int, const cluster::Action&)>& on_step) {
  ClusterDriver driver(model.config());
  auto state = model.initial_states().front();
  ReplayOutcome out;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (!step(model, actions[i], index, state, driver, out)) return out;
    if (on_step) on_step(index, actions[i]);
  }
  out.message =
      fmt::format("agrees: {} steps replayed on the reference implementation", out.replayed);
  return out;
}

}  // namespace lmc::ref
