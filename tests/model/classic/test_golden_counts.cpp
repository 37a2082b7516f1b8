// Golden numbers of the small models: every strategy, thread count and
// storage mode must give the same states, transitions and verdicts. The
// numbers come from real runs; two of them are also known independently:
// 288 states for TwoPhase with 3 managers (the TLA+ literature) and the
// deadlock of n philosophers after n steps. SPIN's counts are compared in
// tests/spin.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "checker/cli/builtin_models.hpp"
#include "checker/engine/local_communicator.hpp"
#include "checker/engine/model_registry.hpp"

namespace {

using namespace lmc;

struct Golden {
  std::string model;
  std::vector<std::string> params;
  Verdict verdict;
  std::uint64_t states;       ///< bfs
  std::uint64_t transitions;  ///< bfs
  std::uint32_t max_depth;    ///< bfs
  std::string failing;        ///< property with the counterexample, or ""
  std::size_t trace_length;   ///< bfs: shortest counterexample
  std::uint64_t dfs_states;   ///< dfs stops at its first violation
  std::uint64_t dfs_transitions;
};

const std::vector<Golden> kGolden = {
    {"peterson", {"n=2"}, Verdict::ok, 34, 62, 9, "", 0, 34, 62},
    {"peterson", {"n=3"}, Verdict::ok, 705, 1725, 21, "", 0, 705, 1725},
    {"peterson", {"n=4"}, Verdict::ok, 14844, 44120, 36, "", 0, 14844, 44120},
    {"peterson",
     {"n=3", "swap=1"},
     Verdict::violation,
     1476,
     3300,
     14,
     "mutual_exclusion",
     14,
     432,
     614},
    {"philosophers", {"n=5"}, Verdict::violation, 82, 265, 5, "deadlock", 5, 19, 24},
    {"philosophers", {"n=5", "fixed=1"}, Verdict::ok, 70, 219, 5, "", 0, 70, 219},
    {"philosophers", {"n=6", "fixed=1"}, Verdict::ok, 169, 638, 6, "", 0, 169, 638},
    {"two_phase_commit", {"n=3"}, Verdict::ok, 288, 1145, 10, "", 0, 288, 1145},
    {"two_phase_commit", {"n=4"}, Verdict::ok, 1568, 8257, 13, "", 0, 1568, 8257},
    {"two_phase_commit",
     {"n=3", "bug=1"},
     Verdict::violation,
     110,
     251,
     3,
     "managers_agree",
     3,
     9,
     17},
};

/// The registry's entry of g's model and g's parameter values.
std::pair<const ModelEntry*, ParameterValues> entry_of(const Golden& g) {
  const auto* model = find_model(builtin_models(), g.model);
  REQUIRE(model != nullptr);
  std::string error;
  const auto values = parse_parameters(*model, g.params, error);
  REQUIRE(values.has_value());
  return {model, *values};
}

CheckResult run(const Golden& g, SearchOptions options) {
  const auto [model, values] = entry_of(g);
  options.progress_interval_seconds = 0;
  return model->check(values, options);
}

/// run(g, options) on `ranks` local ranks: every rank's result. The model
/// is looked up here, as Catch2's assertions must not run on the rank
/// threads (its bookkeeping is not thread-safe).
std::vector<CheckResult> run_distributed(const Golden& g, SearchOptions options, int ranks) {
  const auto [model, values] = entry_of(g);
  options.progress_interval_seconds = 0;
  std::vector<CheckResult> results(ranks);
  run_local_ranks(ranks, [&, model = model, values = values](Communicator& comm) {
    auto mine = options;
    mine.communicator = &comm;
    results[comm.rank()] = model->check(values, mine);
  });
  return results;
}

std::string label(const Golden& g) {
  std::string text = g.model;
  for (const auto& p : g.params) text += " " + p;
  return text;
}

}  // namespace

TEST_CASE("bfs gives the golden counts on every thread count and storage mode",
          "[checker][golden][bfs]") {
  for (const auto& g : kGolden) {
    for (unsigned threads : {1u, 2u, 4u}) {
      for (auto storage : {StorageMode::exact, StorageMode::fingerprint, StorageMode::packed}) {
        INFO(label(g) << ", " << threads << " threads, " << to_string(storage));
        SearchOptions options;
        options.threads = threads;
        options.storage = storage;
        const auto result = run(g, options);
        CHECK(result.verdict == g.verdict);
        CHECK(result.stats.states == g.states);
        CHECK(result.stats.transitions == g.transitions);
        CHECK(result.stats.max_depth == g.max_depth);
        if (!g.failing.empty()) {
          const auto* failing = result.find(g.failing);
          REQUIRE(failing != nullptr);
          REQUIRE(failing->trace.has_value());
          CHECK_FALSE(failing->trace->nondeterministic);
          CHECK(failing->trace->steps.size() - 1 == g.trace_length);
        }
      }
    }
  }
}

TEST_CASE("Distributed bfs gives the golden counts on 1-4 ranks in every storage mode",
          "[checker][golden][distributed]") {
  for (const auto& g : kGolden) {
    for (int ranks : {1, 2, 3, 4}) {
      for (auto storage : {StorageMode::exact, StorageMode::fingerprint, StorageMode::packed}) {
        INFO(label(g) << ", " << ranks << " ranks, " << to_string(storage));
        SearchOptions options;
        options.storage = storage;
        const auto results = run_distributed(g, options, ranks);
        for (const auto& result : results) {  // every rank ends with the same result
          CHECK(result.verdict == g.verdict);
          CHECK(result.stats.states == g.states);
          CHECK(result.stats.transitions == g.transitions);
          CHECK(result.stats.max_depth == g.max_depth);
          CHECK(result.stats.ranks.size() == std::size_t(ranks));
          if (!g.failing.empty()) {
            const auto* failing = result.find(g.failing);
            REQUIRE(failing != nullptr);
            REQUIRE(failing->trace.has_value());
            CHECK_FALSE(failing->trace->nondeterministic);
            CHECK(failing->trace->steps.size() - 1 == g.trace_length);
          }
        }
        std::uint64_t owned = 0;
        for (const auto& rank : results[0].stats.ranks) owned += rank.states;
        CHECK(owned >= g.states);  // a deadlock stop leaves the next level stored, uncounted
      }
    }
  }
}

TEST_CASE("Distributed bfs with --continue: the same counts and shortest counterexamples",
          "[checker][golden][distributed]") {
  for (const auto& g : kGolden) {
    if (g.failing.empty()) continue;
    SearchOptions options;
    options.continue_after_violation = true;
    const auto one = run(g, options);
    const auto results = run_distributed(g, options, 3);
    INFO(label(g));
    CHECK(results[0].stats.states == one.stats.states);
    CHECK(results[0].stats.transitions == one.stats.transitions);
    REQUIRE(results[0].properties.size() == one.properties.size());
    for (std::size_t i = 0; i < one.properties.size(); ++i) {
      INFO(one.properties[i].name);
      CHECK(results[0].properties[i].status == one.properties[i].status);
      if (one.properties[i].trace) {
        REQUIRE(results[0].properties[i].trace.has_value());
        CHECK(results[0].properties[i].trace->steps.size() ==
              one.properties[i].trace->steps.size());
      }
    }
  }
}

TEST_CASE("bfs traces are the same on every thread count", "[checker][golden][bfs]") {
  for (const auto& g : kGolden) {
    if (g.failing.empty()) continue;
    SearchOptions one;
    const auto reference = run(g, one);
    for (unsigned threads : {2u, 4u}) {
      INFO(label(g) << ", " << threads << " threads");
      SearchOptions options;
      options.threads = threads;
      const auto result = run(g, options);
      const auto& a = reference.find(g.failing)->trace->steps;
      const auto& b = result.find(g.failing)->trace->steps;
      REQUIRE(a.size() == b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].action == b[i].action);
        CHECK(a[i].state == b[i].state);
      }
    }
  }
}

TEST_CASE("dfs gives the golden counts in every storage mode", "[checker][golden][dfs]") {
  for (const auto& g : kGolden) {
    for (auto storage : {StorageMode::exact, StorageMode::fingerprint, StorageMode::packed}) {
      INFO(label(g) << ", dfs, " << to_string(storage));
      SearchOptions options;
      options.strategy = Strategy::dfs;
      options.storage = storage;
      const auto result = run(g, options);
      CHECK(result.verdict == g.verdict);
      CHECK(result.stats.states == g.dfs_states);
      CHECK(result.stats.transitions == g.dfs_transitions);
      if (!g.failing.empty()) {
        const auto* failing = result.find(g.failing);
        REQUIRE(failing != nullptr);
        REQUIRE(failing->trace.has_value());
        CHECK_FALSE(failing->trace->nondeterministic);
        // Depth-first traces are valid but need not be shortest.
        CHECK(failing->trace->steps.size() - 1 >= g.trace_length);
      }
    }
  }
}

TEST_CASE("Every property of an ok model is decided", "[checker][golden]") {
  for (const auto& g : kGolden) {
    if (g.verdict != Verdict::ok) continue;
    INFO(label(g));
    const auto result = run(g, SearchOptions{});
    for (const auto& p : result.properties) {
      INFO(p.name);
      CHECK((p.status == PropertyStatus::holds || p.status == PropertyStatus::reached));
    }
    for (const auto& c : result.coverage) {
      INFO(c.action);
      CHECK(c.count > 0);
    }
  }
}
