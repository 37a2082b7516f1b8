#pragma once
// The design-review document of one configuration (lmc review -o FILE): a
// single HTML file with no script and no network access, so that it can be
// mailed, archived with the design and opened anywhere. Sections, each with
// an id a test or a link can find: configuration, catalogue (fault kind x LM
// phase, what can follow), witnesses (the shortest run of each outcome, as
// a sequence chart), properties (every verdict), counterexamples, coverage.

#include <string>
#include <utility>
#include <vector>

#include "checker/engine/result.hpp"
#include "model/cluster/config/config.hpp"
#include "model/cluster/review/fault_catalogue.hpp"
#include "model/cluster/traces/trace_file.hpp"

namespace lmc::review {

struct ReviewInput {
  std::string source;   ///< "preset default" or the configuration file
  std::string version;  ///< lmc's
  const cluster::Config* config = nullptr;
  const CheckResult* check = nullptr;  ///< the ordinary check of the configuration
  const Catalogue* catalogue = nullptr;
  /// The counterexample of each violated property, as a trace file.
  std::vector<TraceFile> counterexamples;
};

std::string review_html(const ReviewInput& input);

/// The anchor of a witness in the document, e.g. "w-su_crash-1-0".
std::string witness_anchor(const std::string& fault, int phase, int outcome);

}  // namespace lmc::review
