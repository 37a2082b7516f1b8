#pragma once
// Checkpoints of a distributed search: each rank writes its own file,
// DIR/rank-R-of-N/level-D.lmc, at the same level. A file is written under a
// temporary name and renamed once every rank has written its own; older
// levels are deleted only once every rank has renamed. So whenever a rank is
// killed, there is a level every rank holds whole, and resuming takes the
// newest such level. Both steps are collectives: an error on one rank (a
// full disk) is an error on all, and no rank waits for one that gave up.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "checker/engine/communicator.hpp"

namespace lmc {

class RankCheckpoint {
 public:
  RankCheckpoint(Communicator& comm, const std::string& directory, std::uint32_t depth);
  std::ostream& stream() { return out_; }
  /// Collective: renames every rank's file into place, then deletes their
  /// older levels. Throws CheckpointError on every rank if any rank failed.
  void commit();

  /// Collective: this rank's file of the newest level that every rank holds.
  /// Throws CheckpointError on every rank when there is none.
  static std::filesystem::path latest(Communicator& comm, const std::string& directory);

 private:
  Communicator& comm_;
  std::filesystem::path directory_;
  std::filesystem::path final_;
  std::filesystem::path temporary_;
  std::ofstream out_;
  std::string error_;
};

/// DIR/rank-R-of-N.
std::filesystem::path rank_directory(const std::string& directory, int rank, int ranks);

}  // namespace lmc
