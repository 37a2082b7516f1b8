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
#include "checker/trace_file.hpp"
#include "refimpl/conformance/abstraction.hpp"
#include "refimpl/conformance/cluster_driver.hpp"

namespace lmc::cli {
namespace {

constexpr int kExitDisagrees = 1;
constexpr int kExitNotReplayable = 3;

struct ReplayArgs {
  std::string file;
  std::string json_file;
  bool quiet = false;
};

struct Outcome {
  int code = 0;
  std::string verdict;
  int replayed = 0;
  std::optional<int> failed_step;
  std::vector<std::string> differences;
  std::vector<std::string> findings;  ///< invariants broken on the real data
  std::vector<std::string> skipped;   ///< model steps the implementation does inside others
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

/// One step on both sides; false when they part ways (the outcome says how).
bool replay_step(const cluster::ClusterModel& model, const cluster::Action& action, int index,
                 cluster::State& state, ref::ClusterDriver& driver, Outcome& out) {
  const auto name = action_name(model, action);
  const auto next = model.next_state(state, action);
  if (!next) {
    out.code = kExitBadInput;
    out.verdict = fmt::format("the trace is not a path of its model: step {} ({}) is not enabled",
                              index, name);
    return false;
  }
  state = *next;
  if (!ref::ClusterDriver::implements(action.kind)) {
    out.skipped.push_back(fmt::format("{} {}", index, name));
  } else if (!driver.apply(action)) {
    out.code = kExitDisagrees;
    out.failed_step = index;
    out.verdict =
        fmt::format("disagrees at step {} ({}): the implementation refuses it", index, name);
    return false;
  }
  out.differences = ref::differences(ref::project(ref::abstract(driver)), ref::project(state));
  if (!out.differences.empty()) {
    out.failed_step = index;
    const bool skipped = !ref::ClusterDriver::implements(action.kind);
    out.code = skipped ? kExitNotReplayable : kExitDisagrees;
    out.verdict = skipped ? fmt::format(
                                "not replayable from step {} ({}): the implementation has no such "
                                "step of its own, and the model's state moved on without it",
                                index, name)
                          : fmt::format("disagrees at step {} ({})", index, name);
    return false;
  }
  for (const auto& broken : ref::check_real_invariants(driver)) {
    out.findings.push_back(fmt::format("step {} ({}): {}", index, name, broken));
  }
  ++out.replayed;
  return true;
}

Outcome replay(const Loaded& in, bool quiet) {
  const auto& model = *in.model;
  ref::ClusterDriver driver(model.config());
  auto state = model.initial_states().front();
  Outcome out;
  for (std::size_t i = 0; i < in.actions.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const bool agreed = replay_step(model, in.actions[i], index, state, driver, out);
    if (!quiet && agreed)
      fmt::print("  {:3} {:<28} agrees\n", index, action_name(model, in.actions[i]));
    if (!agreed) return out;
  }
  out.verdict =
      fmt::format("agrees: {} steps replayed on the reference implementation", out.replayed);
  return out;
}

bool write_json(const std::string& path, const ReplayArgs& args, const Loaded& in,
                const Outcome& out) {
  nlohmann::ordered_json j;
  j["file"] = args.file;
  j["kind"] = std::string(to_string(in.trace.kind));
  j["property"] = in.trace.property ? nlohmann::ordered_json(*in.trace.property) : nullptr;
  j["result"] = out.code == 0                    ? "agrees"
                : out.code == kExitDisagrees     ? "disagrees"
                : out.code == kExitNotReplayable ? "not_replayable"
                                                 : "bad_input";
  j["steps"] = in.actions.size();
  j["replayed"] = out.replayed;
  j["failed_step"] = out.failed_step ? nlohmann::ordered_json(*out.failed_step) : nullptr;
  j["differences"] = out.differences;
  j["findings"] = out.findings;
  j["skipped"] = out.skipped;
  return write_output_file(path, j.dump(2) + "\n", "replay", "--json");
}

int run_replay(const ReplayArgs& args) {
  const auto in = load(args.file);
  if (!in) return kExitBadInput;
  if (!args.quiet) {
    fmt::print("trace: {} ({}{}, mutant {}, {} steps) on the reference implementation\n", args.file,
               to_string(in->trace.kind), in->trace.property ? " of " + *in->trace.property : "",
               in->trace.mutant, in->actions.size());
  }
  const auto out = replay(*in, args.quiet);
  if (!args.quiet) {
    for (const auto& s : out.skipped) {
      fmt::print("note: step {} is done by the Cluster Manager's heartbeat round, not replayed\n",
                 s);
    }
    for (const auto& f : out.findings) fmt::print("the implementation shows it too: {}\n", f);
  }
  fmt::print("{}\n", out.verdict);
  for (const auto& d : out.differences) fmt::print("  {}\n", d);
  if (!args.json_file.empty() && !write_json(args.json_file, args, *in, out)) {
    return kExitBadInput;
  }
  return out.code;
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
                  "findings, skipped");
  cmd->add_flag("--quiet,-q", args->quiet, "Print only the verdict");
  cmd->callback([args, &exit_code] { exit_code = run_replay(*args); });
}

}  // namespace lmc::cli
