#include <catch2/catch.hpp>
#include <string>

#include "model/cluster/config/config_loader.hpp"
#include "model/cluster/traces/trace_validation.hpp"

using namespace lmc;

namespace {

cluster::Config default_config() {
  std::string error;
  auto config = load_cluster_config(ClusterSelection{}, error);
  REQUIRE(config);
  return *config;
}

/// A recording of the default preset's LM with `rounds` copy rounds.
TraceFile recording_with_rounds(int rounds) {
  TraceFile recording;
  recording.preset = "default";
  for (const char* kind : {"lm_request", "lm_start", "reserve_target"}) {
    recording.steps.push_back({kind, 0, 0, ""});
  }
  for (int r = 0; r < rounds; ++r) recording.steps.push_back({"copy_round", 0, 0, ""});
  for (const char* kind : {"stop_io", "final_copy", "suspend", "hand_over", "resume", "cleanup"}) {
    recording.steps.push_back({kind, 0, 0, ""});
  }
  return recording;
}

}  // namespace

TEST_CASE("Validation widens the scope to a recording's copy rounds and faults",
          "[checker][trace_file]") {
  auto config = default_config();
  TraceFile recording;
  recording.preset = "default";
  for (const char* kind :
       {"lm_request", "lm_start", "reserve_target", "copy_round", "copy_round", "copy_round",
        "copy_round", "copy_round", "isl_down", "isl_down", "disk_fail", "abort"}) {
    recording.steps.push_back({kind, 0, 0, ""});
  }
  recording.steps[9].unit = 1;
  const auto notes = widen_scope_for(config, recording);
  CHECK(config.scope.max_copy_rounds == 5);
  CHECK(config.scope.guest_writes == 4);
  CHECK(config.scope.fault_budget == 3);
  REQUIRE(notes.size() == 3);
  CHECK_THAT(notes[0], Catch::Contains("scope.max_copy_rounds 5 (the configuration says 2)"));
  const cluster::ClusterModel model(config, cluster::Mutant::none);
  const auto result = validate_trace(model, trace_actions(recording, model));
  CHECK(result.valid);
}

TEST_CASE("A long recording validates in a set of states that does not grow with it",
          "[checker][trace_validation]") {
  // Each copy round after the first needs a guest write: the exact set holds
  // every way the writes fell on the pages (quadratic in the rounds), the
  // merged one a handful of states however long the recording.
  for (const int rounds : {20, 200}) {
    INFO(rounds << " copy rounds");
    auto config = default_config();
    const auto recording = recording_with_rounds(rounds);
    widen_scope_for(config, recording);
    const cluster::ClusterModel model(config, cluster::Mutant::none);
    const auto result = validate_trace(model, trace_actions(recording, model));
    CHECK(result.valid);
    CHECK(result.largest_set <= 8);
  }
  auto config = default_config();
  const auto recording = recording_with_rounds(20);
  widen_scope_for(config, recording);
  const cluster::ClusterModel model(config, cluster::Mutant::none);
  ValidationOptions exact;
  exact.merge_equivalent_states = false;
  const auto result = validate_trace(model, trace_actions(recording, model), exact);
  CHECK(result.valid);
  CHECK(result.largest_set > 1000);
}

TEST_CASE("Validation stops at its time limit, undecided", "[checker][trace_validation]") {
  auto config = default_config();
  const auto recording = recording_with_rounds(120);
  widen_scope_for(config, recording);
  const cluster::ClusterModel model(config, cluster::Mutant::none);
  ValidationOptions options;
  options.merge_equivalent_states = false;  // seconds of work: the limit must cut it
  options.time_limit_seconds = 0.05;
  const auto result = validate_trace(model, trace_actions(recording, model), options);
  CHECK(result.truncated);
  CHECK(result.stopped_by == ValidationStop::time_limit);
  CHECK_FALSE(result.valid);
  CHECK(result.seconds < 5);
}

TEST_CASE("A recording beyond the model's byte-sized counters is refused, not called invalid",
          "[checker][trace_validation]") {
  auto config = default_config();
  CHECK_THROWS_WITH(widen_scope_for(config, recording_with_rounds(kMaxScopeCounter + 1)),
                    Catch::Contains("needs 256 copy rounds in one LM; the model counts at most "
                                    "255 (scope.max_copy_rounds)"));
  auto fits = default_config();
  CHECK_NOTHROW(widen_scope_for(fits, recording_with_rounds(kMaxScopeCounter)));
  CHECK(fits.scope.max_copy_rounds == kMaxScopeCounter);
}
