#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/cluster/check/cluster_runner.hpp"
#include "model/cluster/traces/trace_file.hpp"
#include "model/cluster/traces/trace_validation.hpp"

using namespace lmc;

namespace {

/// A file in a directory of its own, removed at the end of the test.
struct TempFile {
  explicit TempFile(const std::string& name)
      : dir(std::filesystem::temp_directory_path() /
            ("lmc-trace-test-" + std::to_string(::getpid()))),
        path(dir / name) {
    std::filesystem::create_directories(dir);
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  void write(const std::string& text) const { std::ofstream(path) << text; }
  std::filesystem::path dir;
  std::filesystem::path path;
};

TraceFile sample() {
  TraceFile trace;
  trace.preset = "default";
  trace.mutant = "skip_final_copy";
  trace.property = "I5_memory_integrity";
  trace.kind = TraceKind::counterexample;
  trace.steps = {{"lm_request", 0, 0, "operator: /MIGRATE-VM VM12PROD"},
                 {"lm_start", 0, 0, "LM VM12PROD: setup\n      line two"},
                 {"guest_write", 0, 1, ""}};
  return trace;
}

std::string error_of(const std::string& text) {
  TempFile file("bad.json");
  file.write(text);
  try {
    read_trace_file(file.path);
  } catch (const TraceFileError& e) {
    return e.what();
  }
  return "no error";
}

cluster::ClusterModel default_model() {
  std::string error;
  auto config = load_cluster_config(ClusterSelection{}, error);
  REQUIRE(config);
  return cluster::ClusterModel(*config, cluster::Mutant::none);
}

}  // namespace

TEST_CASE("A trace file reads back as it was written", "[checker][trace_file]") {
  TempFile file("t.json");
  const auto written = sample();
  write_trace_file(file.path, written);
  const auto read = read_trace_file(file.path);
  CHECK(read.preset == written.preset);
  CHECK_FALSE(read.config.has_value());
  CHECK(read.mutant == "skip_final_copy");
  CHECK(read.property == written.property);
  CHECK(read.kind == TraceKind::counterexample);
  REQUIRE(read.steps.size() == 3);
  for (std::size_t i = 0; i < read.steps.size(); ++i) {
    CHECK(read.steps[i].kind == written.steps[i].kind);
    CHECK(read.steps[i].unit == written.steps[i].unit);
    CHECK(read.steps[i].page == written.steps[i].page);
    CHECK(read.steps[i].text == written.steps[i].text);
  }
  const auto json = trace_file_to_json(read);
  CHECK(json["format"] == "lmc-trace-1");
  CHECK(json["config"].is_null());
}

TEST_CASE("Bad trace files name the file, the field and what was expected",
          "[checker][trace_file]") {
  CHECK_THAT(error_of("{\"format\": \"lmc-trace-1\""), Catch::Contains("bad.json: not JSON"));
  CHECK_THAT(error_of("[]"), Catch::Contains("expected a JSON object"));
  CHECK_THAT(error_of(R"({"format": "lmc-trace-2", "kind": "witness", "steps": []})"),
             Catch::Contains("bad.json: format: expected \"lmc-trace-1\", got \"lmc-trace-2\""));
  CHECK_THAT(error_of(R"({"format": "lmc-trace-1", "kind": "witness"})"),
             Catch::Contains("bad.json: steps: the field is missing"));
  CHECK_THAT(error_of(R"({"format": "lmc-trace-1", "kind": "proof", "steps": []})"),
             Catch::Contains("kind: expected \"counterexample\", \"witness\" or \"recording\""));
  CHECK_THAT(error_of(R"({"format": "lmc-trace-1", "kind": "recording", "steps": [
                          {"kind": "lm_request", "unit": 0},
                          {"kind": "lm_start", "unit": -1}]})"),
             Catch::Contains("bad.json: steps[1].unit: expected an integer from 0 to 255, got -1"));
  CHECK_THAT(error_of(R"({"format": "lmc-trace-1", "kind": "recording", "steps": [
                          {"kind": "lm_request"}]})"),
             Catch::Contains("steps[0]: the field \"unit\" is missing"));
  CHECK_THAT(error_of(R"({"format": "lmc-trace-1", "kind": "recording", "steps": [],
                          "preset": 3})"),
             Catch::Contains("preset: expected a string, got number"));
  CHECK_THAT(error_of(R"({"format": "lmc-trace-1", "kind": "recording", "steps": [],
                          "colour": "red"})"),
             Catch::Contains("colour: unknown field"));
  CHECK_THAT(error_of(R"({"format": "lmc-trace-1", "kind": "recording", "steps": [
                          {"kind": "lm_request", "unit": 0, "when": 1}]})"),
             Catch::Contains("steps[0].when: unknown field"));
  try {
    read_trace_file("/nonexistent/t.json");
    FAIL("no error");
  } catch (const TraceFileError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("/nonexistent/t.json: cannot open"));
  }
}

TEST_CASE("Trace steps become the model's actions, or an error names the step",
          "[checker][trace_file]") {
  const auto model = default_model();
  auto trace = sample();
  const auto actions = trace_actions(trace, model);
  REQUIRE(actions.size() == 3);
  CHECK(actions[0].kind == cluster::Kind::lm_request);
  CHECK(actions[2].kind == cluster::Kind::guest_write);
  CHECK(actions[2].page == 1);
  CHECK(action_name(model, actions[2]) == "guest_write 0 page 1");

  trace.steps[1].kind = "resum";
  CHECK_THROWS_WITH(trace_actions(trace, model),
                    Catch::Contains("steps[1].kind: \"resum\" is not an action of the cluster "
                                    "model"));
  trace.steps[1] = {"isl_down", 2, 0, ""};
  CHECK_THROWS_WITH(trace_actions(trace, model),
                    Catch::Contains("steps[1].unit: isl_down names ISL-E link 2 of default, "
                                    "which has 2"));
  trace.steps[1] = {"copy_round", 0, 1, ""};
  CHECK_THROWS_WITH(trace_actions(trace, model), Catch::Contains("steps[1].page: expected 0"));
}

TEST_CASE("A checker's witness is written as a trace and validates", "[checker][trace_file]") {
  const auto model = default_model();
  SearchOptions options;
  options.progress_interval_seconds = 0;
  options.check_liveness = false;
  const auto result = check_cluster(model.config(), cluster::Mutant::none, options);
  const auto* goal = result.find("lm_succeeds");
  REQUIRE(goal != nullptr);
  REQUIRE(goal->trace);
  TraceFile file;
  file.preset = "default";
  file.kind = TraceKind::witness;
  file.steps = steps_of_trace(model, *goal->trace);
  REQUIRE(file.steps.size() == goal->trace->steps.size() - 1);
  CHECK(file.steps.front().kind == "lm_request");
  CHECK(file.steps.back().kind == "cleanup");

  const auto events = trace_actions(file, model);
  ValidationOptions exact;
  exact.max_hidden_steps = 0;
  const auto valid = validate_trace(model, events, exact);
  CHECK(valid.valid);
  CHECK(valid.matched == events.size());
  CHECK(valid.largest_set == 1);

  // The cleanup before the resume: no enabled action matches at that step.
  auto swapped = events;
  std::size_t resume = 0;
  while (swapped[resume].kind != cluster::Kind::resume) ++resume;
  std::swap(swapped[resume], swapped.back());
  const auto invalid = validate_trace(model, swapped, ValidationOptions{});
  CHECK_FALSE(invalid.valid);
  REQUIRE(invalid.failed.has_value());
  CHECK(*invalid.failed == resume);
  CHECK(invalid.matched == resume);
  const bool resume_enabled =
      std::any_of(invalid.enabled.begin(), invalid.enabled.end(),
                  [](const cluster::Action& a) { return a.kind == cluster::Kind::resume; });
  CHECK(resume_enabled);
}
