#pragma once
// The dynamic state of the cluster model: small integers and bitmasks in
// fixed-size arrays, so a state is plain bytes, compared with == and hashed
// with hash_object. Everything static lives in Config. spec/cluster/README.md
// describes every variable with the domain rules it serves.

#include <array>
#include <cstdint>

#include "model/cluster/config/capacity.hpp"

namespace lmc::cluster {

inline constexpr std::uint8_t kNone = 0xFF;
inline constexpr std::uint8_t kNoPage = 0xFF;

/// MONJV status of an LM request (O1). `none` before the first request.
enum class Jv : std::uint8_t {
  none,
  accepted_S,
  running_R,
  ended_T,
  ended_warning_TW,
  aborted_AE,
  rejected_AF
};

/// Where an LM stands (WP §4.4). `done` once its MONJV is terminal.
enum class Phase : std::uint8_t {
  idle,        ///< no request yet
  accepted,    ///< prerequisites checked, $S
  setup,       ///< devices detached, $R; target not yet reserved
  memcopy,     ///< target reserved; copy rounds with dirty tracking
  io_stopped,  ///< guest I/O queued; final copy pending
  final_copied,
  suspended,    ///< guest suspended on the source (switchover)
  handed_over,  ///< remaining pages and registers sent; commit pending
  committed,    ///< resumed on the target (owner moved on the CRD); cleanup pending
  done,
};

/// Why an LM was aborted (A2), kept for reports and goals.
enum class Cause : std::uint8_t {
  none,
  network,
  target_lost,
  resources,
  nonconvergence,
  resume_failed,
  source_lost
};

/// The guest's own MONJV (O2, JV).
enum class GuestJv : std::uint8_t { monitoring, migr_out, terminated };

/// Observer findings in Lm::verdict.
enum Verdict : std::uint8_t {
  rollback_incomplete = 1,  ///< I4
  guest_state_changed = 2,  ///< I7
  memory_lost = 4,          ///< I5
  monjv_bad_sequence = 8,   ///< I10
};
/// Sticky goals that leave no other trace in the state.
enum Milestone : std::uint8_t { mirror_resynchronised = 1, definition_recovered = 2 };

struct VmDyn {
  std::uint8_t owner = 0;           ///< SU owning the definition, as the CRD says (D1, I2)
  std::uint8_t state = 0;           ///< VmState
  std::uint8_t exec = 0;            ///< SUs where the guest's CPUs execute (I1)
  std::uint8_t resident = 0;        ///< SUs holding the VM's memory reservation
  std::uint8_t attached = 0;        ///< devices (config order) attached to the guest
  std::uint8_t target_devices = 0;  ///< devices assigned on an LM target
  std::uint8_t writes_left = 0;     ///< guest writes left in this LM
  std::uint8_t guest_jv = 0;        ///< GuestJv
  std::uint8_t migrations = 0;      ///< LIVE-MIG-COUNT (O5)
  /// VM-INDEX=*ANY only: the index VM2000 gave the VM on its owner SU while
  /// it is initialised there, else 0. A fixed index lives in the Config.
  std::uint8_t index = 0;
  std::array<std::uint8_t, kMaxPages> memory{};  ///< the guest's page versions
  std::array<std::uint8_t, kMaxPages> copy{};    ///< the target's copy, or kNoPage
  bool operator==(const VmDyn&) const = default;
};

/// One LM of one VM: at most one per VM at a time.
struct Lm {
  std::uint8_t phase = 0;  ///< Phase
  std::uint8_t jv = 0;     ///< Jv
  std::uint8_t source = kNone;
  std::uint8_t target = kNone;
  std::uint8_t round = 0;
  std::uint8_t dirty = 0;              ///< pages to send (dirty bitmap)
  std::uint8_t detached = 0;           ///< devices the setup detached
  std::uint8_t cause = 0;              ///< Cause of an abort
  std::uint8_t abort_phase = 0;        ///< Phase in which it was aborted
  std::uint8_t snapshot_state = 0;     ///< I4/I7: VM state at the request
  std::uint8_t snapshot_attached = 0;  ///< I4: devices attached at the request
  /// VM-INDEX=*ANY only: the index reserved on the target (0 before the
  /// reservation and after the LM).
  std::uint8_t target_index = 0;
  /// Ghost verdicts of the observer (observer.cpp), one bit per finding.
  std::uint8_t verdict = 0;
  bool operator==(const Lm&) const = default;
};

/// An LM is under way: accepted and not yet ended.
inline bool is_active(const Lm& lm) {
  return lm.phase != static_cast<std::uint8_t>(Phase::idle) &&
         lm.phase != static_cast<std::uint8_t>(Phase::done);
}

struct State {
  // CRD mirrors (C5, I9); first, so the struct has no padding.
  std::uint16_t mirror_failed = 0;
  std::uint16_t mirror_stale = 0;  ///< marked stale by the protocol: not to be read
  /// Ghost truth: the mirror missed a committed write. Only whether a mirror
  /// is behind matters, not by how much, which keeps the state finite when
  /// writes repeat in cycles.
  std::uint16_t mirror_behind = 0;
  // Hardware (H3, H4) and the fault budget.
  std::uint8_t mu_up = 0;
  std::uint8_t su_up = 0;
  std::uint8_t isl_up = 0;
  std::uint8_t faults_left = 0;
  std::uint8_t requests_left = 0;
  // Cluster Manager (M2, I8): the MUs acting as CM, and the lease on the CRD.
  std::uint8_t cm_role = 0;
  std::uint8_t cm_lease = kNone;
  // The CM's heartbeat view (H3, M3): bit set = NORMAL.
  std::uint8_t view_mu = 0;
  std::uint8_t view_su = 0;
  std::uint8_t view_isl = 0;
  std::uint8_t view_crd_degraded = 0;
  std::uint8_t stale_read = 0;        ///< ghost: a read returned data behind the last write
  std::uint8_t milestones = 0;        ///< ghost: Milestone bits reached so far
  std::uint8_t liveness_expired = 0;  ///< SUs whose liveness record timed out (D3)
  std::uint8_t spare = 0;             ///< always 0: keeps the struct free of padding bytes
  std::array<std::int8_t, kMaxSus> free_memory{};  ///< I6
  std::array<VmDyn, kMaxVms> vm{};
  std::array<Lm, kMaxVms> lm{};
  bool operator==(const State&) const = default;
};

}  // namespace lmc::cluster
