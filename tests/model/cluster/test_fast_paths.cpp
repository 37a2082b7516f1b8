// The cluster model's shortcuts must not change what it explores: the
// filtered candidate list of `actions` yields the same successors, in the
// same order, as the unfiltered list, and the packed encoding gives back
// every state it packed, on every preset and every mutant.

#include <catch2/catch.hpp>

#include "checker/engine/hash.hpp"
#include "cluster_fixture.hpp"
#include "model/cluster/cluster_model.hpp"

using namespace lmc;
using lmc::testing::explore;
using lmc::testing::load_preset_config;
using lmc::testing::successors;

namespace {

void check_filter(const std::string& preset, cluster::Mutant mutant) {
  const cluster::ClusterModel model(load_preset_config(preset), mutant);
  std::size_t mismatches = 0;
  std::size_t hash_mismatches = 0;
  explore(model, 20000, [&](const cluster::State& s) {
    if (successors(model, s, true) != successors(model, s, false)) ++mismatches;
    // The model hashes with XXH3 inlined; the value must stay hash_object's.
    if (model.hash(s) != lmc::hash_object(s)) ++hash_mismatches;
    // successor (what the search calls) agrees with next_state.
    std::vector<cluster::Action> actions;
    model.actions(s, actions);
    for (const auto& a : actions) {
      cluster::State next;
      const bool enabled = model.successor(s, a, next);
      const auto expected = model.next_state(s, a);
      if (enabled != expected.has_value() || (enabled && !(next == *expected))) ++mismatches;
    }
  });
  CHECK(mismatches == 0);
  CHECK(hash_mismatches == 0);
}

void check_packing(const std::string& preset, cluster::Mutant mutant) {
  const cluster::ClusterModel model(load_preset_config(preset), mutant);
  REQUIRE(model.packed_words() >= 1);
  REQUIRE(model.packed_words() * 8 < sizeof(cluster::State));
  std::size_t mismatches = 0;
  std::vector<std::uint64_t> previous;  // the words of the state explored before
  cluster::State over;                  // unpack_over's result, state after state
  explore(model, 20000, [&](const cluster::State& s) {
    std::vector<std::uint64_t> words(model.packed_words());
    model.pack(s, words.data());
    cluster::State back;
    model.unpack(words.data(), back);
    if (!(back == s)) ++mismatches;
    // The search unpacks a level's states over one another.
    if (previous.empty()) {
      model.unpack(words.data(), over);
    } else {
      model.unpack_over(previous.data(), words.data(), over);
    }
    if (!(over == s)) ++mismatches;
    previous = words;
    // Each successor repacked from its parent's words, as the search does it.
    std::vector<cluster::Action> actions;
    model.actions(s, actions);
    for (const auto& a : actions) {
      const auto next = model.next_state(s, a);
      if (!next) continue;
      std::vector<std::uint64_t> full(model.packed_words()), delta(model.packed_words());
      model.pack(*next, full.data());
      model.repack(s, words.data(), *next, delta.data());
      if (full != delta) ++mismatches;
    }
  });
  CHECK(mismatches == 0);
}

}  // namespace

TEST_CASE("The filtered candidates give the unfiltered successors, in order", "[cluster][fast]") {
  lmc::testing::for_each_preset_and_mutant(check_filter);
}

TEST_CASE(
    "unpack(pack(s)) == s, unpacking over the previous state too, and repack from the "
    "parent equals pack",
    "[cluster][fast]") {
  lmc::testing::for_each_preset_and_mutant(check_packing);
}

TEST_CASE("The default preset packs into three words", "[cluster][fast]") {
  const cluster::ClusterModel model(load_preset_config("default"), cluster::Mutant::none);
  CHECK(model.layout().bits() <= 192);
  CHECK(model.packed_words() == 3);
}

TEST_CASE("Packed storage reports the same counterexamples as exact storage", "[cluster][fast]") {
  for (const auto& info : cluster::mutant_catalogue()) {
    INFO(info.name);
    SearchOptions exact;
    exact.storage = StorageMode::exact;
    SearchOptions packed;
    packed.storage = StorageMode::packed;
    packed.threads = 2;
    const auto a = lmc::testing::check_preset(info.preset, exact, info.mutant);
    const auto b = lmc::testing::check_preset(info.preset, packed, info.mutant);
    CHECK(b.stats.storage == StorageMode::packed);
    CHECK(a.stats.states == b.stats.states);
    CHECK(a.stats.transitions == b.stats.transitions);
    const auto* pa = a.find(info.property);
    const auto* pb = b.find(info.property);
    REQUIRE(pa != nullptr);
    REQUIRE(pb != nullptr);
    REQUIRE(pa->trace.has_value());
    REQUIRE(pb->trace.has_value());
    CHECK_FALSE(pb->trace->nondeterministic);
    REQUIRE(pa->trace->steps.size() == pb->trace->steps.size());
    for (std::size_t i = 0; i < pa->trace->steps.size(); ++i) {
      CHECK(pa->trace->steps[i].action == pb->trace->steps[i].action);
      CHECK(pa->trace->steps[i].state == pb->trace->steps[i].state);
    }
  }
}
