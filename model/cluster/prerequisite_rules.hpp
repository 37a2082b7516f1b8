#pragma once
// The LM prerequisites P1-P19 (WP §4.1, §4.8), each condition written once,
// as a template over the type of its terms:
//
//   RuleFacts<bool, int>           the model's own C++ check evaluates it;
//   RuleFacts<z3::expr, z3::expr>  the Z3 encodings (lmc prereq, --prereq z3,
//                                  lmc prove, the planner's step check) build
//                                  formulas from the same code.
//
// A formula uses only what both term types offer: the operators && || ! ==
// != < <= > >= + -, and implies(), found for bool here and for z3::expr in
// namespace z3 by argument-dependent lookup. Existential rules (a free VM
// index for *ANY, a contiguous piece of memory) are finite disjunctions over
// the only candidates that matter, so no engine needs a search of its own.
//
// What a fact means (which VMs occupy the target, who holds a device) is
// read off the model's state by request_facts.cpp, and off a configuration
// or a plan's step by the Z3 side; the wording of each conflict is in
// conflicts.hpp. The reference implementation keeps its own check and is
// held to these definitions by the differential property (properties/).

#include <optional>
#include <vector>

#include "model/cluster/config/conflicts.hpp"

namespace lmc::cluster::rules {

inline constexpr int kS390 = 0;       ///< Arch::s390
inline constexpr int kNative = 1;     ///< Mode::native
inline constexpr int kWait = 4;       ///< VmState::wait
inline constexpr int kMinRewas = 20;  ///< REWAS V2.0 (P15)

inline bool implies(bool a, bool b) {
  return !a || b;
}

/// A device of the VM that moves with it (devices LM detaches are not
/// assigned on the target and have no facts).
template <class B>
struct DeviceFacts {
  int device = 0;      ///< index in the VM's device list
  B generated;         ///< generated on the target (P10)
  B exclusive;         ///< the VM uses it exclusively
  B held_exclusively;  ///< another VM holds it exclusively on the target
  B held;              ///< another VM holds it on the target, in any way
};

/// A CPU pool, VM group or assignment set the VM uses (P12).
template <class B>
struct PlacementFacts {
  ConflictKind kind;  ///< p12_cpu_pool, p12_vm_group or p12_assignment_set
  B exists;
};

template <class I>
struct ExtentFacts {
  I start;
  I size;
};

/// Everything P1-P19 read about one request: VM `vm` from its SU to a
/// target. "Occupants" of the target are the VMs whose definitions it holds
/// (and an LM's reservation there), never the requesting VM itself.
template <class B, class I>
struct RuleFacts {
  // P1
  B same_unit;
  B one_cluster;  ///< source and target belong to the same SU cluster
  B cluster_active;
  B target_reachable;
  // P2-P4
  I source_arch, target_arch;
  I source_server, target_server;
  I isl_links;
  I source_mode, target_mode;
  // P5
  I free_memory;  ///< on the target
  I vm_memory;
  I target_memory;
  bool contiguity = false;  ///< SU /390 target with a memory map: P5 also needs one piece
  std::vector<ExtentFacts<I>> extents;
  // P6
  B name_used;
  // P7
  I fixed_index;  ///< 0: VM-INDEX=*ANY
  I max_index;
  std::vector<I> used_indexes;  ///< indexes the occupants hold
  /// A solver's free term for the index the VM takes: P7 then reads
  /// "index_witness fits" instead of trying every candidate (the planner,
  /// where the candidates would make P7 quadratic in the VMs that move).
  std::optional<I> index_witness;
  // P8, P14
  I definitions;  ///< occupants of the target
  I max_definitions;
  // P10, P11, P12
  std::vector<DeviceFacts<B>> devices;
  std::vector<PlacementFacts<B>> placement;
  // P13, P15-P19
  I vm_state;
  I source_rewas, target_rewas;
  B lm_running_from_source;
  B source_update, target_update;
  B source_shutdown, target_shutdown;
  B monitor_system;
};

/// One rule instance: the rule, and which item of it (device, P12 entry, or
/// 0 = source / 1 = target for the rules checked on both SUs; 0 = amount,
/// 1 = contiguity for P5).
struct Instance {
  Rule rule;
  int item = 0;
  bool operator==(const Instance&) const = default;
};

/// P7: `index` is an index the VM may take on the target.
template <class B, class I, class T>
B index_fits(const RuleFacts<B, I>& f, const T& index) {
  B fits = index >= 1 && index <= f.max_index && (f.fixed_index == 0 || index == f.fixed_index);
  for (const auto& used : f.used_indexes) fits = fits && index != used;
  return fits;
}

/// The indexes worth trying: the fixed one, and for *ANY the lowest free
/// one, which is 1 or just above a used one.
template <class B, class I>
std::vector<I> index_candidates(const RuleFacts<B, I>& f) {
  std::vector<I> candidates{f.fixed_index, f.fixed_index * 0 + 1};
  for (const auto& used : f.used_indexes) candidates.push_back(used + 1);
  return candidates;
}

/// Some candidate fits: the finite disjunction that stands for "there is one"
/// (both term types can build it).
template <class Candidates, class Fits>
auto some_candidate_fits(const Candidates& candidates, Fits&& fits) {
  auto any = fits(candidates[0]);
  for (std::size_t c = 1; c < candidates.size(); ++c) any = any || fits(candidates[c]);
  return any;
}

/// `x` fits and no candidate below it does: the lowest fitting value.
template <class Candidates, class Fits, class T>
auto lowest_fitting(const Candidates& candidates, Fits&& fits, const T& x) {
  auto lowest = fits(x);
  for (const auto& c : candidates) lowest = lowest && implies(fits(c), x <= c);
  return lowest;
}

template <class B, class I>
B index_available(const RuleFacts<B, I>& f) {
  return some_candidate_fits(index_candidates(f), [&](const auto& i) { return index_fits(f, i); });
}

/// The index VM2000 gives the VM: the fixed one, or the lowest free one.
template <class B, class I, class T>
B index_assigned(const RuleFacts<B, I>& f, const T& index) {
  return lowest_fitting(
      index_candidates(f), [&](const auto& i) { return index_fits(f, i); }, index);
}

/// P5 on SU /390: the VM's memory fits in one piece starting at `start`.
template <class B, class I, class T>
B fits_at(const RuleFacts<B, I>& f, const T& start) {
  B fits = start >= 0 && start + f.vm_memory <= f.target_memory;
  for (const auto& e : f.extents) {
    fits = fits && (start + f.vm_memory <= e.start || start >= e.start + e.size);
  }
  return fits;
}

/// A piece fits somewhere exactly when it fits at 0 or at the end of an
/// extent (slide any fitting piece down until it touches one).
template <class B, class I>
std::vector<I> piece_candidates(const RuleFacts<B, I>& f) {
  std::vector<I> candidates{f.vm_memory * 0};
  for (const auto& e : f.extents) candidates.push_back(e.start + e.size);
  return candidates;
}

template <class B, class I>
B contiguous_piece(const RuleFacts<B, I>& f) {
  return some_candidate_fits(piece_candidates(f), [&](const auto& at) { return fits_at(f, at); });
}

/// The lowest start of such a piece (where the target places the VM).
template <class B, class I, class T>
B piece_placed(const RuleFacts<B, I>& f, const T& start) {
  return lowest_fitting(
      piece_candidates(f), [&](const auto& at) { return fits_at(f, at); }, start);
}

/// P11: the device can be assigned to the VM on the target: no other VM holds
/// it exclusively, and if the VM wants it exclusively, no other VM holds it.
template <class B>
B device_available(const DeviceFacts<B>& d) {
  return implies(d.generated, !(d.held_exclusively || (d.exclusive && d.held)));
}

/// Calls emit(instance, holds) for every rule instance, in report order.
template <class B, class I, class Emit>
void for_each_rule(const RuleFacts<B, I>& f, Emit&& emit) {
  emit(Instance{Rule::P1}, !f.same_unit && f.one_cluster && f.cluster_active && f.target_reachable);
  emit(Instance{Rule::P2}, f.source_arch == f.target_arch);
  emit(Instance{Rule::P3}, f.source_server == f.target_server || f.isl_links > 0);
  emit(Instance{Rule::P4}, f.source_mode == f.target_mode);
  emit(Instance{Rule::P5, 0}, f.free_memory >= f.vm_memory);
  if (f.contiguity) emit(Instance{Rule::P5, 1}, contiguous_piece(f));
  emit(Instance{Rule::P6}, !f.name_used);
  emit(Instance{Rule::P7}, f.index_witness ? index_fits(f, *f.index_witness) : index_available(f));
  emit(Instance{Rule::P8}, f.definitions < f.max_definitions);
  for (const auto& d : f.devices) emit(Instance{Rule::P10, d.device}, d.generated);
  for (const auto& d : f.devices) emit(Instance{Rule::P11, d.device}, device_available(d));
  for (std::size_t p = 0; p < f.placement.size(); ++p) {
    emit(Instance{Rule::P12, static_cast<int>(p)}, f.placement[p].exists);
  }
  emit(Instance{Rule::P13}, f.vm_state != kWait);
  emit(Instance{Rule::P14}, implies(f.target_mode == kNative, f.definitions == 0));
  emit(Instance{Rule::P15, 0}, implies(f.source_arch == kS390, f.source_rewas >= kMinRewas));
  emit(Instance{Rule::P15, 1}, implies(f.source_arch == kS390, f.target_rewas >= kMinRewas));
  emit(Instance{Rule::P16}, !f.lm_running_from_source);
  emit(Instance{Rule::P17, 0}, !f.source_update);
  emit(Instance{Rule::P17, 1}, !f.target_update);
  emit(Instance{Rule::P18, 0}, !f.source_shutdown);
  emit(Instance{Rule::P18, 1}, !f.target_shutdown);
  emit(Instance{Rule::P19}, !f.monitor_system);
}

/// The rules the setup phase's reservation on the target re-checks (memory,
/// name, index, definition slot, devices): what may have changed between the
/// request and the reservation (time of check vs time of use).
inline bool is_reservation_rule(Rule rule) {
  return rule == Rule::P5 || rule == Rule::P6 || rule == Rule::P7 || rule == Rule::P8 ||
         rule == Rule::P11;
}

}  // namespace lmc::cluster::rules
