#pragma once
// Faults injected into one LM (`lmc migrate --fault KIND@PHASE`). Each fires
// at a fixed point of its phase, chosen so that the rollback has something to
// undo (spec/refimpl/lm.md):
//   setup       after the target has reserved and allocated the VM's memory
//   copy        after the first pre-copy round
//   switchover  after the guest was suspended on the source
//   cleanup     after the commit point (the guest runs on the target)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lmc::ref {

enum class LmPhase { request, setup, copy, switchover, cleanup, done };
std::string to_string(LmPhase phase);

enum class FaultKind {
  link,        ///< the ISL-E connection between the servers is cut (A2)
  allocation,  ///< the target cannot allocate the VM's memory (A2); setup only
  resume,      ///< resume on the target fails (WP §4.4 phase 3); switchover only
  crd,         ///< every configuration disk fails: the CRD takes no writes
  disk,        ///< one configuration disk fails: the mirrors carry on
  kill,        ///< the target process is killed (--transport tcp)
  /// The operator interrupts lmc itself: the process raises SIGINT or
  /// SIGTERM at the fault point, so that the handler `lmc migrate` installs
  /// is tested at each phase. Without a handler the signal ends the process.
  sigint,
  sigterm,
};
std::string to_string(FaultKind kind);

struct Fault {
  FaultKind kind = FaultKind::link;
  LmPhase phase = LmPhase::copy;
  std::string text() const;  ///< "link@copy"
};

/// Parses "KIND@PHASE"; on error returns nullopt and says what was expected.
std::optional<Fault> parse_fault(std::string_view text, std::string& error);

/// Whether a fault of `kind` can fire in `phase` (allocation only at setup,
/// resume only at switchover).
bool fault_fits_phase(FaultKind kind, LmPhase phase);

bool has_fault(const std::vector<Fault>& faults, FaultKind kind);

}  // namespace lmc::ref
