#pragma once
// Ranks that are threads of one process, for tests of the distributed search
// without MPI (and under ThreadSanitizer): run_local_ranks(n, body) runs
// body(communicator) on n threads at once, each with its own rank.

#include <barrier>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "checker/engine/communicator.hpp"

namespace lmc {

/// What the ranks of one group share: one mailbox per (sender, receiver)
/// and one slot per rank for reductions, with a barrier between writing and
/// reading them.
class LocalGroup {
 public:
  explicit LocalGroup(int ranks);
  int size() const { return ranks_; }

 private:
  friend class LocalCommunicator;
  int ranks_;
  std::barrier<> barrier_;
  std::vector<std::vector<std::vector<std::uint64_t>>> mail_;  ///< [from][to]
  std::vector<std::vector<std::uint64_t>> slots_;              ///< [rank]
};

class LocalCommunicator final : public Communicator {
 public:
  LocalCommunicator(LocalGroup& group, int rank) : group_(&group), rank_(rank) {}
  int rank() const override { return rank_; }
  int size() const override { return group_->size(); }
  void exchange(const std::vector<std::vector<std::uint64_t>>& outgoing,
                std::vector<std::vector<std::uint64_t>>& incoming) override;
  void sum(std::span<std::uint64_t> values) override;
  void min(std::span<std::uint64_t> values) override;
  void broadcast(std::vector<std::uint64_t>& words, int root) override;
  void barrier() override;

 private:
  template <class Combine>
  void reduce(std::span<std::uint64_t> values, Combine combine);
  LocalGroup* group_;
  int rank_;
};

/// Runs body on `ranks` threads, rank r's communicator passed to the r-th;
/// returns when all have. An exception in any body is rethrown (the first
/// rank's first); a body must not throw between collectives, as the others
/// would wait for it forever, which is what an MPI rank that died mid-run
/// does too.
void run_local_ranks(int ranks, const std::function<void(Communicator&)>& body);

}  // namespace lmc
