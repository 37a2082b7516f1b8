#pragma once
// Trace files: one path of the cluster model as JSON, written by `lmc check
// --trace-out` (a counterexample or a goal's witness) and by `lmc migrate
// --record` (the LM events of a run on the reference implementation), read by
// `lmc validate` and by anything that replays a trace elsewhere.
//
//   {"format": "lmc-trace-1",
//    "preset": "default",            // or null when "config" names a file
//    "config": null,                 // or "path/to/config.json"
//    "mutant": "none",
//    "property": "I5_memory_integrity",   // or null (recordings)
//    "kind": "counterexample",       // or "witness" or "recording"
//    "steps": [{"kind": "lm_request", "unit": 0, "page": 0,
//               "text": "operator: /MIGRATE-VM VM12PROD"}, ...]}
//
// A step's "kind" is one of ClusterModel::action_kinds(); "unit" is the MU,
// SU, ISL-E link, CRD mirror or VM the action applies to, numbered in the
// configuration's order; "page" matters for guest_write only; "text" is for
// people (the model's format_action, or what the reference implementation
// did). spec/checker.md ("Trace files") describes the format.
//
// Usage, e.g. to replay a trace:
//   const auto file = lmc::read_trace_file(path);              // throws TraceFileError
//   const auto config = lmc::load_trace_config(file, path);    // throws TraceFileError
//   cluster::ClusterModel model(config, lmc::trace_mutant(file));
//   for (const auto& action : lmc::trace_actions(file, model)) ...

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "checker/engine/result.hpp"
#include "model/cluster/cluster_model.hpp"

namespace lmc {

inline constexpr const char* kTraceFormat = "lmc-trace-1";

/// What a trace file holds: a property's counterexample, a `sometimes`
/// goal's witness, or a recording of a run of the reference implementation.
enum class TraceKind : std::uint8_t { counterexample, witness, recording };
std::string_view to_string(TraceKind kind);

struct TraceFileStep {
  std::string kind;  ///< a name of ClusterModel::action_kinds()
  int unit = 0;
  int page = 0;  ///< guest_write only; 0 otherwise
  std::string text;
};

struct TraceFile {
  std::optional<std::string> preset;  ///< a built-in preset, or nullopt
  std::optional<std::string> config;  ///< a configuration file (wins over preset), or nullopt
  std::string mutant = "none";
  std::optional<std::string> property;  ///< the property or goal; nullopt for recordings
  TraceKind kind = TraceKind::recording;
  std::vector<TraceFileStep> steps;
};

/// Bad input: `what()` names the file, the field (a JSON path such as
/// "steps[3].unit") and what was expected.
class TraceFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads and checks a trace file's structure (not its steps against a model:
/// see trace_actions). Throws TraceFileError.
TraceFile read_trace_file(const std::filesystem::path& path);
/// Throws TraceFileError when the file cannot be written.
void write_trace_file(const std::filesystem::path& path, const TraceFile& trace);

/// The same, on JSON values; `source` names the input in errors.
TraceFile trace_file_from_json(const nlohmann::json& json, const std::string& source);
/// Keys in the order above.
nlohmann::ordered_json trace_file_to_json(const TraceFile& trace);

/// The configuration a trace names: its "config" file (a relative path is
/// tried from the current directory, then from the trace file's directory),
/// else its preset. Throws TraceFileError.
cluster::Config load_trace_config(const TraceFile& trace, const std::filesystem::path& trace_path);
/// The trace's mutant; throws TraceFileError for an unknown name.
cluster::Mutant trace_mutant(const TraceFile& trace);

/// The model's actions of the trace's steps, in order. Throws TraceFileError
/// naming the step ("steps[4].kind: ...") for an unknown kind name, or a unit
/// or page outside the model's configuration. Whether each action is enabled
/// where it is taken is for the caller to find out (next_state).
std::vector<cluster::Action> trace_actions(const TraceFile& trace,
                                           const cluster::ClusterModel& model);

/// The steps of a trace the checker found on `model` (its `path`), replayed
/// to recover the actions. Throws TraceFileError when the path does not
/// replay (a nondeterministic or truncated trace).
std::vector<TraceFileStep> steps_of_trace(const cluster::ClusterModel& model, const Trace& trace);

/// An action as people read it in messages: "copy_round 0", "guest_write 0 page 1".
std::string action_name(const cluster::ClusterModel& model, const cluster::Action& action);

}  // namespace lmc
