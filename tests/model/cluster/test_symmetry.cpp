// The page symmetry that `lmc check --symmetry` relies on (symmetry.cpp),
// checked on the model itself rather than trusted: swapping two pages of a
// VM (the swaps of neighbours generate every permutation) must map the
// successors of a state exactly onto the successors of the swapped state,
// keep every property's value and whether the state is an intended end, and
// leave the representative unchanged. On every preset and mutant. Two seeded
// bugs show the check can fail: a model that never writes one page, and a
// representative that sorts the versions but not the copies with them.

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <unordered_set>

#include "cluster_fixture.hpp"
#include "model/cluster/cluster_model.hpp"

using namespace lmc;
using lmc::testing::explore;
using lmc::testing::load_preset_config;
using lmc::testing::StateHash;

namespace {

using cluster::State;
using Successors = std::function<std::vector<State>(const State&)>;
using Canonicalize = std::function<void(State&)>;

/// `s` with pages p and p + 1 of VM v swapped: version, copy and dirty bit.
State swap_pages(State s, int v, int p) {
  std::swap(s.vm[v].memory[p], s.vm[v].memory[p + 1]);
  std::swap(s.vm[v].copy[p], s.vm[v].copy[p + 1]);
  auto& dirty = s.lm[v].dirty;
  const unsigned low = dirty >> p & 1u;
  const unsigned high = dirty >> (p + 1) & 1u;
  dirty = static_cast<std::uint8_t>((dirty & ~(3u << p)) | high << p | low << (p + 1));
  return s;
}

struct Findings {
  std::size_t states = 0;
  std::size_t swaps = 0;               ///< swaps that changed the state
  std::size_t successor_mismatch = 0;  ///< succ(swap(s)) != swap(succ(s))
  std::size_t property_mismatch = 0;
  std::size_t terminal_mismatch = 0;
  std::size_t class_mismatch = 0;  ///< canon(swap(s)) != canon(s), or canon not idempotent
};

bool property_values_equal(const std::vector<Property<State>>& properties, const State& a,
                           const State& b) {
  for (const auto& p : properties) {
    if (p.condition && p.condition(a) != p.condition(b)) return false;
    if (p.goal && p.goal(a) != p.goal(b)) return false;
  }
  return true;
}

std::unordered_set<State, StateHash> as_set(const cluster::ClusterModel& model,
                                            const std::vector<State>& states) {
  return {states.begin(), states.end(), 16, StateHash{&model}};
}

/// Everything the symmetry must keep, for one state and one swap.
struct SwapCheck {
  const cluster::ClusterModel& model;
  const std::vector<Property<State>>& properties;
  const Successors& successors;
  const Canonicalize& canonicalize;

  void operator()(const State& s, const State& representative, int v, int p, Findings& f) const {
    const State swapped = swap_pages(s, v, p);
    if (swapped == s) return;
    ++f.swaps;
    std::vector<State> mapped;
    for (const auto& next : successors(s)) mapped.push_back(swap_pages(next, v, p));
    if (as_set(model, mapped) != as_set(model, successors(swapped))) ++f.successor_mismatch;
    if (!property_values_equal(properties, s, swapped)) ++f.property_mismatch;
    if (model.is_terminal(s) != model.is_terminal(swapped)) ++f.terminal_mismatch;
    auto swapped_representative = swapped;
    canonicalize(swapped_representative);
    if (!(swapped_representative == representative)) ++f.class_mismatch;
  }
};

/// Explores up to `limit` states of the model and checks every swap of
/// neighbouring pages of every VM on each.
Findings check_symmetry(const cluster::ClusterModel& model, const Successors& successors,
                        const Canonicalize& canonicalize, std::size_t limit) {
  const auto properties = model.properties();
  const SwapCheck check{model, properties, successors, canonicalize};
  const auto vms = static_cast<int>(model.config().vms.size());
  const int pages = model.topology().pages();
  Findings f;
  explore(model, limit, [&](const State& s) {
    ++f.states;
    auto representative = s;
    canonicalize(representative);
    auto again = representative;
    canonicalize(again);
    if (!(again == representative)) ++f.class_mismatch;
    for (int v = 0; v < vms; ++v) {
      for (int p = 0; p + 1 < pages; ++p) check(s, representative, v, p, f);
    }
  });
  return f;
}

Findings check_model(const cluster::ClusterModel& model, std::size_t limit) {
  return check_symmetry(
      model, [&](const State& s) { return lmc::testing::successors(model, s); },
      [&](State& s) { model.canonicalize(s); }, limit);
}

void require_symmetric(const std::string& preset, cluster::Mutant mutant) {
  const cluster::ClusterModel model(load_preset_config(preset), mutant);
  const auto f = check_model(model, 20000);
  INFO(f.states << " states, " << f.swaps << " swaps");
  CHECK(f.successor_mismatch == 0);
  CHECK(f.property_mismatch == 0);
  CHECK(f.terminal_mismatch == 0);
  CHECK(f.class_mismatch == 0);
}

}  // namespace

TEST_CASE("A VM's pages are interchangeable on every preset and mutant", "[cluster][symmetry]") {
  lmc::testing::for_each_preset_and_mutant(require_symmetric);
}

TEST_CASE("The check sees swaps at all: the default preset has states with unequal pages",
          "[cluster][symmetry]") {
  const cluster::ClusterModel model(load_preset_config("default"), cluster::Mutant::none);
  const auto f = check_model(model, 20000);
  CHECK(f.states > 10000);  // explore stops once it has seen 20,000
  CHECK(f.swaps > 1000);
}

TEST_CASE("Seeded: a model that never writes the second page is caught as asymmetric",
          "[cluster][symmetry]") {
  const cluster::ClusterModel model(load_preset_config("default"), cluster::Mutant::none);
  const Successors no_write_to_page_1 = [&](const State& s) {
    std::vector<cluster::Action> actions;
    model.actions(s, actions);
    std::vector<State> out;
    for (const auto& a : actions) {
      if (a.kind == cluster::Kind::guest_write && a.page == 1) continue;
      if (auto next = model.next_state(s, a)) out.push_back(*next);
    }
    return out;
  };
  const auto f = check_symmetry(
      model, no_write_to_page_1, [&](State& s) { model.canonicalize(s); }, 20000);
  CHECK(f.successor_mismatch > 0);
}

TEST_CASE("Seeded: a representative that sorts versions but not their copies is caught",
          "[cluster][symmetry]") {
  const cluster::ClusterModel model(load_preset_config("default"), cluster::Mutant::none);
  const Canonicalize versions_only = [&](State& s) {
    for (auto& vm : s.vm) std::sort(vm.memory.begin(), vm.memory.begin() + 2);
  };
  const auto f = check_symmetry(
      model, [&](const State& s) { return lmc::testing::successors(model, s); }, versions_only,
      20000);
  CHECK(f.class_mismatch > 0);
}
