// The observer: after every step it compares the state before and after and
// records findings as ghost bits (Lm::verdict). Mutants change actions only,
// never this file, so a seeded bug cannot hide from it.

#include "model/cluster/cluster_model.hpp"

namespace lmc::cluster {
namespace {

bool terminal(Jv jv) {
  return jv == Jv::ended_T || jv == Jv::ended_warning_TW || jv == Jv::aborted_AE ||
         jv == Jv::rejected_AF;
}

/// O1: $S -> $R -> $T/$TW/$AE, $S -> $AE, or $AF; a new request may follow
/// a terminal status.
bool allowed_transition(Jv from, Jv to) {
  if (from == to) return true;
  switch (from) {
    case Jv::none:
      return to == Jv::accepted_S || to == Jv::rejected_AF;
    case Jv::accepted_S:
      return to == Jv::running_R || to == Jv::aborted_AE;
    case Jv::running_R:
      return to == Jv::ended_T || to == Jv::ended_warning_TW || to == Jv::aborted_AE;
    default:
      return terminal(from) && (to == Jv::accepted_S || to == Jv::rejected_AF);
  }
}

/// I4: after an abort the source equals its snapshot and the target holds
/// nothing of the VM.
bool rolled_back(const State& s, int v) {
  const auto& lm = s.lm[v];
  const auto& vm = s.vm[v];
  bool target_clean =
      !(vm.resident >> lm.target & 1) && !(vm.exec >> lm.target & 1) && vm.target_devices == 0;
  for (auto page : vm.copy) target_clean &= page == kNoPage;
  const bool source_whole =
      vm.owner == lm.source && vm.state == lm.snapshot_state && vm.attached == lm.snapshot_attached;
  const bool running = static_cast<VmState>(lm.snapshot_state) == VmState::running;
  const bool executes = !running || (vm.exec >> lm.source & 1);
  return target_clean && source_whole && executes;
}

}  // namespace

// Runs after every transition; most change no LM's MONJV or phase, and
// every finding needs one of them to change, so the loop only compares.
void ClusterModel::observe_step(const State& before, State& after) const {
  for (int v = 0; v < vms(); ++v) {
    const auto& was = before.lm[v];
    const auto& lm = after.lm[v];
    if (was.jv != lm.jv || was.phase != lm.phase) observe_lm(before, after, v);
  }
}

void ClusterModel::observe_lm(const State& before, State& after, int v) const {
  const auto& was = before.lm[v];
  auto& lm = after.lm[v];
  const auto from = static_cast<Jv>(was.jv);
  const auto to = static_cast<Jv>(lm.jv);
  if (!allowed_transition(from, to)) lm.verdict |= monjv_bad_sequence;
  const bool ended = was.phase != lm.phase && static_cast<Phase>(lm.phase) == Phase::done;
  const auto cause = static_cast<Cause>(lm.cause);
  if (ended && cause != Cause::none && cause != Cause::source_lost && !rolled_back(after, v)) {
    lm.verdict |= rollback_incomplete;
  }
  const bool resumed_on_target = static_cast<Phase>(was.phase) == Phase::handed_over &&
                                 static_cast<Phase>(lm.phase) == Phase::committed;
  if (resumed_on_target) {
    // The moment the guest changes hands: it must arrive as it left (I7),
    // with every page it wrote (I5). Later faults may change it legitimately.
    if (after.vm[v].state != lm.snapshot_state) lm.verdict |= guest_state_changed;
    for (int p = 0; p < topology_.pages(); ++p) {
      if (after.vm[v].copy[p] != after.vm[v].memory[p]) lm.verdict |= memory_lost;
    }
  }
}

}  // namespace lmc::cluster
