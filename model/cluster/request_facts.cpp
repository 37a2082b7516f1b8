#include "model/cluster/request_facts.hpp"

#include <algorithm>
#include <string>

#include "model/cluster/occupancy.hpp"

namespace lmc::cluster {
namespace {

bool listed(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

/// The occupancy of the model's state (occupancy.hpp).
class StateView {
 public:
  StateView(const Topology& topology, const State& state)
      : t_(topology), c_(topology.config()), s_(state) {}
  int vms() const { return static_cast<int>(c_.vms.size()); }
  int owner(int w) const { return s_.vm[w].owner; }
  bool occupies(int w, int su) const { return cluster::occupies(s_, w, su); }
  unsigned devices_held(int w, int su) const { return devices_held_on(s_, w, su); }
  int index_held(int w, int su) const { return index_held_on(c_, s_, w, su); }
  int free_memory(int su) const { return s_.free_memory[su]; }
  /// Both SUs of the request up and talking over MCNPR: with either off, the
  /// SU cluster is in ERROR (M3) and no LM is possible (P1).
  bool reachable(int from, int to) const {
    return (s_.su_up >> from & 1) && t_.su_reachable(s_, from, to);
  }
  int vm_state(int w) const { return s_.vm[w].state; }
  bool lm_from(int w, int su) const { return is_active(s_.lm[w]) && s_.lm[w].source == su; }

 private:
  const Topology& t_;
  const Config& c_;
  const State& s_;
};

/// The configuration as it starts: definitions where the configuration puts
/// them, initialised VMs resident with every device, every unit up, no LM.
class ConfigView {
 public:
  explicit ConfigView(const Config& config) : c_(config), indexes_(initial_vm_indexes(config)) {}
  int vms() const { return static_cast<int>(c_.vms.size()); }
  int owner(int w) const { return c_.vms[w].su; }
  bool occupies(int w, int su) const { return c_.vms[w].su == su; }
  unsigned devices_held(int w, int su) const {
    return initialised(w, su) ? (1u << c_.vms[w].devices.size()) - 1 : 0;
  }
  int index_held(int w, int su) const { return initialised(w, su) ? indexes_[w] : 0; }
  int free_memory(int su) const {
    int free = c_.sus[su].memory - c_.sus[su].mapped_memory();
    for (int w = 0; w < vms(); ++w) free -= initialised(w, su) ? c_.vms[w].memory : 0;
    return free;
  }
  bool reachable(int from, int to) const {
    // Every unit is up: an SU reaches the SUs of its own server, and the
    // other server's over ISL-E (Topology::su_reachable with all links up).
    return c_.sus[from].server == c_.sus[to].server || c_.isl_links > 0;
  }
  int vm_state(int w) const { return static_cast<int>(c_.vms[w].state); }
  bool lm_from(int, int) const { return false; }

 private:
  bool initialised(int w, int su) const {
    return c_.vms[w].su == su && c_.vms[w].state != VmState::defined_only;
  }
  const Config& c_;
  std::vector<int> indexes_;
};

/// Reads the facts of the request through a view; the one place that says
/// what each fact means.
template <class View>
class FactReader {
 public:
  FactReader(const Config& config, const View& view, int vm, int target, bool every_device)
      : c_(config),
        view_(view),
        v_(vm),
        t_(target),
        s_(view.owner(vm)),
        every_device_(every_device) {}

  RequestFacts read() {
    r_.labels.vm = v_;
    r_.labels.source = s_;
    r_.labels.target = t_;
    r_.labels.vm_index = c_.vms[v_].index > 0 ? c_.vms[v_].index : view_.index_held(v_, s_);
    read_units();
    read_memory();
    read_definitions();
    read_devices();
    read_operations();
    return std::move(r_);
  }

 private:
  ConcreteFacts& f() { return r_.facts; }
  const Su& source() const { return c_.sus[s_]; }
  const Su& target() const { return c_.sus[t_]; }
  const Vm& vm() const { return c_.vms[v_]; }

  void read_units() {
    const auto cluster = c_.cluster_of(s_);
    f().same_unit = s_ == t_;
    f().one_cluster = cluster && c_.cluster_of(t_) == cluster;
    f().cluster_active = cluster && c_.su_clusters[*cluster].active;
    f().target_reachable = view_.reachable(s_, t_);
    f().source_arch = static_cast<int>(source().arch);
    f().target_arch = static_cast<int>(target().arch);
    f().source_server = source().server;
    f().target_server = target().server;
    f().isl_links = c_.isl_links;
    f().source_mode = static_cast<int>(source().mode);
    f().target_mode = static_cast<int>(target().mode);
    f().source_rewas = source().rewas_version;
    f().target_rewas = target().rewas_version;
  }

  void read_memory() {
    f().free_memory = view_.free_memory(t_);
    f().vm_memory = vm().memory;
    f().target_memory = target().memory;
    f().contiguity = target().arch == Arch::s390 && !target().memory_map.empty();
    if (!f().contiguity) return;
    for (const auto& e : target().memory_map) f().extents.push_back({e.start, e.size});
  }

  void read_definitions() {
    f().name_used = false;
    f().definitions = 0;
    f().fixed_index = vm().index;
    f().max_index = target().max_vm_index;
    f().max_definitions = target().max_vm_definitions;
    for (int w = 0; w < view_.vms(); ++w) {
      if (w == v_ || !view_.occupies(w, t_)) continue;
      ++f().definitions;
      f().name_used = f().name_used || c_.vms[w].name == vm().name;
      const int index = view_.index_held(w, t_);
      if (index == 0) continue;
      f().used_indexes.push_back(index);
      if (index == vm().index && r_.labels.index_holder < 0) r_.labels.index_holder = w;
    }
  }

  /// Who keeps device `id` from being assigned to the VM on the target:
  /// sets the facts' two "held" flags and returns the first such holder.
  int holder_of(const std::string& id, bool exclusive, rules::DeviceFacts<bool>& d) const {
    int first = -1;
    if (listed(target().exclusively_used, id)) {
      d.held_exclusively = d.held = true;
      first = RequestLabels::kOutside;
    }
    for (int w = 0; w < view_.vms(); ++w) {
      if (w == v_) continue;
      const auto held = view_.devices_held(w, t_);
      const auto& devices = c_.vms[w].devices;
      for (int e = 0; e < static_cast<int>(devices.size()); ++e) {
        if (!(held >> e & 1) || devices[e].id != id) continue;
        const bool theirs_exclusive = devices[e].usage == Usage::exclusive;
        d.held = true;
        d.held_exclusively = d.held_exclusively || theirs_exclusive;
        if (first == -1 && (exclusive || theirs_exclusive)) first = w;
      }
    }
    return first;
  }

  void read_devices() {
    const auto& devices = vm().devices;
    r_.labels.device_holder.assign(devices.size(), -1);
    for (int d = 0; d < static_cast<int>(devices.size()); ++d) {
      if (!every_device_ && detached_at_setup(devices[d], source().arch)) continue;
      rules::DeviceFacts<bool> facts{d, listed(target().devices, devices[d].id),
                                     devices[d].usage == Usage::exclusive, false, false};
      r_.labels.device_holder[d] = holder_of(devices[d].id, facts.exclusive, facts);
      f().devices.push_back(facts);
    }
    const auto place = [&](ConflictKind kind, const std::string& name,
                           const std::vector<std::string>& available) {
      if (!name.empty()) f().placement.push_back({kind, listed(available, name)});
    };
    place(ConflictKind::p12_cpu_pool, vm().cpu_pool, target().cpu_pools);
    place(ConflictKind::p12_vm_group, vm().vm_group, target().vm_groups);
    place(ConflictKind::p12_assignment_set, vm().assignment_set, target().assignment_sets);
  }

  void read_operations() {
    f().vm_state = view_.vm_state(v_);
    f().lm_running_from_source = false;
    // Any LM from the source, the VM's own included: a request while it
    // migrates is a second LM from that SU.
    for (int w = 0; w < view_.vms(); ++w) {
      if (!view_.lm_from(w, s_)) continue;
      f().lm_running_from_source = true;
      if (r_.labels.running_vm < 0) r_.labels.running_vm = w;
    }
    f().source_update = source().config_update_running;
    f().target_update = target().config_update_running;
    f().source_shutdown = source().shutdown_initiated;
    f().target_shutdown = target().shutdown_initiated;
    f().monitor_system = vm().monitor_system;
  }

  const Config& c_;
  const View& view_;
  int v_;
  int t_;
  int s_;
  bool every_device_;  ///< an activation assigns every device, an LM not the detached ones
  RequestFacts r_;
};

const char* arch_name(int arch) {
  return cluster::arch_name(static_cast<Arch>(arch));
}

const char* mode_name(int mode) {
  return cluster::mode_name(static_cast<Mode>(mode));
}

std::string holder_name(const Config& c, int holder) {
  return holder >= 0 ? c.vms[holder].name : std::string(kOutsideHolder);
}

Conflict describe_p1(const Config& c, const RequestFacts& r) {
  const auto& f = r.facts;
  const auto& source = c.sus[r.labels.source].name;
  const auto& target = c.sus[r.labels.target].name;
  if (f.same_unit) return make_conflict(ConflictKind::p1_same_unit, {target});
  if (!f.one_cluster) return make_conflict(ConflictKind::p1_not_one_cluster, {source, target});
  if (!f.cluster_active) {
    const auto cluster = *c.cluster_of(r.labels.source);
    return make_conflict(ConflictKind::p1_cluster_inactive, {c.su_clusters[cluster].name});
  }
  return make_conflict(ConflictKind::p1_target_unreachable, {source, target});
}

Conflict describe_p7(const Config& c, const RequestFacts& r) {
  const auto& f = r.facts;
  const auto& target = c.sus[r.labels.target].name;
  const auto max = std::to_string(f.max_index);
  if (f.fixed_index == 0) return make_conflict(ConflictKind::p7_no_free_index, {target, max});
  const auto index = std::to_string(f.fixed_index);
  if (f.fixed_index > f.max_index) {
    return make_conflict(ConflictKind::p7_index_above_maximum, {index, target, max});
  }
  return make_conflict(ConflictKind::p7_index_used,
                       {index, target, holder_name(c, r.labels.index_holder)});
}

std::string su_name(const Config& c, const RequestFacts& r, int item) {
  return c.sus[item == 0 ? r.labels.source : r.labels.target].name;
}

}  // namespace

RequestFacts read_request_facts(const Topology& topology, const State& state, int vm, int target) {
  const StateView view(topology, state);
  return FactReader<StateView>(topology.config(), view, vm, target, false).read();
}

RequestFacts read_activation_facts(const Topology& topology, const State& state, int vm) {
  const StateView view(topology, state);
  return FactReader<StateView>(topology.config(), view, vm, state.vm[vm].owner, true).read();
}

RequestFacts read_config_facts(const Config& config, int vm, int target) {
  const ConfigView view(config);
  return FactReader<ConfigView>(config, view, vm, target, false).read();
}

std::vector<int> initial_vm_indexes(const Config& c) {
  const int n = static_cast<int>(c.vms.size());
  std::vector<int> index(static_cast<std::size_t>(n), 0);
  for (int su = 0; su < static_cast<int>(c.sus.size()); ++su) {
    std::vector<bool> used(static_cast<std::size_t>(c.sus[su].max_vm_index) + 1, false);
    auto initialised_here = [&](int w) {
      return c.vms[w].su == su && c.vms[w].state != VmState::defined_only;
    };
    for (int w = 0; w < n; ++w) {
      if (!initialised_here(w) || c.vms[w].index == 0) continue;
      index[w] = c.vms[w].index;
      if (index[w] < static_cast<int>(used.size())) used[index[w]] = true;
    }
    for (int w = 0; w < n; ++w) {
      if (!initialised_here(w) || c.vms[w].index != 0) continue;
      for (int i = 1; i < static_cast<int>(used.size()); ++i) {
        if (used[i]) continue;
        index[w] = i;
        used[i] = true;
        break;
      }
    }
  }
  return index;
}

bool rules_hold(const ConcreteFacts& facts, std::initializer_list<Rule> which) {
  bool all = true;
  rules::for_each_rule(facts, [&](const rules::Instance& instance, bool holds) {
    if (std::find(which.begin(), which.end(), instance.rule) != which.end()) all = all && holds;
  });
  return all;
}

bool reservation_possible(const ConcreteFacts& facts) {
  return rules_hold(facts, {Rule::P5, Rule::P6, Rule::P7, Rule::P8, Rule::P11});
}

int assigned_index(const ConcreteFacts& facts) {
  int best = 0;
  for (const int candidate : rules::index_candidates(facts)) {
    if (rules::index_fits(facts, candidate) && (best == 0 || candidate < best)) best = candidate;
  }
  return best;
}

Conflict describe_conflict(const Config& c, const RequestFacts& r, const rules::Instance& failed) {
  using K = ConflictKind;
  const auto& f = r.facts;
  const auto& vm = c.vms[r.labels.vm];
  const auto& source = c.sus[r.labels.source].name;
  const auto& target = c.sus[r.labels.target].name;
  switch (failed.rule) {
    case Rule::P1:
      return describe_p1(c, r);
    case Rule::P2:
      return make_conflict(K::p2_architecture,
                           {source, arch_name(f.source_arch), target, arch_name(f.target_arch)});
    case Rule::P3:
      return make_conflict(K::p3_no_management_cluster, {source, target});
    case Rule::P4:
      return make_conflict(K::p4_mode,
                           {source, mode_name(f.source_mode), target, mode_name(f.target_mode)});
    case Rule::P5:
      if (failed.item == 0) {
        return make_conflict(K::p5_memory, {vm.name, std::to_string(vm.memory), target,
                                            std::to_string(f.free_memory)});
      }
      return make_conflict(K::p5_contiguous,
                           {vm.name, std::to_string(vm.memory), target,
                            std::to_string(c.sus[r.labels.target].largest_map_gap())});
    case Rule::P6:
      return make_conflict(K::p6_name_used, {vm.name, target});
    case Rule::P7:
      return describe_p7(c, r);
    case Rule::P8:
      return make_conflict(K::p8_definitions, {target, std::to_string(f.max_definitions)});
    case Rule::P10:
      return make_conflict(K::p10_not_generated, {vm.devices[failed.item].id, target});
    case Rule::P11:
      return make_conflict(K::p11_device_assigned,
                           {vm.devices[failed.item].id, target,
                            holder_name(c, r.labels.device_holder[failed.item])});
    case Rule::P12: {
      const auto kind = f.placement[failed.item].kind;
      const auto& name = kind == K::p12_cpu_pool   ? vm.cpu_pool
                         : kind == K::p12_vm_group ? vm.vm_group
                                                   : vm.assignment_set;
      return make_conflict(kind, {name, target});
    }
    case Rule::P13:
      return make_conflict(K::p13_wait, {vm.name});
    case Rule::P14:
      return make_conflict(K::p14_native_occupied, {target});
    case Rule::P15:
      return make_conflict(K::p15_rewas, {su_name(c, r, failed.item)});
    case Rule::P16:
      return make_conflict(K::p16_lm_running, {c.vms[r.labels.running_vm].name, source});
    case Rule::P17:
      return make_conflict(K::p17_config_update, {su_name(c, r, failed.item)});
    case Rule::P18:
      return make_conflict(K::p18_shutdown, {su_name(c, r, failed.item)});
    case Rule::P19:
    case Rule::P9:
      break;
  }
  return make_conflict(K::p19_monitor_system, {vm.name});
}

std::vector<Conflict> evaluate_rules(const Config& config, const RequestFacts& request) {
  std::vector<Conflict> conflicts;
  rules::for_each_rule(request.facts, [&](const rules::Instance& instance, bool holds) {
    if (!holds) conflicts.push_back(describe_conflict(config, request, instance));
  });
  sort_conflicts(conflicts);
  return conflicts;
}

}  // namespace lmc::cluster
