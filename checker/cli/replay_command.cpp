// lmc replay FILE: a trace of the cluster model (a counterexample or a goal's
// witness from `lmc check --trace-out`) replayed on the reference
// implementation, step by step, through the conformance driver. After every
// step the implementation's state, mapped by the abstraction function, must
// equal the model's; the first step where it does not is reported.

#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "checker/cli/commands.hpp"
#include "checker/cli/output_file.hpp"
#include "checker/engine/search_cli.hpp"
#include "model/cluster/review/sequence_chart.hpp"
#include "model/cluster/traces/trace_file.hpp"
#include "properties/conformance/replay.hpp"

namespace lmc::cli {
namespace {

constexpr int kExitDisagrees = 1;
constexpr int kExitNotReplayable = 3;

struct ReplayArgs {
  std::string file;
  std::string json_file;
  std::string svg_file;
  bool quiet = false;
};

struct Loaded {
  TraceFile trace;
  std::optional<cluster::ClusterModel> model;
  std::vector<cluster::Action> actions;
};

std::optional<Loaded> load(const std::string& file) {
  Loaded in;
  try {
    in.trace = read_trace_file(file);
    in.model.emplace(load_trace_config(in.trace, file), trace_mutant(in.trace));
    in.actions = trace_actions(in.trace, *in.model);
  } catch (const TraceFileError& e) {
    const std::string what = e.what();
    fmt::print(stderr, "lmc replay: error: {}{}\n", what.starts_with(file) ? "" : file + ": ",
               what);
    return std::nullopt;
  }
  return in;
}

int exit_code(const ref::ReplayOutcome& out) {
  using V = ref::ReplayOutcome::Verdict;
  switch (out.verdict) {
    case V::agrees:
      return 0;
    case V::disagrees:
      return kExitDisagrees;
    case V::not_replayable:
      return kExitNotReplayable;
    case V::not_a_path:
      break;
  }
  return kExitBadInput;
}

bool write_json(const std::string& path, const ReplayArgs& args, const Loaded& in,
                const ref::ReplayOutcome& out) {
  nlohmann::ordered_json j;
  j["file"] = args.file;
  j["kind"] = std::string(to_string(in.trace.kind));
  j["property"] = in.trace.property ? nlohmann::ordered_json(*in.trace.property) : nullptr;
  const int code = exit_code(out);
  j["result"] = code == 0                    ? "agrees"
                : code == kExitDisagrees     ? "disagrees"
                : code == kExitNotReplayable ? "not_replayable"
                                             : "bad_input";
  j["steps"] = in.actions.size();
  j["replayed"] = out.replayed;
  j["failed_step"] = out.failed_step ? nlohmann::ordered_json(*out.failed_step) : nullptr;
  j["differences"] = out.differences;
  j["findings"] = out.findings;
  j["skipped"] = out.skipped;
  return write_output_file(path, versioned_json("lmc-replay", 1, j), "replay", "--json");
}

/// --svg: the trace as a sequence chart, the implementation's verdict last.
bool write_chart(const std::string& path, const Loaded& in, const ref::ReplayOutcome& out) {
  auto chart = review::chart_of_trace(in.model->config(), in.trace);
  const bool agrees = out.verdict == ref::ReplayOutcome::Verdict::agrees;
  chart.events.push_back({review::ChartEventKind::verdict, 0, 0,
                          "reference implementation: " + out.message, "", !agrees});
  return write_output_file(path, review::svg_of_chart(chart), "replay", "--svg");
}

int run_replay(const ReplayArgs& args) {
  const auto in = load(args.file);
  if (!in) return kExitBadInput;
  if (!args.quiet) {
    fmt::print("trace: {} ({}{}, mutant {}, {} steps) on the reference implementation\n", args.file,
               to_string(in->trace.kind), in->trace.property ? " of " + *in->trace.property : "",
               in->trace.mutant, in->actions.size());
  }
  const auto& model = *in->model;
  const auto out = ref::replay_on_implementation(
      model, in->actions, [&](int index, const cluster::Action& action) {
        if (!args.quiet) fmt::print("  {:3} {:<28} agrees\n", index, action_name(model, action));
      });
  if (!args.quiet) {
    for (const auto& s : out.skipped) {
      fmt::print("note: step {} is done by the Cluster Manager's heartbeat round, not replayed\n",
                 s);
    }
    for (const auto& f : out.findings) fmt::print("the implementation shows it too: {}\n", f);
  }
  // A trace that is no path of its own model is bad input, reported as
  // every other input error is: on stderr, named by the command.
  const bool bad_input = exit_code(out) == kExitBadInput;
  auto* stream = bad_input ? stderr : stdout;
  fmt::print(stream, "{}{}\n", bad_input ? "lmc replay: error: " + args.file + ": " : "",
             out.message);
  for (const auto& d : out.differences) fmt::print(stream, "  {}\n", d);
  if (!args.json_file.empty() && !write_json(args.json_file, args, *in, out)) {
    return kExitBadInput;
  }
  if (!args.svg_file.empty() && !write_chart(args.svg_file, *in, out)) return kExitBadInput;
  return exit_code(out);
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Replay a trace of the cluster model (`lmc check --trace-out`: a counterexample or a "
      "goal's witness) on the reference implementation, step by step. After each step the "
      "implementation's state, mapped into the model's (spec/refimpl/conformance.md), must "
      "equal the model's; the first step where it does not is reported with the variables "
      "that differ. Invariants broken on the implementation's real data are reported too.\n"
      "Exit codes: 0 agrees, 1 disagrees, 2 bad input (or not a path of its model), 3 not "
      "replayable (a step the implementation has no counterpart for changed the state).");
  cmd->add_option("file", args->file, "The trace file (format lmc-trace-1)")->required();
  cmd->add_option("--json", args->json_file,
                  "Write the result as JSON: result, steps, replayed, failed_step, differences, "
                  "findings, skipped")
      ->check(detail::writable_file());
  cmd->add_option("--svg", args->svg_file,
                  "Draw the trace as an SVG message sequence chart, the model's verdict and the "
                  "implementation's last")
      ->check(detail::writable_file());
  cmd->add_flag("--quiet,-q", args->quiet, "Print only the verdict");
  cmd->callback([args, &exit_code] { exit_code = run_replay(*args); });
}

}  // namespace lmc::cli
