#pragma once
// What a distributed search needs from a message-passing layer: a fixed set
// of ranks and five collective operations on 64-bit words. Every rank calls
// each operation in the same order (they are collectives, as in MPI). The
// engine knows only this interface, so it has no MPI dependency: the lmc
// binary plugs in Open MPI (checker/distributed/mpi_communicator.hpp), and
// the tests plug in ranks that are threads of one process
// (local_communicator.hpp), which needs no MPI at all.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace lmc {

/// A distributed search that cannot run as asked (too many ranks, states
/// that are not plain bytes); the command line prints what() and exits 2.
struct DistributedSearchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  /// All to all: sends outgoing[r] to rank r (outgoing has size() entries)
  /// and fills incoming[r] with what rank r sent to this one.
  virtual void exchange(const std::vector<std::vector<std::uint64_t>>& outgoing,
                        std::vector<std::vector<std::uint64_t>>& incoming) = 0;
  /// Element-wise sum, and minimum, over all ranks, in place; every rank
  /// passes the same number of values.
  virtual void sum(std::span<std::uint64_t> values) = 0;
  virtual void min(std::span<std::uint64_t> values) = 0;
  /// Replaces `words` on every rank by root's `words` (any length).
  virtual void broadcast(std::vector<std::uint64_t>& words, int root) = 0;
  virtual void barrier() = 0;
};

/// Collective: every rank learns whether any rank's `error` is set; a rank
/// with one throws it, the others throw saying which rank failed to do
/// `step` (so that no rank waits in a later collective for one that gave up).
template <class Error>
void agree_or_throw(Communicator& comm, const std::string& error, const std::string& step) {
  std::vector<std::uint64_t> failed(comm.size(), 0);
  failed[comm.rank()] = error.empty() ? 0 : 1;
  comm.sum(failed);
  if (!error.empty()) throw Error(error);
  for (int r = 0; r < comm.size(); ++r) {
    if (failed[r] != 0) throw Error("rank " + std::to_string(r) + " could not " + step);
  }
}

}  // namespace lmc
