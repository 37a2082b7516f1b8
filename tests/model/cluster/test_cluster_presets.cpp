// Golden numbers of every preset of the cluster model, from real runs: the
// same for every strategy, thread count and storage mode. A changed number is
// a changed model; update it only with a reason in the commit message.

#include <catch2/catch.hpp>

#include "cluster_fixture.hpp"

using namespace lmc;
using lmc::testing::check_preset;

namespace {

struct Golden {
  std::string preset;
  Verdict verdict;
  std::uint64_t states;
  std::uint64_t transitions;
  std::uint32_t max_depth;
  std::string failing;  ///< the hazard a preset exists to show, or ""
  std::size_t trace_length;
};

const std::vector<Golden> kGolden = {
    {"default", Verdict::ok, 190005, 712530, 22, "", 0},
    {"x86-local", Verdict::ok, 12494, 38854, 19, "", 0},
    {"x86-native", Verdict::ok, 57389, 195899, 21, "", 0},
    {"recovery", Verdict::ok, 66, 133, 9, "", 0},
    {"two-vms", Verdict::ok, 1292, 1676, 22, "", 0},
    {"toctou", Verdict::ok, 50660, 196816, 25, "", 0},
    // Hazards the seed admits: expected to fail, with these counterexamples.
    {"recover-while-alive", Verdict::violation, 86, 152, 4, "I2_single_owner", 4},
    {"p9-gap", Verdict::violation, 40, 45, 9, "P9_guest_network_reachable", 9},
};

/// With --symmetry (one state per order of each VM's pages), from real runs;
/// the verdicts and shortest counterexamples are those of kGolden.
struct ReducedGolden {
  std::string preset;
  std::uint64_t states;
  std::uint64_t transitions;
};

const std::vector<ReducedGolden> kReduced = {
    {"default", 118521, 440499}, {"x86-local", 7995, 24909}, {"x86-native", 36407, 124948},
    {"recovery", 66, 133},       {"two-vms", 665, 924},      {"recover-while-alive", 86, 152},
    {"p9-gap", 25, 32},          {"toctou", 35318, 137859},
};

const Golden& full_golden(const std::string& preset) {
  for (const auto& g : kGolden) {
    if (g.preset == preset) return g;
  }
  FAIL("no golden counts for " << preset);
  return kGolden.front();
}

/// The preset on 1, 2 and 4 threads (exact, fingerprint and packed storage):
/// g's verdict, depth and shortest counterexample, and these counts.
void check_on_every_thread_count(const Golden& g, std::uint64_t states, std::uint64_t transitions,
                                 bool symmetry) {
  for (unsigned threads : {1u, 2u, 4u}) {
    const auto storage = threads == 1   ? StorageMode::exact
                         : threads == 2 ? StorageMode::fingerprint
                                        : StorageMode::packed;
    INFO(g.preset << ", " << threads << " threads, " << to_string(storage)
                  << (symmetry ? ", symmetry" : ""));
    SearchOptions options;
    options.threads = threads;
    options.storage = storage;
    options.symmetry = symmetry;
    const auto result = check_preset(g.preset, options);
    CHECK(result.stats.symmetry == symmetry);
    CHECK(result.verdict == g.verdict);
    CHECK(result.stats.states == states);
    CHECK(result.stats.transitions == transitions);
    CHECK(result.stats.max_depth == g.max_depth);
    if (!g.failing.empty()) {
      const auto* failing = result.find(g.failing);
      REQUIRE(failing != nullptr);
      REQUIRE(failing->trace.has_value());
      CHECK(failing->trace->steps.size() - 1 == g.trace_length);
      CHECK_FALSE(failing->trace->nondeterministic);
    }
  }
}

}  // namespace

TEST_CASE("With symmetry, every preset gives its reduced counts and its full verdicts",
          "[cluster][golden][symmetry]") {
  for (const auto& r : kReduced) {
    const auto& g = full_golden(r.preset);
    check_on_every_thread_count(g, r.states, r.transitions, true);
    if (g.verdict == Verdict::ok) {
      SearchOptions dfs;
      dfs.strategy = Strategy::dfs;
      dfs.symmetry = true;
      const auto result = check_preset(r.preset, dfs);
      CHECK(result.stats.states == r.states);
      CHECK(result.stats.transitions == r.transitions);
    }
  }
}

TEST_CASE("Every preset gives its golden counts on 1, 2 and 4 threads, every storage mode",
          "[cluster][golden]") {
  for (const auto& g : kGolden) check_on_every_thread_count(g, g.states, g.transitions, false);
}

TEST_CASE("Depth-first search stores the same states on the presets that hold",
          "[cluster][golden][dfs]") {
  for (const auto& g : kGolden) {
    if (g.verdict != Verdict::ok) continue;
    INFO(g.preset);
    SearchOptions options;
    options.strategy = Strategy::dfs;
    const auto result = check_preset(g.preset, options);
    CHECK(result.verdict == Verdict::ok);
    CHECK(result.stats.states == g.states);
    CHECK(result.stats.transitions == g.transitions);
  }
}

TEST_CASE(
    "On the presets that hold, every property holds, every goal is reached and every "
    "enabled action fires",
    "[cluster][golden]") {
  for (const auto& g : kGolden) {
    if (g.verdict != Verdict::ok) continue;
    INFO(g.preset);
    const auto result = check_preset(g.preset, SearchOptions{});
    for (const auto& p : result.properties) {
      INFO(p.name);
      CHECK((p.status == PropertyStatus::holds || p.status == PropertyStatus::reached));
    }
    for (const auto& c : result.coverage) {
      INFO(c.action);
      if (c.enabled) CHECK(c.count > 0);
    }
  }
}

TEST_CASE("The default preset checks I1-I10, L1, L2 and reaches the interesting states",
          "[cluster][golden]") {
  const auto result = check_preset("default", SearchOptions{});
  for (const char* name :
       {"I1_single_execution", "I2_single_owner", "I3_one_lm_per_source", "I4_rollback",
        "I5_memory_integrity", "I6_resource_safety", "I7_guest_state_preserved",
        "I8_single_cluster_manager", "I9_crd_consistent", "I10_monjv_well_formed",
        "L1_lm_terminates", "L2_status_returns_normal"}) {
    INFO(name);
    const auto* p = result.find(name);
    REQUIRE(p != nullptr);
    CHECK(p->status == PropertyStatus::holds);
  }
  for (const char* goal :
       {"lm_succeeds", "lm_rejected", "abort_in_setup", "abort_in_memory_copy",
        "abort_in_switchover", "abort_nonconvergence", "rollback_after_network_break",
        "cluster_manager_takeover", "crd_resynchronised"}) {
    INFO(goal);
    const auto* p = result.find(goal);
    REQUIRE(p != nullptr);
    CHECK(p->status == PropertyStatus::reached);
  }
}
