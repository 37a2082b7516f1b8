// How the cluster model reads to a reviewer: state variables with the
// configuration's unit and VM names, and each step with the console
// messages, MONJV statuses and events it produces (O1-O5, WP §4.6).

#include <fmt/core.h>

#include "model/cluster/cluster_model.hpp"
#include "model/cluster/outputs.hpp"

namespace lmc::cluster {
namespace {

const char* vm_state_name(std::uint8_t state) {
  switch (static_cast<VmState>(state)) {
    case VmState::running:
      return "RUNNING";
    case VmState::init_only:
      return "INIT_ONLY";
    case VmState::down:
      return "DOWN";
    case VmState::defined_only:
      return "DEFINED_ONLY";
    case VmState::wait:
      return "WAIT";
  }
  return "?";
}

const char* phase_name(std::uint8_t phase) {
  static constexpr const char* kNames[] = {"-",
                                           "accepted ($S)",
                                           "setup",
                                           "memory copy",
                                           "memory copy, I/O stopped",
                                           "memory copy, final copy done",
                                           "switchover: suspended",
                                           "switchover: handed over",
                                           "cleanup",
                                           "ended"};
  return phase < std::size(kNames) ? kNames[phase] : "?";
}

const char* cause_name(std::uint8_t cause) {
  static constexpr const char* kNames[] = {"-",
                                           "network between the servers broken",
                                           "target SU lost",
                                           "resources cannot be assigned on the target",
                                           "memory does not converge",
                                           "resume on the target failed",
                                           "source SU lost"};
  return cause < std::size(kNames) ? kNames[cause] : "?";
}

std::string pages(const std::array<std::uint8_t, kMaxPages>& versions, int count) {
  std::string text;
  for (int p = 0; p < count; ++p) {
    if (p) text += ' ';
    text += versions[p] == kNoPage ? std::string("-") : std::to_string(versions[p]);
  }
  return text;
}

}  // namespace

const char* jv_name(std::uint8_t jv) {
  static constexpr const char* kNames[] = {"-", "$S", "$R", "$T", "$TW", "$AE", "$AF"};
  return jv < std::size(kNames) ? kNames[jv] : "?";
}

std::string unit_set(const std::vector<std::string>& names, unsigned mask) {
  std::string text;
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    if (mask >> i & 1) text += (text.empty() ? "" : ",") + names[i];
  }
  return text.empty() ? "-" : text;
}

std::vector<Variable> ClusterModel::describe(const State& s) const {
  const auto& c = *config_;
  std::vector<Variable> vars;
  auto up = [](bool on, const char* down) { return on ? std::string("up") : std::string(down); };
  for (int m = 0; m < mus(); ++m)
    vars.push_back({"MU " + c.mus[m].name, up(s.mu_up >> m & 1, "CRASHED")});
  for (int su = 0; su < sus(); ++su)
    vars.push_back({"SU " + c.sus[su].name, up(s.su_up >> su & 1, "CRASHED")});
  for (int l = 0; l < c.isl_links; ++l)
    vars.push_back({fmt::format("ISL-E {}", l + 1), up(s.isl_up >> l & 1, "DOWN")});
  vars.push_back({"faults left", std::to_string(s.faults_left)});
  vars.push_back({"LM requests left", std::to_string(s.requests_left)});
  std::vector<std::string> mu_names;
  for (const auto& mu : c.mus) mu_names.push_back(mu.name);
  vars.push_back({"Cluster Manager", unit_set(mu_names, s.cm_role)});
  vars.push_back({"Cluster Manager lease", s.cm_lease == kNone ? "-" : c.mus[s.cm_lease].name});
  vars.push_back({"status Management Cluster", to_string(management_status(topology_, s))});
  for (int k = 0; k < static_cast<int>(c.su_clusters.size()); ++k) {
    vars.push_back({"status SU cluster " + c.su_clusters[k].name,
                    to_string(su_cluster_status(topology_, s, k))});
  }
  for (int m = 0; m < static_cast<int>(topology_.mirrors().size()); ++m) {
    std::string value = (s.mirror_failed >> m & 1) ? "FAILED" : "ok";
    if (s.mirror_stale >> m & 1) value += ", stale";
    if (s.mirror_behind >> m & 1) value += ", behind the last write";
    vars.push_back({"CRD mirror " + mirror_name(c, topology_.mirrors()[m], m), value});
  }
  if (c.scope.definition_commands) {
    for (int su = 0; su < sus(); ++su) {
      vars.push_back({"liveness record " + c.sus[su].name,
                      (s.liveness_expired >> su & 1) ? "expired" : "fresh"});
    }
  }
  for (int su = 0; su < sus(); ++su)
    vars.push_back({"free memory " + c.sus[su].name, std::to_string(s.free_memory[su])});
  std::vector<std::string> su_names;
  for (const auto& su : c.sus) su_names.push_back(su.name);
  for (int v = 0; v < vms(); ++v) {
    const auto& vm = s.vm[v];
    const auto& lm = s.lm[v];
    const std::string& name = c.vms[v].name;
    std::vector<std::string> device_ids;
    for (const auto& d : c.vms[v].devices) device_ids.push_back(d.id);
    vars.push_back({name + " definition on", c.sus[vm.owner].name});
    vars.push_back({name + " state", vm_state_name(vm.state)});
    vars.push_back({name + " executes on", unit_set(su_names, vm.exec)});
    vars.push_back({name + " memory reserved on", unit_set(su_names, vm.resident)});
    vars.push_back({name + " devices attached", unit_set(device_ids, vm.attached)});
    vars.push_back({name + " devices assigned on target", unit_set(device_ids, vm.target_devices)});
    vars.push_back({name + " pages", pages(vm.memory, topology_.pages())});
    vars.push_back({name + " target copy", pages(vm.copy, topology_.pages())});
    static constexpr const char* kGuestJv[] = {"monitored", "MIGR-OUT", "$T (terminated)"};
    vars.push_back({name + " guest MONJV", kGuestJv[vm.guest_jv]});
    vars.push_back({name + " LIVE-MIG-COUNT", std::to_string(vm.migrations)});
    vars.push_back({"LM " + name, phase_name(lm.phase)});
    vars.push_back({"LM " + name + " MONJV", jv_name(lm.jv)});
    vars.push_back({"LM " + name + " copy round", std::to_string(lm.round)});
    vars.push_back({"LM " + name + " dirty pages", std::to_string(std::popcount(lm.dirty))});
    vars.push_back({"LM " + name + " abort cause", cause_name(lm.cause)});
  }
  return vars;
}

std::string ClusterModel::format_action(const State& s, const Action& a) const {
  State next = s;
  const bool enabled = apply(next, a);
  std::string text = action_title(*this, s, a);
  if (!enabled) return text;
  for (const auto& line : step_outputs(*this, s, a, next)) text += "\n      " + line;
  return text;
}

}  // namespace lmc::cluster
