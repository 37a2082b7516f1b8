#pragma once
// Turning a CheckResult into what people and machines read: a text report,
// JSON, and a counterexample as Graphviz DOT.

#include <iosfwd>
#include <nlohmann/json.hpp>
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

nlohmann::json trace_to_json(const Trace& trace);
nlohmann::json result_to_json(const CheckResult& result);
void write_trace_dot(std::ostream& out, const Trace& trace, const std::string& title);

}  // namespace lmc
