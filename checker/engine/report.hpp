#pragma once
// Turning a CheckResult into what people and machines read: a text report,
// JSON, and a counterexample as Graphviz DOT.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "checker/engine/result.hpp"

namespace lmc {

struct TextReportOptions {
  /// Print the witness traces of reached `sometimes` goals too.
  bool witnesses = false;
};

/// The property whose counterexample is reported first: the first violated
/// or unreached one with a trace, in model order (deadlock last).
const PropertyResult* first_failure(const CheckResult& result);

void write_text_report(std::ostream& out, const CheckResult& result,
                       const TextReportOptions& options = {});
/// Prints a trace TLC-style: the initial state in full, then `Step n:
/// <action>` followed by only the variables that step changed.
void write_trace_text(std::ostream& out, const Trace& trace);

/// `lmc check --json` (spec/schemas/lmc-check.schema.json).
inline constexpr const char* kCheckJsonFormat = "lmc-check";
inline constexpr int kCheckJsonVersion = 1;

/// How a property fails, as the JSON and the CI reports tell it: "safety"
/// (an `always` property violated), "deadlock", "liveness", or
/// "unreached_goal" (a `sometimes` goal no state reaches); nullopt when it
/// does not fail (or is undecided).
std::optional<std::string> failure_class(const PropertyResult& property);

nlohmann::json trace_to_json(const Trace& trace);
nlohmann::json result_to_json(const CheckResult& result);
/// JUnit XML: one test case per property, failed, passed or skipped
/// (undecided), for CI systems that show test results.
void write_junit(std::ostream& out, const CheckResult& result);
/// SARIF 2.1.0: one rule per property, one result per failing property with
/// its counterexample as a code flow, for CI systems that show findings.
void write_sarif(std::ostream& out, const CheckResult& result, const std::string& tool_version,
                 const std::string& artifact);
void write_trace_dot(std::ostream& out, const Trace& trace, const std::string& title);

}  // namespace lmc
