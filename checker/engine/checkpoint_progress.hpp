#pragma once
// What every breadth-first checkpoint holds besides its store and frontier,
// written and read the same way by the one-process and the distributed
// search: the depth reached, the counters, the search time so far, and the
// properties decided (their first states, the deadlock, the coverage, which
// are still open).

#include <cstdint>
#include <vector>

#include "checker/engine/checkpoint.hpp"
#include "checker/engine/search_outcome.hpp"

namespace lmc {

struct CheckpointProgress {
  std::uint32_t depth = 0;  ///< the level the checkpoint was taken before
  std::uint32_t max_depth = 0;
  std::uint64_t transitions = 0;
  double seconds = 0;  ///< search time up to the checkpoint
};

inline void write_progress(BinaryWriter& out, const CheckpointProgress& progress,
                           const SearchOutcome& outcome, const std::vector<char>& open) {
  out.pod(progress.depth);
  out.pod(progress.max_depth);
  out.pod(progress.transitions);
  out.pod(progress.seconds);
  out.vector(outcome.found);
  out.pod(outcome.deadlock);
  out.vector(outcome.coverage);
  out.vector(open);
}

/// Refuses a checkpoint whose properties or action kinds are not these.
inline CheckpointProgress read_progress(BinaryReader& in, SearchOutcome& outcome,
                                        std::vector<char>& open, std::size_t properties,
                                        std::size_t kinds) {
  CheckpointProgress progress;
  in.pod(progress.depth);
  in.pod(progress.max_depth);
  in.pod(progress.transitions);
  in.pod(progress.seconds);
  in.vector(outcome.found);
  in.pod(outcome.deadlock);
  in.vector(outcome.coverage);
  in.vector(open);
  if (outcome.found.size() != properties || open.size() != properties ||
      outcome.coverage.size() != kinds) {
    in.fail("the properties or action kinds differ from this model's");
  }
  return progress;
}

}  // namespace lmc
