#pragma once
// What each SU holds in a model state, written once for the prerequisites
// (P5-P8, P11, P14), the reservation's re-check, the definition commands and
// the invariant I6 (spec/cluster/state.md, "Occupancy"):
//
// - a VM *occupies* an SU when its definition belongs there (D1), or when its
//   LM has made its reservation there (the VM created on the target in the
//   setup phase, WP §4.4: visible in VM2000, so it takes a definition slot,
//   its name and its index);
// - it *holds resources* (memory, devices, a VM index) on an SU where it is
//   resident: initialised on its owner, or reserved on its LM's target. A
//   DEFINED_ONLY definition holds a slot and a name, but no memory, device
//   or index (WP §4.3: /SHOW-VM-DEFINITION lists it without a VM-ID).

#include <cstdint>

#include "model/cluster/config/config.hpp"
#include "model/cluster/state.hpp"

namespace lmc::cluster {

/// VM w's LM has reserved resources on SU su (and not yet committed there).
inline bool reserved_on(const State& s, int w, int su) {
  const auto& lm = s.lm[w];
  return is_active(lm) && lm.target == su && s.vm[w].owner != su && (s.vm[w].resident >> su & 1);
}

inline bool occupies(const State& s, int w, int su) {
  return s.vm[w].owner == su || reserved_on(s, w, su);
}

/// Initialised on its owner SU su (its memory, devices and index held there).
inline bool initialised_on(const State& s, int w, int su) {
  return s.vm[w].owner == su && (s.vm[w].resident >> su & 1);
}

/// The devices (bits in the VM's device list) VM w holds on SU su. The
/// devices an LM detached at its setup stay the VM's on its source while
/// the LM runs: a rollback attaches them again (A3), so nothing else may
/// take them meanwhile (found by replaying generated witnesses on the
/// reference implementation, which keeps them).
inline std::uint8_t devices_held_on(const State& s, int w, int su) {
  std::uint8_t held = 0;
  if (initialised_on(s, w, su)) held |= s.vm[w].attached;
  if (is_active(s.lm[w]) && s.lm[w].source == su && (s.vm[w].resident >> su & 1)) {
    held |= s.lm[w].detached;
  }
  if (is_active(s.lm[w]) && s.lm[w].target == su && (s.vm[w].resident >> su & 1)) {
    held |= s.vm[w].target_devices;
  }
  return held;
}

/// The VM index VM w holds on SU su, or 0.
inline int index_held_on(const Config& c, const State& s, int w, int su) {
  const int fixed = c.vms[w].index;
  if (initialised_on(s, w, su)) return fixed > 0 ? fixed : s.vm[w].index;
  if (reserved_on(s, w, su)) return fixed > 0 ? fixed : s.lm[w].target_index;
  return 0;
}

/// The VM definitions SU su holds, not counting VM `except`.
inline int definitions_on(const Config& c, const State& s, int su, int except = -1) {
  int count = 0;
  for (int w = 0; w < static_cast<int>(c.vms.size()); ++w)
    count += w != except && occupies(s, w, su);
  return count;
}

}  // namespace lmc::cluster
