// CI formats of a check's result: JUnit XML and SARIF 2.1.0. Both carry the
// same verdicts as the text report and --json; a property that the search
// left undecided is "skipped" in JUnit and has no SARIF result.
#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <ostream>

#include "checker/engine/report.hpp"
#include "checker/engine/xml_text.hpp"

namespace lmc {
namespace {

/// The trace's actions, one per line, for a failure's body.
std::string trace_lines(const Trace& trace) {
  std::string out;
  for (std::size_t i = 1; i < trace.steps.size(); ++i) {
    out += fmt::format("{:3}. {}\n", i, trace.steps[i].action);
  }
  return out;
}

bool undecided(const PropertyResult& p) {
  return p.status == PropertyStatus::unknown || p.status == PropertyStatus::skipped;
}

std::string failure_message(const PropertyResult& p) {
  if (p.status == PropertyStatus::unreached) return "goal never reached";
  return p.trace ? fmt::format("violated: counterexample of {} steps", p.trace->length())
                 : "violated";
}

}  // namespace

void write_junit(std::ostream& out, const CheckResult& result) {
  int failures = 0;
  int skipped = 0;
  for (const auto& p : result.properties) {
    failures += failure_class(p).has_value();
    skipped += undecided(p);
  }
  const auto suite = escape_xml("lmc check " + result.model);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                     suite, result.properties.size(), failures, result.stats.seconds);
  out << fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"{:.3f}\">\n",
      suite, result.properties.size(), failures, skipped, result.stats.seconds);
  for (const auto& p : result.properties) {
    out << fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"0\">", suite,
                       escape_xml(p.name));
    if (const auto failure = failure_class(p)) {
      out << fmt::format("\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    ", *failure,
                         escape_xml(failure_message(p)),
                         p.trace ? escape_xml(trace_lines(*p.trace)) : "");
    } else if (undecided(p)) {
      out << fmt::format(
          "<skipped message=\"{}\"/>",
          escape_xml(p.status == PropertyStatus::skipped ? "not checked"
                                                         : "undecided: " + result.stop_reason));
    }
    out << "</testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

void write_sarif(std::ostream& out, const CheckResult& result, const std::string& tool_version,
                 const std::string& artifact) {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  const nlohmann::ordered_json location = {
      {"physicalLocation", {{"artifactLocation", {{"uri", artifact}}}}}};
  for (std::size_t i = 0; i < result.properties.size(); ++i) {
    const auto& p = result.properties[i];
    rules.push_back({{"id", p.name},
                     {"shortDescription",
                      {{"text", fmt::format("{} property{}", p.kind,
                                            p.ids.empty() ? "" : " (rules " + p.ids + ")")}}}});
    const auto failure = failure_class(p);
    if (!failure) continue;
    nlohmann::ordered_json entry = {
        {"ruleId", p.name},
        {"ruleIndex", i},
        {"level", "error"},
        {"kind", "fail"},
        {"message", {{"text", fmt::format("{} ({}): {}", p.name, *failure, failure_message(p))}}},
        {"locations", nlohmann::ordered_json::array({location})},
        {"properties", {{"failure", *failure}}}};
    if (p.trace && p.trace->steps.size() > 1) {
      nlohmann::ordered_json steps = nlohmann::ordered_json::array();
      for (std::size_t s = 1; s < p.trace->steps.size(); ++s) {
        steps.push_back({{"location",
                          {{"physicalLocation", location["physicalLocation"]},
                           {"message", {{"text", p.trace->steps[s].action}}}}},
                         {"executionOrder", s}});
      }
      entry["codeFlows"] = {{{"threadFlows", {{{"locations", steps}}}}}};
    }
    results.push_back(std::move(entry));
  }
  const nlohmann::ordered_json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool", {{"driver", {{"name", "lmc"}, {"version", tool_version}, {"rules", rules}}}}},
         {"results", results},
         {"properties", {{"model", result.model}, {"result", to_string(result.verdict)}}}}}}};
  out << sarif.dump(2) << "\n";
}

}  // namespace lmc
