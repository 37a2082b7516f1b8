// What blocks an evacuation, and which single configuration changes lift
// it. A change is only called unblocking after planning again with it
// applied has found a plan (item 3 of the verdict issue: advice that does
// not work is worse than none).

#include <fmt/core.h>

#include <algorithm>

#include "model/cluster/prereq/plan_encoding.hpp"

namespace lmc::smt {
namespace {

using namespace cluster;

struct Candidate {
  std::string text;
  Config config;
};

bool holds_initially(const RequestFacts& facts, const rules::Instance& instance) {
  bool holds = true;
  rules::for_each_rule(facts.facts, [&](const rules::Instance& i, bool h) {
    if (i == instance) holds = h;
  });
  return holds;
}

std::vector<int> moving_vms(const Config& c, int source) {
  std::vector<int> vms;
  for (int v = 0; v < static_cast<int>(c.vms.size()); ++v) {
    if (c.vms[v].su == source) vms.push_back(v);
  }
  return vms;
}

/// The blocker in words: the conflict as the configuration stands where the
/// rule fails on its own; otherwise what the moving VMs need together.
std::string blocker_detail(const Config& c, int source, int target, int v,
                           const rules::Instance& instance) {
  const auto facts = read_config_facts(c, v, target);
  if (!holds_initially(facts, instance)) return describe_conflict(c, facts, instance).detail();
  const auto& t = c.sus[target];
  const auto moving = moving_vms(c, source);
  int memory = 0;
  int needing_index = 0;
  for (const int w : moving) {
    if (!initialised(c.vms[w])) continue;
    memory += c.vms[w].memory;
    ++needing_index;
  }
  switch (instance.rule) {
    case Rule::P5:
      return fmt::format(
          "{} needs {} memory units; the VMs moving to {} need {} in all, it has {} free",
          c.vms[v].name, c.vms[v].memory, t.name, memory, facts.facts.free_memory);
    case Rule::P7:
      return fmt::format("{} has {} VM indexes (1..{}), {} of them held, for {} VMs that need one",
                         t.name, t.max_vm_index, t.max_vm_index, facts.facts.used_indexes.size(),
                         needing_index);
    case Rule::P8:
      return fmt::format("{} holds {} VM definitions of at most {}; {} more would move there",
                         t.name, facts.facts.definitions, t.max_vm_definitions, moving.size());
    default:
      return describe_conflict(c, facts, instance).detail();
  }
}

/// The smallest value in (current, limit] of a numeric field that lets a plan
/// be found, by bisection (more of a resource never hurts), or -1.
template <class Set>
int smallest_unblocking(const Config& c, int source, int target, int current, int limit,
                        Set&& set) {
  auto works = [&](int value) {
    Config changed = c;
    set(changed, value);
    return evacuation_possible(changed, source, target);
  };
  if (current >= limit || !works(limit)) return -1;
  int low = current;  // fails
  int high = limit;   // works
  while (high - low > 1) {
    const int middle = low + (high - low) / 2;
    (works(middle) ? high : low) = middle;
  }
  return high;
}

void raise(std::vector<Candidate>& out, const Config& c, int source, int target, const char* what,
           int current, int limit, void (*set)(Config&, int, int)) {
  const int value = smallest_unblocking(c, source, target, current, limit,
                                        [&](Config& changed, int v) { set(changed, target, v); });
  if (value < 0) return;
  Config changed = c;
  set(changed, target, value);
  out.push_back(
      {fmt::format("raise {} of {} from {} to {}", what, c.sus[target].name, current, value),
       changed});
}

void set_memory(Config& c, int su, int value) {
  c.sus[su].memory = value;
}
void set_max_index(Config& c, int su, int value) {
  c.sus[su].max_vm_index = value;
}
void set_max_definitions(Config& c, int su, int value) {
  c.sus[su].max_vm_definitions = value;
}

void index_changes(std::vector<Candidate>& out, const Config& c, int source, int target, int v) {
  const auto& vm = c.vms[v];
  const auto& t = c.sus[target];
  if (vm.index == 0) {
    raise(out, c, source, target, "max_vm_index", t.max_vm_index, limits::vm_index, set_max_index);
    return;
  }
  Config any = c;
  any.vms[v].index = 0;
  out.push_back({fmt::format("create {} with VM-INDEX=*ANY", vm.name), any});
  if (vm.index > t.max_vm_index) {
    Config raised = c;
    raised.sus[target].max_vm_index = vm.index;
    out.push_back(
        {fmt::format("raise max_vm_index of {} from {} to {}", t.name, t.max_vm_index, vm.index),
         raised});
  }
  for (int w = 0; w < static_cast<int>(c.vms.size()); ++w) {
    if (c.vms[w].su != target || c.vms[w].index != vm.index) continue;
    Config freed = c;
    freed.vms[w].index = 0;
    out.push_back({fmt::format("give {} on {} VM-INDEX=*ANY, freeing index {}", c.vms[w].name,
                               t.name, vm.index),
                   freed});
  }
}

void erase_device(Vm& vm, const std::string& id) {
  std::erase_if(vm.devices, [&](const Device& d) { return d.id == id; });
}

void device_changes(std::vector<Candidate>& out, const Config& c, int target, int v,
                    const rules::Instance& instance) {
  const auto& vm = c.vms[v];
  const auto& t = c.sus[target];
  const auto& id = vm.devices[instance.item].id;
  if (instance.rule == Rule::P10) {
    Config generated = c;
    generated.sus[target].devices.push_back(id);
    out.push_back({fmt::format("generate device {} on {}", id, t.name), generated});
    return;
  }
  if (std::find(t.exclusively_used.begin(), t.exclusively_used.end(), id) !=
      t.exclusively_used.end()) {
    Config released = c;
    std::erase(released.sus[target].exclusively_used, id);
    out.push_back(
        {fmt::format("release device {} on {} from the VM outside the configuration", id, t.name),
         released});
  }
  for (int w = 0; w < static_cast<int>(c.vms.size()); ++w) {
    if (w == v || c.vms[w].su != target) continue;
    const auto& devices = c.vms[w].devices;
    if (std::none_of(devices.begin(), devices.end(), [&](const Device& d) { return d.id == id; }))
      continue;
    Config removed = c;
    erase_device(removed.vms[w], id);
    out.push_back(
        {fmt::format("remove device {} from {} on {}", id, c.vms[w].name, t.name), removed});
  }
  Config detached = c;
  erase_device(detached.vms[v], id);
  out.push_back({fmt::format("remove device {} from {} before it moves", id, vm.name), detached});
}

void placement_changes(std::vector<Candidate>& out, const Config& c, int target, int v,
                       const rules::Instance& instance) {
  const auto facts = read_config_facts(c, v, target);
  const auto kind = facts.facts.placement[instance.item].kind;
  const auto& vm = c.vms[v];
  Config created = c;
  auto& t = created.sus[target];
  if (kind == ConflictKind::p12_cpu_pool) {
    t.cpu_pools.push_back(vm.cpu_pool);
    out.push_back({fmt::format("create CPU pool {} on {}", vm.cpu_pool, t.name), created});
  } else if (kind == ConflictKind::p12_vm_group) {
    t.vm_groups.push_back(vm.vm_group);
    out.push_back({fmt::format("create VM group {} on {}", vm.vm_group, t.name), created});
  } else {
    t.assignment_sets.push_back(vm.assignment_set);
    out.push_back(
        {fmt::format("create assignment set {} on {}", vm.assignment_set, t.name), created});
  }
}

void flag_change(std::vector<Candidate>& out, const Config& c, int su, const std::string& text,
                 bool Su::*flag) {
  Config changed = c;
  changed.sus[su].*flag = false;
  out.push_back({text, changed});
}

void extent_changes(std::vector<Candidate>& out, const Config& c, int target) {
  const auto& map = c.sus[target].memory_map;
  for (std::size_t e = 0; e < map.size(); ++e) {
    Config released = c;
    released.sus[target].memory_map.erase(released.sus[target].memory_map.begin() +
                                          static_cast<long>(e));
    out.push_back({fmt::format("release the extent of {} at {}..{} on {}", map[e].holder,
                               map[e].start, map[e].start + map[e].size - 1, c.sus[target].name),
                   released});
  }
}

std::vector<Candidate> candidates(const Config& c, int source, int target, int v,
                                  const rules::Instance& instance) {
  std::vector<Candidate> out;
  const auto& vm = c.vms[v];
  const int side = instance.item == 0 ? source : target;
  switch (instance.rule) {
    case Rule::P1: {
      Config active = c;
      const auto cluster = *c.cluster_of(source);
      active.su_clusters[cluster].active = true;
      out.push_back({fmt::format("activate SU cluster {}", c.su_clusters[cluster].name), active});
      break;
    }
    case Rule::P5:
      if (instance.item == 1) {
        extent_changes(out, c, target);
      } else {
        raise(out, c, source, target, "the memory", c.sus[target].memory,
              ConfigLimits::analysis().su_memory, set_memory);
      }
      break;
    case Rule::P6: {
      Config renamed = c;
      renamed.vms[v].name = vm.name + "M";
      out.push_back({fmt::format("rename {} (the name is used on {})", vm.name, c.sus[target].name),
                     renamed});
      break;
    }
    case Rule::P7:
      index_changes(out, c, source, target, v);
      break;
    case Rule::P8:
      raise(out, c, source, target, "max_vm_definitions", c.sus[target].max_vm_definitions,
            limits::vm_definitions, set_max_definitions);
      break;
    case Rule::P10:
    case Rule::P11:
      device_changes(out, c, target, v, instance);
      break;
    case Rule::P12:
      placement_changes(out, c, target, v, instance);
      break;
    case Rule::P13: {
      Config running = c;
      running.vms[v].state = VmState::running;
      out.push_back({fmt::format("bring {} out of WAIT", vm.name), running});
      break;
    }
    case Rule::P15: {
      Config rewas = c;
      rewas.sus[side].rewas_version = rules::kMinRewas;
      out.push_back(
          {fmt::format("activate REWAS V2.0 in the monitor system of {}", c.sus[side].name),
           rewas});
      break;
    }
    case Rule::P17:
      flag_change(out, c, side,
                  fmt::format("let the configuration update on {} end", c.sus[side].name),
                  &Su::config_update_running);
      break;
    case Rule::P18:
      flag_change(out, c, side, fmt::format("cancel the VM2000 shutdown on {}", c.sus[side].name),
                  &Su::shutdown_initiated);
      break;
    default:
      break;  // P2-P4, P14, P16, P19: no change of the configuration lifts them
  }
  return out;
}

}  // namespace

std::vector<Blocker> explain_blockers(const Config& c, int source, int target,
                                      EvacuationEncoding& e) {
  std::vector<Blocker> blockers;
  for (const auto& g : e.minimal_core()) {
    const int v = e.moving()[g.step];
    Blocker blocker{c.vms[v].name,
                    rule_info(g.instance.rule).id,
                    blocker_detail(c, source, target, v, g.instance),
                    {}};
    for (auto& candidate : candidates(c, source, target, v, g.instance)) {
      const bool unblocks = evacuation_possible(candidate.config, source, target);
      blocker.changes.push_back({std::move(candidate.text), unblocks, std::move(candidate.config)});
    }
    blockers.push_back(std::move(blocker));
  }
  return blockers;
}

}  // namespace lmc::smt
