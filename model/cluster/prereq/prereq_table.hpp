#pragma once
// `lmc check --prereq z3`: every LM request the exploration makes takes its
// verdict from Z3. A request's verdict depends only on its facts (the
// vector that model/cluster/prerequisite_rules.hpp reads, and the names the
// conflicts give), and an exploration makes requests with few distinct
// facts, so each distinct one is discharged by Z3 once, when the search
// first meets it, and remembered. Safe to call from many threads: one
// solver, under a lock, answers the first query of each fact vector.

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/cluster/cluster_model.hpp"

namespace lmc::smt {

class PrereqSolver;

struct PrereqTableStats {
  std::size_t entries = 0;  ///< distinct fact vectors met
  std::size_t queries = 0;  ///< solver checks (one per rule instance and entry, and witnesses)
  double seconds = 0;       ///< time spent in Z3
};

class PrereqTable {
 public:
  explicit PrereqTable(const cluster::ClusterModel& model);
  ~PrereqTable();

  /// The conflicts Z3 finds for this request, in report order.
  std::vector<cluster::Conflict> lookup(const cluster::State& state, int vm, int target) const;

  PrereqTableStats stats() const;

 private:
  const cluster::ClusterModel* model_;
  mutable std::shared_mutex lock_;
  mutable std::unordered_map<std::string, std::vector<cluster::Conflict>> table_;
  mutable std::unique_ptr<PrereqSolver> solver_;
  mutable PrereqTableStats stats_;
};

/// The key of a request: its facts and labels, byte for byte.
std::string fact_key(const cluster::RequestFacts& request);

}  // namespace lmc::smt
