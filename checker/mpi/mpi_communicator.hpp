#pragma once
// The engine's Communicator over Open MPI (lmc check --distributed). Built
// only when CMake finds MPI; nothing else in lmc includes mpi.h.

#include <memory>

#include "checker/engine/communicator.hpp"

namespace lmc {

/// MPI_Init on construction, MPI_Finalize on destruction: one per process.
/// Thread support "funneled": only the search's main thread calls MPI (the
/// progress and time-limit watcher thread does not).
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  Communicator& world();
  /// Ends every rank of the run with this exit code (MPI_Abort): for an
  /// error that may have struck this rank alone.
  [[noreturn]] void abort(int code);

 private:
  std::unique_ptr<Communicator> world_;
};

}  // namespace lmc
