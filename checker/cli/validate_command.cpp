// lmc validate FILE: is a trace file (a recording of `lmc migrate --record`,
// or a trace of `lmc check --trace-out`) a path of the cluster model?

#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <string>

#include "checker/cli/commands.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/result.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/traces/trace_file.hpp"
#include "model/cluster/traces/trace_validation.hpp"

namespace lmc::cli {
namespace {

struct ValidateArgs {
  std::string file;
  std::string json_file;
  int max_hidden_steps = ValidationOptions{}.max_hidden_steps;
  std::size_t max_states = ValidationOptions{}.max_states;
  double time_limit = 0;
  bool exact_states = false;
  bool quiet = false;
};

std::string join_actions(const cluster::ClusterModel& model,
                         const std::vector<cluster::Action>& actions) {
  if (actions.empty()) return "none";
  std::string text;
  for (const auto& a : actions) text += (text.empty() ? "" : ", ") + action_name(model, a);
  return text;
}

int run_validate(const ValidateArgs& args) {
  TraceFile trace;
  std::optional<cluster::ClusterModel> model;
  std::vector<cluster::Action> events;
  std::vector<std::string> notes;
  try {
    trace = read_trace_file(args.file);
    auto config = load_trace_config(trace, args.file);
    const auto mutant = trace_mutant(trace);
    notes = widen_scope_for(config, trace);
    model.emplace(std::move(config), mutant);
    events = trace_actions(trace, *model);
  } catch (const TraceFileError& e) {
    // trace_actions names the step but not the file.
    const std::string what = e.what();
    fmt::print(stderr, "lmc validate: error: {}{}\n",
               what.starts_with(args.file) ? "" : args.file + ": ", what);
    return kExitBadInput;
  }
  ValidationOptions options;
  options.max_hidden_steps = args.max_hidden_steps;
  options.max_states = args.max_states;
  options.time_limit_seconds = args.time_limit;
  options.merge_equivalent_states = !args.exact_states;
  const auto result = validate_trace(*model, events, options);

  const auto source = trace.config ? "config " + *trace.config : "preset " + trace.preset.value();
  std::string hidden;
  for (const auto& name : unobserved_kind_names(*model)) {
    hidden += (hidden.empty() ? "" : ", ") + name;
  }
  if (!args.quiet) {
    fmt::print("trace: {} ({}, {}, mutant {}, {} events)\n", args.file, to_string(trace.kind),
               source, trace.mutant, events.size());
    for (const auto& note : notes) fmt::print("note: {}\n", note);
    fmt::print(
        "search: sets of model states; up to {} unobserved model actions before each event "
        "({}); largest set {} states\n",
        options.max_hidden_steps, hidden, result.largest_set);
  }
  std::string verdict;
  int code = 0;
  if (result.truncated) {
    verdict = result.stopped_by == ValidationStop::time_limit
                  ? fmt::format(
                        "undecided: {} of {} events matched when the time limit of {:g} s "
                        "ran out (--time-limit)",
                        result.matched, result.events, options.time_limit_seconds)
                  : fmt::format(
                        "undecided: after {} events a set of consistent model states "
                        "grew beyond {} states (--max-states)",
                        result.matched, options.max_states);
    code = 3;  // incomplete, as for lmc check
  } else if (result.valid) {
    verdict = fmt::format("valid: {} events match a path of the model", result.events);
  } else {
    const auto k = *result.failed;
    verdict = fmt::format(
        "invalid at step {} ({} {}): no enabled model action matches; enabled were: {}", k + 1,
        trace.steps[k].kind, trace.steps[k].unit, join_actions(*model, result.enabled));
    code = 1;
  }
  fmt::print("{}\n", verdict);
  if (!args.json_file.empty()) {
    nlohmann::json json{{"file", args.file},
                        {"kind", to_string(trace.kind)},
                        {"preset", trace.preset ? nlohmann::json(*trace.preset) : nullptr},
                        {"config", trace.config ? nlohmann::json(*trace.config) : nullptr},
                        {"mutant", trace.mutant},
                        {"result", result.truncated ? "undecided"
                                   : result.valid   ? "valid"
                                                    : "invalid"},
                        {"events", result.events},
                        {"matched", result.matched},
                        {"max_hidden_steps", options.max_hidden_steps},
                        {"largest_set", result.largest_set},
                        {"seconds", result.seconds},
                        {"notes", notes},
                        {"message", verdict}};
    if (result.failed) {
      const auto k = *result.failed;
      json["failed_step"] = k + 1;
      json["failed_event"] = {{"kind", trace.steps[k].kind}, {"unit", trace.steps[k].unit}};
      auto enabled = nlohmann::json::array();
      for (const auto& a : result.enabled) enabled.push_back(action_name(*model, a));
      json["enabled"] = enabled;
    }
    if (!write_output_file(args.json_file, versioned_json("lmc-validate", 1, json), "validate",
                           "--json")) {
      return kExitBadInput;
    }
  }
  return code;
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand(
      "validate",
      "Trace validation: check that a trace file (a recording of `lmc migrate --record`, or a "
      "trace of `lmc check --trace-out`) is a path of the cluster model, on the configuration "
      "it names. Each event must be matched by an enabled model action of its kind and unit; "
      "unobserved model actions (guest writes, Cluster Manager heartbeats, lease and takeover, "
      "liveness records, CRD resynchronisation, repairs) may happen in between. The scope's "
      "bounds are widened to the recording's copy rounds, faults and requests, with a note.\n"
      "Exit codes: 0 valid, 1 invalid (the step and the enabled actions are named), 2 bad "
      "input, 3 undecided (--max-states or --time-limit reached).");
  cmd->add_option("file", args->file, "The trace file (format lmc-trace-1)")->required();
  cmd->add_option("--json", args->json_file,
                  "Write the result as JSON: result, events, matched, failed_step, "
                  "failed_event, enabled, notes")
      ->check(detail::writable_file());
  cmd->add_option("--max-hidden", args->max_hidden_steps,
                  "Unobserved model actions allowed before each event")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  cmd->add_option("--max-states", args->max_states,
                  "Give up (exit 3) when the set of consistent model states grows beyond this")
      ->check(detail::count_of<std::size_t>())
      ->capture_default_str();
  cmd->add_option("--time-limit", args->time_limit,
                  "Give up (exit 3) after this many seconds; 0: no limit (the default). The "
                  "search costs time linear in the number of events (spec/checker.md)")
      ->check(detail::seconds_up_to(1e7));
  cmd->add_flag("--exact-states", args->exact_states,
                "Keep every model state apart instead of merging those with the same future "
                "(cubic in the copy rounds; the same verdict: for cross-checking the merge)");
  cmd->add_flag("--quiet,-q", args->quiet, "Print only the verdict line");
  cmd->callback([args, &exit_code] { exit_code = run_validate(*args); });
}

}  // namespace lmc::cli
