#pragma once
// Steps the model and the reference implementation together through a
// pinned sequence of actions and checks, after each, that both took it and
// that the implementation's abstract state is the model's.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "model/cluster/cluster_model.hpp"
#include "properties/conformance/abstraction.hpp"
#include "properties/conformance/cluster_driver.hpp"
#include "properties/conformance/presets.hpp"

namespace lmc::ref::testing {

using cluster::Action;
using cluster::Kind;

inline Action act(Kind kind, int unit = 0, int page = 0) {
  return {kind, static_cast<std::uint8_t>(unit), static_cast<std::uint8_t>(page)};
}

/// The steps of a whole LM of VM `vm` without faults.
inline std::vector<Action> whole_lm(int vm = 0) {
  std::vector<Action> out;
  for (const auto kind :
       {Kind::lm_request, Kind::lm_start, Kind::reserve_target, Kind::copy_round, Kind::stop_io,
        Kind::final_copy, Kind::suspend, Kind::hand_over, Kind::resume, Kind::cleanup}) {
    out.push_back(act(kind, vm));
  }
  return out;
}

struct Lockstep {
  explicit Lockstep(const std::string& preset)
      : model(widened_preset(preset), cluster::Mutant::none),
        driver(widened_preset(preset)),
        state(model.initial_states().front()) {}

  /// Takes `actions` on both sides; REQUIREs agreement after each.
  void run(const std::vector<Action>& actions) {
    for (const auto& a : actions) {
      INFO("action " << static_cast<int>(a.kind) << " unit " << +a.unit);
      const auto next = model.next_state(state, a);
      REQUIRE(next.has_value());
      REQUIRE(driver.apply(a));
      state = *next;
      const auto diffs = differences(project(abstract(driver)), project(state));
      for (const auto& d : diffs) UNSCOPED_INFO(d);
      REQUIRE(diffs.empty());
      const auto broken = check_real_invariants(driver);
      for (const auto& b : broken) UNSCOPED_INFO(b);
      REQUIRE(broken.empty());
    }
  }

  cluster::ClusterModel model;
  ClusterDriver driver;
  cluster::State state;
};

}  // namespace lmc::ref::testing
