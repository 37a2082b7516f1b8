#pragma once
// A path of the cluster model (a witness, a counterexample, any action
// sequence) replayed on the reference implementation through the driver:
// after every step the implementation's state, mapped by the abstraction
// function, must equal the model's. `lmc replay` and the tests that hold
// `lmc check` and `lmc migrate` to one verdict (every goal's witness on
// every preset and on generated configurations) use it.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster/cluster_model.hpp"

namespace lmc::ref {

struct ReplayOutcome {
  enum class Verdict {
    agrees,
    disagrees,       ///< the implementation refused a step or ended elsewhere
    not_a_path,      ///< a step is not enabled in the model
    not_replayable,  ///< a step the implementation does inside others moved the model alone
  };
  Verdict verdict = Verdict::agrees;
  std::string message;
  int replayed = 0;
  std::optional<int> failed_step;  ///< 1-based
  std::vector<std::string> differences;
  std::vector<std::string> findings;  ///< invariants broken on the real data
  std::vector<std::string> skipped;   ///< model steps the implementation does inside others
};

/// Replays `actions` from the model's initial state; `on_step` is told of
/// every step both sides took alike.
ReplayOutcome replay_on_implementation(
    const cluster::ClusterModel& model, const std::vector<cluster::Action>& actions,
    const std::function<void(int, const cluster::Action&)>& on_step = {});

}  // namespace lmc::ref
