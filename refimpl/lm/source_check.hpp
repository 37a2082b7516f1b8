#pragma once
// After an LM aborted: is the source whole (A3, I1, I2, I5)? The guest runs
// on the source SU and nowhere else, its definition on the CRD still names
// the source, the target holds none of its resources, and its memory is
// exactly what the guest wrote: equal, byte for byte, to a fresh guest that
// made the same writes. The workload's writes depend only on its seed and
// their count (refimpl/memory/workload.hpp), so the replay is exact, and a
// page the LM's rollback (or the transfer loop) touched would differ.

#include <cstdint>
#include <optional>
#include <string>

#include "refimpl/lm/guest.hpp"
#include "refimpl/lm/installation.hpp"

namespace lmc::ref {

struct SourceCheck {
  bool runs_on_source_alone = false;
  /// nullopt: the CRD could not be read (every mirror failed).
  std::optional<bool> definition_names_source;
  bool target_holds_nothing = false;
  /// nullopt: not compared (no memory for the replay); see memory_note.
  std::optional<bool> memory_whole;
  std::uint64_t writes = 0;  ///< the guest's writes, replayed
  std::string memory_note;
  bool whole() const {
    return runs_on_source_alone && definition_names_source.value_or(true) && target_holds_nothing &&
           memory_whole.value_or(true);
  }
  /// One line: what was checked and what was found.
  std::string summary(const Installation& in, int vm, int source) const;
};

/// The guest's workload must be stopped (it is, after a rollback).
SourceCheck check_source_after_abort(const Installation& in, int vm, int source, int target,
                                     Guest& guest);

}  // namespace lmc::ref
