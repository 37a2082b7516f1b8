// The page symmetry that `lmc check --symmetry` relies on (symmetry.cpp),
// checked on the model itself rather than trusted: swapping two pages of a
// VM (the swaps of neighbours generate every permutation) must map the
// successors of a state exactly onto the successors of the swapped state,
// keep every property's value and whether the state is an intended end, and
// leave the representative unchanged; and the representative must be the
// state with its pages reordered, nothing else changed. On every preset and
// mutant, and on configurations with three and four pages. Four seeded bugs
// show that each part of the check can fail.

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <unordered_set>
#include <vector>

#include "cluster_fixture.hpp"
#include "model/cluster/cluster_model.hpp"

using namespace lmc;
using lmc::testing::check_preset;
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
  std::size_t not_in_class = 0;    ///< canon(s) is not s with its pages reordered
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

/// VM v's pages as sorted (version, copy, dirty) triples: what a
/// reordering of its pages keeps.
std::vector<std::array<int, 3>> page_multiset(const State& s, int v, int pages) {
  std::vector<std::array<int, 3>> triples;
  for (int p = 0; p < pages; ++p) {
    triples.push_back({s.vm[v].memory[p], s.vm[v].copy[p], s.lm[v].dirty >> p & 1});
  }
  std::sort(triples.begin(), triples.end());
  return triples;
}

/// Whether `representative` is `s` with each VM's pages reordered.
bool reorders_pages_of(const State& s, State representative, int vms, int pages) {
  for (int v = 0; v < vms; ++v) {
    if (page_multiset(s, v, pages) != page_multiset(representative, v, pages)) return false;
    representative.vm[v].memory = s.vm[v].memory;
    representative.vm[v].copy = s.vm[v].copy;
    representative.lm[v].dirty = s.lm[v].dirty;
  }
  return representative == s;  // and nothing else differs
}

/// What the symmetry must keep, checked on a model: its successors (by
/// default the model's), its properties (by default the model's), and the
/// representative it stores.
struct SymmetryCheck {
  const cluster::ClusterModel& model;
  std::vector<Property<State>> properties;
  Successors successors;
  Canonicalize canonicalize;

  explicit SymmetryCheck(const cluster::ClusterModel& m)
      : model(m),
        properties(m.properties()),
        successors([&m](const State& s) { return lmc::testing::successors(m, s); }),
        canonicalize([&m](State& s) { m.canonicalize(s); }) {}

  /// Explores up to `limit` states (breadth-first; the ones expanded before
  /// `limit` were seen) and checks every swap of neighbouring pages of
  /// every VM on each.
  Findings run(std::size_t limit) const {
    const auto vms = static_cast<int>(model.config().vms.size());
    const int pages = model.topology().pages();
    Findings f;
    explore(model, limit, [&](const State& s) {
      ++f.states;
      auto representative = s;
      canonicalize(representative);
      if (!reorders_pages_of(s, representative, vms, pages)) ++f.not_in_class;
      auto again = representative;
      canonicalize(again);
      if (!(again == representative)) ++f.class_mismatch;
      for (int v = 0; v < vms; ++v) {
        for (int p = 0; p + 1 < pages; ++p) check_swap(s, representative, v, p, f);
      }
    });
    return f;
  }

 private:
  void check_swap(const State& s, const State& representative, int v, int p, Findings& f) const {
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

constexpr std::size_t kLimit = 20000;

void require_symmetric(const cluster::Config& config, cluster::Mutant mutant) {
  const cluster::ClusterModel model(config, mutant);
  const auto f = SymmetryCheck(model).run(kLimit);
  INFO(f.states << " states, " << f.swaps << " swaps");
  CHECK(f.successor_mismatch == 0);
  CHECK(f.property_mismatch == 0);
  CHECK(f.terminal_mismatch == 0);
  CHECK(f.class_mismatch == 0);
  CHECK(f.not_in_class == 0);
  // Where an LM runs and the guest writes, some swaps change the state, so
  // the checks above had something to compare.
  if (config.scope.lm_requests > 0 && config.scope.guest_writes > 0) CHECK(f.swaps > 0);
}

cluster::Config default_with_pages(int pages) {
  auto config = load_preset_config("default");
  config.scope.pages_per_vm = pages;
  return config;
}

const cluster::ClusterModel& default_model() {
  static const cluster::ClusterModel model(load_preset_config("default"), cluster::Mutant::none);
  return model;
}

}  // namespace

TEST_CASE("A VM's pages are interchangeable on every preset and mutant", "[cluster][symmetry]") {
  lmc::testing::for_each_preset_and_mutant([](const std::string& preset, cluster::Mutant mutant) {
    require_symmetric(load_preset_config(preset), mutant);
  });
}

TEST_CASE("A VM's pages are interchangeable with three and four pages", "[cluster][symmetry]") {
  for (int pages : {3, 4}) {
    INFO(pages << " pages");
    require_symmetric(default_with_pages(pages), cluster::Mutant::none);
  }
}

TEST_CASE("With three pages the reduced search gives the full search's verdicts",
          "[cluster][symmetry]") {
  SearchOptions options;
  options.progress_interval_seconds = 0;
  const auto config = default_with_pages(3);
  const auto full = check_cluster(config, cluster::Mutant::none, options);
  options.symmetry = true;
  const auto reduced = check_cluster(config, cluster::Mutant::none, options);
  INFO(full.stats.states << " states, " << reduced.stats.states << " with symmetry");
  CHECK(reduced.stats.states < full.stats.states);
  CHECK(reduced.verdict == full.verdict);
  CHECK(reduced.stats.max_depth == full.stats.max_depth);
  REQUIRE(reduced.properties.size() == full.properties.size());
  for (std::size_t i = 0; i < full.properties.size(); ++i) {
    INFO(full.properties[i].name);
    CHECK(reduced.properties[i].status == full.properties[i].status);
  }
}

TEST_CASE("Seeded: a model that never writes the second page is caught as asymmetric",
          "[cluster][symmetry]") {
  const auto& model = default_model();
  SymmetryCheck check(model);
  check.successors = [&](const State& s) {
    std::vector<cluster::Action> actions;
    model.actions(s, actions);
    std::vector<State> out;
    for (const auto& a : actions) {
      if (a.kind == cluster::Kind::guest_write && a.page == 1) continue;
      if (auto next = model.next_state(s, a)) out.push_back(*next);
    }
    return out;
  };
  CHECK(check.run(kLimit).successor_mismatch > 0);
}

TEST_CASE("Seeded: a property that names a page is caught", "[cluster][symmetry]") {
  SymmetryCheck check(default_model());
  check.properties.push_back(Property<State>::always(
      "first_page_never_written", "", [](const State& s) { return s.vm[0].memory[0] == 0; }));
  CHECK(check.run(kLimit).property_mismatch > 0);
}

TEST_CASE("Seeded: a representative that sorts versions but not their copies is caught",
          "[cluster][symmetry]") {
  SymmetryCheck check(default_model());
  check.canonicalize = [](State& s) {
    for (auto& vm : s.vm) std::sort(vm.memory.begin(), vm.memory.begin() + 2);
  };
  CHECK(check.run(kLimit).class_mismatch > 0);
}

TEST_CASE("Seeded: a representative that forgets the dirty pages is caught",
          "[cluster][symmetry]") {
  const auto& model = default_model();
  SymmetryCheck check(model);
  check.canonicalize = [&](State& s) {
    model.canonicalize(s);
    for (auto& lm : s.lm) lm.dirty = 0;
  };
  const auto f = check.run(kLimit);
  CHECK(f.not_in_class > 0);
  CHECK(f.class_mismatch == 0);  // consistent on a class, yet it merges classes
}
