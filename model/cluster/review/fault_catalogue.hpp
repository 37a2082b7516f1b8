#pragma once
// The failure catalogue of a configuration (lmc review): for every fault
// kind and every phase of an LM (WP §4.4: setup, memory copy, switchover,
// cleanup), what the model says can follow a fault of that kind injected
// while an LM is in that phase: the LM aborts and rolls back ($AE, told apart
// by the abort's cause), completes ($T), completes with a warning ($TW), or
// is blocked (under way, with
// nothing but another fault enabled). Each outcome that can happen comes with
// its shortest witness, found by the engine's breadth-first search on the
// model with a ghost tag: the kind, phase and VM of the first fault injected
// during an LM, and whether another fault came after it (an outcome the
// fault alone leads to is told apart from one that needs a second fault). The tag changes no
// behaviour, so every outcome found is one of the model's own paths and every outcome missing is
// one it cannot reach within the configuration's scope.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "checker/engine/options.hpp"
#include "model/cluster/cluster_model.hpp"
#include "model/cluster/traces/trace_file.hpp"

namespace lmc::review {

inline constexpr int kFaultKinds = cluster::kFaultKindCount;  ///< Kind::mu_crash .. resume_fails
inline constexpr int kLmPhases = 4;
/// Aborted for each Cause (network .. source lost), completed, completed
/// with a warning, blocked.
inline constexpr int kOutcomes = 9;

/// The phase names of WP §4.4, in order.
const std::array<const char*, kLmPhases>& lm_phase_names();
/// "aborted: network broke", ..., "completed", "completed with warning", "blocked".
const std::array<const char*, kOutcomes>& outcome_names();
/// The MONJV of each outcome ("$AE" for the aborts, "$T", "$TW", "-").
const std::array<const char*, kOutcomes>& outcome_statuses();
/// Short codes for text tables: "AE:net" .. "AE:source", "T", "TW", "blocked".
const std::array<const char*, kOutcomes>& outcome_codes();

struct CatalogueCell {
  int fault = 0;  ///< index into the model's action kinds (a fault kind)
  int phase = 0;  ///< index into lm_phase_names()
  /// Per outcome: its shortest witness with no fault after this one, or
  /// nullopt when the fault alone cannot lead there.
  std::array<std::optional<TraceFile>, kOutcomes> witnesses{};
  /// Per outcome: its shortest witness with further faults (within the
  /// budget) after this one; kept only where the fault alone cannot lead there.
  std::array<std::optional<TraceFile>, kOutcomes> with_more_faults{};
  bool enabled = true;  ///< the configuration allows the fault kind at all
  bool any() const;
};

struct Catalogue {
  std::vector<std::string> fault_kinds;  ///< names, kFaultKinds of them
  std::vector<CatalogueCell> cells;      ///< fault-major, kFaultKinds * kLmPhases
  std::uint64_t states = 0;              ///< of the tagged search
  double seconds = 0;
  bool complete = false;  ///< the search was exhaustive (else the cells are a lower bound)

  const CatalogueCell& cell(int fault, int phase) const;
};

/// The catalogue as one SVG picture (lmc review --svg).
std::string catalogue_svg(const Catalogue& catalogue, const std::string& title);

/// `trace_source` fills the preset or config fields of the witnesses' trace
/// files (so that `lmc replay` and `lmc validate` can read them).
Catalogue build_catalogue(const cluster::ClusterModel& model, const SearchOptions& options,
                          const TraceFile& trace_source);

}  // namespace lmc::review
