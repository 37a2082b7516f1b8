// Every seeded design bug must be caught by the property it targets, with a
// short counterexample that replays, on one thread and on two.

#include <catch2/catch.hpp>

#include "cluster_fixture.hpp"

using namespace lmc;
using lmc::testing::check_preset;

TEST_CASE("Each mutant breaks its property with a counterexample of at most 40 steps",
          "[cluster][mutants]") {
  REQUIRE(cluster::mutant_catalogue().size() >= 10);
  for (const auto& info : cluster::mutant_catalogue()) {
    for (unsigned threads : {1u, 2u}) {
      INFO(info.name << " on " << info.preset << ", " << threads << " threads");
      SearchOptions options;
      options.threads = threads;
      const auto result = check_preset(info.preset, options, info.mutant);
      CHECK(result.verdict == Verdict::violation);
      const auto* p = result.find(info.property);
      REQUIRE(p != nullptr);
      CHECK(p->status == PropertyStatus::violated);
      REQUIRE(p->trace.has_value());
      CHECK(p->trace->steps.size() - 1 <= 40);
      CHECK_FALSE(p->trace->nondeterministic);
    }
  }
}

TEST_CASE("With symmetry each mutant is still caught, by a trace the model really takes",
          "[cluster][mutants][symmetry]") {
  for (const auto& info : cluster::mutant_catalogue()) {
    INFO(info.name << " on " << info.preset);
    SearchOptions options;
    const auto full = check_preset(info.preset, options, info.mutant);
    options.symmetry = true;
    const auto reduced = check_preset(info.preset, options, info.mutant);
    CHECK(reduced.stats.states <= full.stats.states);
    const auto* p = reduced.find(info.property);
    REQUIRE(p != nullptr);
    CHECK(p->status == PropertyStatus::violated);
    REQUIRE(p->trace.has_value());
    CHECK_FALSE(p->trace->nondeterministic);
    // Breadth-first over the classes finds a shortest counterexample too.
    CHECK(p->trace->steps.size() == full.find(info.property)->trace->steps.size());
    // Depth-first traces are mapped back onto real paths the same way.
    options.strategy = Strategy::dfs;
    const auto dfs = check_preset(info.preset, options, info.mutant);
    CHECK(dfs.verdict == Verdict::violation);
    bool replayed = false;
    for (const auto& property : dfs.properties) {
      if (property.status != PropertyStatus::violated || !property.trace) continue;
      CHECK_FALSE(property.trace->nondeterministic);
      replayed = true;
    }
    CHECK(replayed);
  }
}

TEST_CASE("Every invariant I1-I10 has a mutant that breaks it", "[cluster][mutants]") {
  for (const char* property :
       {"I1_single_execution", "I2_single_owner", "I3_one_lm_per_source", "I4_rollback",
        "I5_memory_integrity", "I6_resource_safety", "I7_guest_state_preserved",
        "I8_single_cluster_manager", "I9_crd_consistent", "I10_monjv_well_formed"}) {
    INFO(property);
    bool covered = false;
    for (const auto& info : cluster::mutant_catalogue()) covered |= info.property == property;
    CHECK(covered);
  }
}

TEST_CASE("Mutant names parse, unknown ones do not", "[cluster][mutants]") {
  CHECK(cluster::parse_mutant("skip_final_copy") == cluster::Mutant::skip_final_copy);
  CHECK(cluster::parse_mutant("") == cluster::Mutant::none);
  CHECK_FALSE(cluster::parse_mutant("no_such_bug").has_value());
}
