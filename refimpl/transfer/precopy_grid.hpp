#pragma once
// `lmc bench transfer`, second part: pre-copy against the link model on a grid
// of memory size x dirty rate x link speed, next to the analytical model
// (precopy_model.hpp). The guest sweeps memory sequentially at a constant
// rate, the model's guest: each write dirties a page not yet dirty. Every
// completed cell checks that the target's memory equals the source's at
// suspend.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "refimpl/memory/workload.hpp"
#include "refimpl/transfer/precopy.hpp"
#include "refimpl/transfer/precopy_model.hpp"

namespace lmc::ref {

struct GridOptions {
  std::vector<std::size_t> memory_pages;
  std::vector<double> dirty_bytes_per_second;
  std::vector<double> link_bits_per_second;
  Pattern pattern = Pattern::sequential;
  PrecopyPolicy policy;  ///< SU /390 by default: a cell that does not converge aborts
  TransferOptions transfer;
  bool real_time = false;  ///< real clock (sleeping link, writer thread) instead of virtual
  std::uint64_t seed = 1;
};

struct GridCell {
  std::size_t memory_bytes = 0;
  double link_bits_per_second = 0;
  double dirty_bytes_per_second = 0;
  PrecopyPrediction model;
  std::string outcome;  ///< "completed" or "not_converging" (VMS2425)
  int rounds = 0;       ///< pre-copy rounds before the final copy
  double total_seconds = 0;
  double downtime_seconds = 0;  ///< the final copy
  std::uint64_t bytes_sent = 0;
  bool verified = false;  ///< completed and target == source at suspend
};

std::vector<GridCell> run_precopy_grid(const GridOptions& options,
                                       const std::function<void(const GridCell&)>& on_cell);

}  // namespace lmc::ref
