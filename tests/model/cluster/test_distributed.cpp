// The distributed search (checker/engine/distributed_bfs.hpp) on ranks that
// are threads of this process: on the cluster model it must give the
// one-process search's counts, coverage, statuses and shortest
// counterexamples for every number of ranks, storage mode, symmetry and
// --continue, and resume from its per-rank checkpoints to the same result.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "checker/engine/checkpoint.hpp"
#include "checker/engine/distributed_checkpoint.hpp"
#include "checker/engine/local_communicator.hpp"
#include "checker/engine/trace_builder.hpp"
#include "cluster_fixture.hpp"

using namespace lmc;
using lmc::testing::check_preset;

namespace {

/// The result of every rank of a distributed check on `ranks` local ranks.
/// The configuration is loaded here: Catch2's assertions must not run on
/// the rank threads (its bookkeeping is not thread-safe).
std::vector<CheckResult> check_distributed(const std::string& preset, SearchOptions options,
                                           int ranks,
                                           cluster::Mutant mutant = cluster::Mutant::none) {
  const auto config = lmc::testing::load_preset_config(preset);
  options.progress_interval_seconds = 0;
  std::vector<CheckResult> results(ranks);
  run_local_ranks(ranks, [&](Communicator& comm) {
    auto mine = options;
    mine.communicator = &comm;
    results[comm.rank()] = check_cluster(config, mutant, mine);
  });
  return results;
}

/// Everything but time and memory, and per property its status and the
/// length of its trace.
void require_same_outcome(const CheckResult& one, const CheckResult& distributed) {
  CHECK(distributed.verdict == one.verdict);
  CHECK(distributed.stats.states == one.stats.states);
  CHECK(distributed.stats.transitions == one.stats.transitions);
  CHECK(distributed.stats.max_depth == one.stats.max_depth);
  REQUIRE(distributed.coverage.size() == one.coverage.size());
  for (std::size_t k = 0; k < one.coverage.size(); ++k) {
    INFO(one.coverage[k].action);
    CHECK(distributed.coverage[k].count == one.coverage[k].count);
  }
  REQUIRE(distributed.properties.size() == one.properties.size());
  for (std::size_t i = 0; i < one.properties.size(); ++i) {
    const auto& a = one.properties[i];
    const auto& b = distributed.properties[i];
    INFO(a.name);
    CHECK(b.status == a.status);
    CHECK(b.trace.has_value() == a.trace.has_value());
    if (a.trace && b.trace) {
      CHECK_FALSE(b.trace->nondeterministic);
      // Breadth-first: a shortest trace, though maybe to another state.
      if (a.status == PropertyStatus::violated || a.status == PropertyStatus::reached) {
        if (a.kind != "liveness") CHECK(b.trace->steps.size() == a.trace->steps.size());
      }
    }
  }
}

}  // namespace

TEST_CASE("Distributed: the default preset on 2 and 4 ranks is the one-process search",
          "[cluster][distributed]") {
  SearchOptions options;
  const auto one = check_preset("default", options);
  for (int ranks : {2, 4}) {
    INFO(ranks << " ranks");
    const auto results = check_distributed("default", options, ranks);
    for (const auto& result : results) require_same_outcome(one, result);
    std::uint64_t owned = 0;
    for (const auto& rank : results[0].stats.ranks) {
      owned += rank.states;
      CHECK(rank.states > 0);  // the hash spreads the states over every rank
      CHECK(rank.bytes_sent > 0);
    }
    CHECK(owned == one.stats.states);
  }
}

TEST_CASE("Distributed: exact and fingerprint storage, and symmetry, agree with one process",
          "[cluster][distributed]") {
  for (auto storage : {StorageMode::exact, StorageMode::fingerprint}) {
    INFO(to_string(storage));
    SearchOptions options;
    options.storage = storage;
    require_same_outcome(check_preset("default", options),
                         check_distributed("default", options, 3)[0]);
  }
  SearchOptions symmetric;
  symmetric.symmetry = true;
  require_same_outcome(check_preset("default", symmetric),
                       check_distributed("default", symmetric, 2)[0]);
}

TEST_CASE("Distributed: every mutant is caught with a shortest counterexample",
          "[cluster][distributed][mutants]") {
  for (const auto& info : cluster::mutant_catalogue()) {
    INFO(info.name << " on " << info.preset);
    SearchOptions options;
    const auto one = check_preset(info.preset, options, info.mutant);
    const auto distributed = check_distributed(info.preset, options, 3, info.mutant)[0];
    require_same_outcome(one, distributed);
    const auto* p = distributed.find(info.property);
    REQUIRE(p != nullptr);
    CHECK(p->status == PropertyStatus::violated);
    REQUIRE(p->trace.has_value());
    // The trace replays on the model to a state that breaks the property.
    const auto path =
        path_of(cluster::ClusterModel(lmc::testing::load_preset_config(info.preset), info.mutant),
                *p->trace);
    CHECK(path.has_value());
  }
}

TEST_CASE("Distributed: --continue and symmetry on a mutant agree with one process",
          "[cluster][distributed][mutants]") {
  const auto& info = cluster::mutant_catalogue().front();
  for (bool symmetry : {false, true}) {
    INFO(info.name << (symmetry ? ", symmetry" : ""));
    SearchOptions options;
    options.continue_after_violation = true;
    options.symmetry = symmetry;
    require_same_outcome(check_preset(info.preset, options, info.mutant),
                         check_distributed(info.preset, options, 2, info.mutant)[0]);
  }
}

TEST_CASE("Distributed: a search stopped at a depth resumes from its checkpoints",
          "[cluster][distributed][checkpoint]") {
  const auto directory = std::filesystem::temp_directory_path() / "lmc-distributed-checkpoint";
  std::filesystem::remove_all(directory);
  const auto& info = cluster::mutant_catalogue().front();
  SearchOptions options;
  options.check_liveness = false;
  const auto uninterrupted = check_preset(info.preset, options, info.mutant);

  auto first = options;
  first.max_depth = 3;
  first.checkpoint_dir = directory.string();
  first.checkpoint_interval_seconds = 0;
  const auto stopped = check_distributed(info.preset, first, 2, info.mutant)[0];
  CHECK(stopped.verdict == Verdict::incomplete);
  CHECK(std::filesystem::exists(directory / "rank-0-of-2" / "level-3.lmc"));
  CHECK(std::filesystem::exists(directory / "rank-1-of-2" / "level-3.lmc"));
  CHECK_FALSE(std::filesystem::exists(directory / "rank-0-of-2" / "level-2.lmc"));

  auto second = options;
  second.resume_dir = directory.string();
  require_same_outcome(uninterrupted, check_distributed(info.preset, second, 2, info.mutant)[0]);

  // Another number of ranks finds no checkpoint of its own: refused on every rank.
  CHECK_THROWS_AS(check_distributed(info.preset, second, 3, info.mutant), CheckpointError);
  std::filesystem::remove_all(directory);
}

TEST_CASE("Distributed checkpoints: the newest level every rank holds is the one resumed",
          "[checker][distributed][checkpoint]") {
  const auto directory = std::filesystem::temp_directory_path() / "lmc-rank-levels";
  std::filesystem::remove_all(directory);
  // Rank 1 was killed after writing level 7 but before renaming it: it
  // holds level 6 and a temporary file; rank 0 holds 6 and 7.
  auto touch = [](const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << "x";
  };
  touch(rank_directory(directory.string(), 0, 2) / "level-6.lmc");
  touch(rank_directory(directory.string(), 0, 2) / "level-7.lmc");
  touch(rank_directory(directory.string(), 1, 2) / "level-6.lmc");
  touch(rank_directory(directory.string(), 1, 2) / "level-7.lmc.tmp");
  std::vector<std::filesystem::path> chosen(2);
  run_local_ranks(2, [&](Communicator& comm) {
    chosen[comm.rank()] = RankCheckpoint::latest(comm, directory.string());
  });  // no assertion on the rank threads
  CHECK(chosen[0].filename() == "level-6.lmc");
  CHECK(chosen[1].filename() == "level-6.lmc");
  std::filesystem::remove_all(directory);
}
