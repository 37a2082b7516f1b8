#pragma once
// `lmc check --prereq z3`: the prerequisite verdict of every LM request the
// exploration can make, discharged by Z3 once, before the search, for every
// combination of the dynamic facts the rules depend on (free memory on the
// target, the target reachable, an LM already running from the source, the
// owners of the VM definitions, the VM's state). The search then looks the
// verdicts up instead of running the model's own C++ check.

#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "model/cluster/cluster_model.hpp"

namespace lmc::smt {

struct PrereqTableStats {
  std::size_t entries = 0;
  std::size_t queries = 0;  ///< solver checks (one per rule instance and entry)
  double seconds = 0;
};

class PrereqTable {
 public:
  explicit PrereqTable(const cluster::ClusterModel& model);

  /// The conflicts Z3 found for this request's facts. A combination that was
  /// not enumerated (only a mutant can reach one) falls back to the C++
  /// check and is counted in misses().
  std::vector<cluster::Conflict> lookup(const cluster::State& state, int vm, int target) const;

  const PrereqTableStats& stats() const { return stats_; }
  std::size_t misses() const { return misses_->load(); }

 private:
  std::uint64_t key(const cluster::State& state, int vm, int target) const;

  const cluster::ClusterModel* model_;
  std::unordered_map<std::uint64_t, std::vector<cluster::Conflict>> table_;
  PrereqTableStats stats_;
  std::shared_ptr<std::atomic<std::size_t>> misses_ = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace lmc::smt
