#pragma once
// The cluster model: SE servers, MUs, SUs, ISL-E links, the CRD mirrors, the
// Cluster Manager with its heartbeat view, and Live Migration in its four
// phases with rejection, abort and rollback, under injected faults. It
// satisfies lmc::Model; spec/cluster/README.md describes it rule by rule.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/engine/bit_layout.hpp"
#include "checker/engine/property.hpp"
#include "model/cluster/action.hpp"
#include "model/cluster/cluster_status.hpp"
#include "model/cluster/config/config.hpp"
#include "model/cluster/mutants.hpp"
#include "model/cluster/prerequisites.hpp"
#include "model/cluster/request_facts.hpp"
#include "model/cluster/state.hpp"
#include "model/cluster/topology.hpp"

namespace lmc::cluster {

class ClusterModel {
 public:
  using State = cluster::State;
  using Action = cluster::Action;

  ClusterModel(Config config, Mutant mutant);
  ClusterModel(const ClusterModel& other);
  ClusterModel& operator=(const ClusterModel&) = delete;

  std::string name() const;
  std::vector<State> initial_states() const;
  void actions(const State& state, std::vector<Action>& out) const;
  /// Every unit and kind, without the cheap filter of `actions`: what
  /// `actions` must agree with (tests compare their successors).
  void unfiltered_actions(const State& state, std::vector<Action>& out) const;
  std::optional<State> next_state(const State& state, const Action& action) const;
  /// next_state without the std::optional (lmc::Model's optional
  /// `successor`): writes the successor into `next`; false, with `next`
  /// unspecified, when the action is disabled.
  bool successor(const State& state, const Action& action, State& next) const;
  /// A state without successors is an intended end when no LM is under way
  /// (every request answered, budget spent, all repaired); with an LM under
  /// way it is a deadlock.
  bool is_terminal(const State& state) const;
  std::uint64_t hash(const State& state) const;
  /// Packed storage (lmc::PackableModel): the state in packed_words() 64-bit
  /// words, each variable in as many bits as this configuration needs.
  std::size_t packed_words() const { return layout_.words(); }
  void pack(const State& state, std::uint64_t* words) const { layout_.pack(state, words); }
  void unpack(const std::uint64_t* words, State& state) const { layout_.unpack(words, state); }
  void unpack_over(const std::uint64_t* previous, const std::uint64_t* words, State& state) const {
    layout_.unpack_over(previous, words, state);
  }
  void repack(const State& parent, const std::uint64_t* parent_words, const State& state,
              std::uint64_t* words) const {
    layout_.repack(parent, parent_words, state, words);
  }
  const BitLayout<State>& layout() const { return layout_; }
  /// Symmetry reduction (lmc::SymmetricModel, `lmc check --symmetry`): the
  /// pages of a VM are interchangeable (every action treats them alike and
  /// no property names one), so a state is rewritten with each VM's pages
  /// sorted by (version, target copy, dirty). symmetry.cpp.
  void canonicalize(State& state) const;
  std::vector<std::string> action_kinds() const;
  std::size_t action_kind(const Action& action) const {
    return static_cast<std::size_t>(action.kind);
  }
  /// Kinds this configuration can fire at all (coverage warns about the rest
  /// only if they are enabled): faults of the scope's kinds and their repairs,
  /// LM steps when requests are allowed, definition commands when offered.
  bool action_kind_enabled(std::size_t kind) const;
  std::string format_action(const State& state, const Action& action) const;
  std::vector<Variable> describe(const State& state) const;
  std::vector<Property<State>> properties() const;

  /// Where an LM request takes its prerequisite verdict from: by default the
  /// model's own C++ check (lm_conflicts); `lmc check --prereq z3` installs a
  /// table that Z3 filled before the search. Must be safe to call from many
  /// threads at once.
  using PrerequisiteOracle =
      std::function<std::vector<Conflict>(const State& state, int vm, int target)>;
  void set_prerequisite_oracle(PrerequisiteOracle oracle) { oracle_ = std::move(oracle); }
  std::vector<Conflict> conflicts(const State& state, int vm, int target) const;
  /// The setup phase's reservation re-check (P5, P6, P7, P8, P11) on the
  /// facts of the request as they stand at the reservation.
  bool reservation_allowed(const RequestFacts& facts) const;

  const Config& config() const { return *config_; }
  int cluster_manager(const State& s) const;  ///< the live CM MU, or -1
  const Topology& topology() const { return topology_; }
  Mutant mutant() const { return mutant_; }

  // The actions, one function each; false when not enabled. Public so that
  // unit tests can drive single steps.
  bool apply(State& s, const Action& a) const;

 private:
  bool is(Mutant m) const { return mutant_ == m; }
  // Counted once: read in the loops of every transition.
  int vms() const { return vms_; }
  int sus() const { return sus_; }
  int mus() const { return mus_; }
  bool fault_enabled(FaultKind kind) const;
  bool spend_fault(State& s, FaultKind kind) const;

  // Hardware, CRD and Cluster Manager (actions_hardware.cpp).
  bool mu_crash(State& s, int mu) const;
  bool mu_restart(State& s, int mu) const;
  bool su_crash(State& s, int su) const;
  bool su_restart(State& s, int su) const;
  bool isl_down(State& s, int link) const;
  bool isl_repair(State& s, int link) const;
  bool disk_fail(State& s, int mirror) const;
  bool disk_repair(State& s, int mirror) const;
  bool disk_resync(State& s, int mirror) const;
  bool cm_lease_expire(State& s) const;
  bool cm_takeover(State& s, int mu) const;
  bool cm_observe(State& s) const;
  bool liveness_timeout(State& s, int su) const;
  bool liveness_renew(State& s, int su) const;
  bool crd_write(State& s, int server) const;
  bool crd_read(State& s, int server) const;
  int server_of_su_writer(const State& s, int su) const;  ///< -1 if no CRD path
  /// The lease's holder is down or cut off from the CRD (cm_lease_expire).
  bool lease_expires(const State& s) const;

  // Live Migration (actions_lm.cpp).
  bool lm_request(State& s, int vm) const;
  bool lm_start(State& s, int vm) const;
  bool reserve_target(State& s, int vm, bool fails) const;
  bool copy_round(State& s, int vm) const;
  bool guest_write(State& s, int vm, int page) const;
  bool stop_io(State& s, int vm) const;
  bool final_copy(State& s, int vm) const;
  bool suspend(State& s, int vm) const;
  bool hand_over(State& s, int vm) const;
  bool resume(State& s, int vm, bool fails) const;
  bool cleanup(State& s, int vm) const;
  bool abort_lm(State& s, int vm) const;
  bool abort_nonconvergence(State& s, int vm) const;
  void roll_back(State& s, int vm, Cause cause) const;
  void end_request(State& s, int vm, Jv status) const;
  bool target_reachable(const State& s, int vm) const;

  // VM definitions (actions_definitions.cpp).
  bool migrate_definition(State& s, int vm) const;
  bool recover_definition(State& s, int vm) const;
  bool activate_vm(State& s, int vm) const;
  bool start_vm(State& s, int vm) const;

  // Facts of the configuration the successor function needs on every state,
  // computed once (precompute) instead of per transition.
  void precompute();
  void plan_lm_steps();
  void add_lm_candidates(const State& s, int v, std::vector<Action>& out) const;
  std::uint32_t enabled_lm_steps(const State& s, int v) const;
  int partner(int su) const { return su >= 0 && su < kMaxSus ? partner_[su] : -1; }
  bool may_fault(const State& s, FaultKind kind) const {
    return s.faults_left != 0 && fault_on_[static_cast<std::size_t>(kind)];
  }

  void add_liveness(std::vector<Property<State>>& props) const;
  void add_goals(std::vector<Property<State>>& props) const;

  // Ghost verdicts written after every step (observer.cpp).
  void observe_step(const State& before, State& after) const;
  /// The findings about VM v's LM, whose MONJV or phase changed.
  void observe_lm(const State& before, State& after, int v) const;

  std::unique_ptr<const Config> config_;
  Topology topology_;
  Mutant mutant_;
  PrerequisiteOracle oracle_;
  int mus_ = 0;
  int sus_ = 0;
  int vms_ = 0;
  BitLayout<State> layout_;
  std::array<bool, kFaultKinds> fault_on_{};
  /// The other SU of each SU's cluster, or -1 (Config::partner_of).
  std::array<int, kMaxSus> partner_{};
  /// Whether the scope lets the operator request an LM of each VM.
  std::array<bool, kMaxVms> in_scope_{};
  /// Per Phase: the LM steps that can be enabled in that phase, one bit per
  /// step in candidate order (kLmSteps in cluster_model.cpp); a necessary
  /// condition only, the step's own guard decides.
  std::array<std::uint32_t, static_cast<std::size_t>(Phase::done) + 1> lm_steps_in_phase_{};
};

}  // namespace lmc::cluster
