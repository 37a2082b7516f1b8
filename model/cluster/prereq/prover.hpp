#pragma once
// `lmc prove`: rule-level theorems discharged by Z3 over every configuration
// within stated bounds. A theorem is proved when its negation is unsat; when
// it is not, the model of the negation is a counterexample configuration.

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace lmc::smt {

struct TheoremResult {
  std::string name;
  std::string statement;
  std::string bounds;
  bool proved = false;
  /// The counterexample configuration: (quantity, value) pairs.
  std::vector<std::pair<std::string, std::string>> counterexample;
  double milliseconds = 0;
};

/// Runs every theorem; rules named in `dropped` (e.g. "P5") are left out of
/// the hypotheses, to show that each is needed.
std::vector<TheoremResult> prove_theorems(const std::set<std::string>& dropped);

/// The rule IDs the theorems' hypotheses use (valid values for --drop).
std::vector<std::string> theorem_rules();

}  // namespace lmc::smt
