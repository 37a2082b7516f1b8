#include "model/cluster/config/conflicts.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace lmc::cluster {
namespace {

constexpr std::array<RuleInfo, 19> kRules{{
    {Rule::P1, "P1", "", "source and target form one active SU cluster", true},
    {Rule::P2, "P2", "", "same architecture", true},
    {Rule::P3, "P3", "", "different servers form a management cluster", true},
    {Rule::P4, "P4", "", "same BS2000 operation mode", true},
    {Rule::P5, "P5", "", "enough free main memory on the target (contiguous on SU /390)", true},
    {Rule::P6, "P6", "", "the VM name is not used on the target", true},
    {Rule::P7, "P7", "", "the fixed VM index, or for *ANY some index, is free on the target", true},
    {Rule::P8, "P8", "", "the target has not reached its maximum of VM definitions", true},
    {Rule::P9, "P9", "", "network connections in the same segment (not checked before LM)", false},
    {Rule::P10, "P10", "", "every device of the VM is generated on the target", true},
    {Rule::P11, "P11", "VMS2437", "no device of the VM is assigned to another VM on the target",
     true},
    {Rule::P12, "P12", "", "CPU pool, VM group and assignment set exist on the target", true},
    {Rule::P13, "P13", "", "the VM is not in state WAIT", true},
    {Rule::P14, "P14", "", "a native-BS2000 target holds no BS2000", true},
    {Rule::P15, "P15", "", "SU /390: REWAS >= V2.0 active in both monitor systems", true},
    {Rule::P16, "P16", "", "no other LM runs from the source SU", true},
    {Rule::P17, "P17", "", "no dynamic I/O configuration update is running", true},
    {Rule::P18, "P18", "", "no VM2000 shutdown has been initiated", true},
    {Rule::P19, "P19", "", "the VM is not the VM2000 monitor system", true},
}};

struct KindInfo {
  ConflictKind kind;
  Rule rule;
  std::vector<const char*> values;
  const char* name = "";
};

const std::vector<KindInfo>& kinds() {
  using K = ConflictKind;
  static const std::vector<KindInfo> table = {
      {K::p1_same_unit, Rule::P1, {"su"}, "p1_same_unit"},
      {K::p1_not_one_cluster, Rule::P1, {"source", "target"}, "p1_not_one_cluster"},
      {K::p1_cluster_inactive, Rule::P1, {"cluster"}, "p1_cluster_inactive"},
      {K::p1_target_unreachable, Rule::P1, {"source", "target"}, "p1_target_unreachable"},
      {K::p2_architecture,
       Rule::P2,
       {"source", "source_arch", "target", "target_arch"},
       "p2_architecture"},
      {K::p3_no_management_cluster, Rule::P3, {"source", "target"}, "p3_no_management_cluster"},
      {K::p4_mode, Rule::P4, {"source", "source_mode", "target", "target_mode"}, "p4_mode"},
      {K::p5_memory, Rule::P5, {"vm", "need", "target", "free"}, "p5_memory"},
      {K::p5_contiguous, Rule::P5, {"vm", "need", "target", "largest_piece"}, "p5_contiguous"},
      {K::p6_name_used, Rule::P6, {"vm", "target"}, "p6_name_used"},
      {K::p7_index_used, Rule::P7, {"index", "target", "holder"}, "p7_index_used"},
      {K::p7_index_above_maximum, Rule::P7, {"index", "target", "max"}, "p7_index_above_maximum"},
      {K::p7_no_free_index, Rule::P7, {"target", "max"}, "p7_no_free_index"},
      {K::p8_definitions, Rule::P8, {"target", "max"}, "p8_definitions"},
      {K::p10_not_generated, Rule::P10, {"device", "target"}, "p10_not_generated"},
      {K::p11_device_assigned, Rule::P11, {"device", "target", "holder"}, "p11_device_assigned"},
      {K::p12_cpu_pool, Rule::P12, {"name", "target"}, "p12_cpu_pool"},
      {K::p12_vm_group, Rule::P12, {"name", "target"}, "p12_vm_group"},
      {K::p12_assignment_set, Rule::P12, {"name", "target"}, "p12_assignment_set"},
      {K::p13_wait, Rule::P13, {"vm"}, "p13_wait"},
      {K::p14_native_occupied, Rule::P14, {"target"}, "p14_native_occupied"},
      {K::p15_rewas, Rule::P15, {"su"}, "p15_rewas"},
      {K::p16_lm_running, Rule::P16, {"vm", "source"}, "p16_lm_running"},
      {K::p17_config_update, Rule::P17, {"su"}, "p17_config_update"},
      {K::p18_shutdown, Rule::P18, {"su"}, "p18_shutdown"},
      {K::p19_monitor_system, Rule::P19, {"vm"}, "p19_monitor_system"},
  };
  return table;
}

const KindInfo& kind_info(ConflictKind kind) {
  return kinds()[static_cast<std::size_t>(kind)];
}

/// The wording of each kind; `v` holds the values in value_names order.
std::string words(ConflictKind kind, const std::vector<std::string>& v) {
  using K = ConflictKind;
  switch (kind) {
    case K::p1_same_unit:
      return fmt::format("the target {} is the VM's own SU", v[0]);
    case K::p1_not_one_cluster:
      return fmt::format("{} and {} are not one SU cluster", v[0], v[1]);
    case K::p1_cluster_inactive:
      return fmt::format("SU cluster {} is INACTIVE", v[0]);
    case K::p1_target_unreachable:
      return fmt::format("{} is not accessible from {} (SU cluster in ERROR)", v[1], v[0]);
    case K::p2_architecture:
      return fmt::format("{} is {}, {} is {}", v[0], v[1], v[2], v[3]);
    case K::p3_no_management_cluster:
      return fmt::format("the servers of {} and {} form no management cluster (no ISL-E)", v[0],
                         v[1]);
    case K::p4_mode:
      return fmt::format("{} runs {}, {} runs {}", v[0], v[1], v[2], v[3]);
    case K::p5_memory:
      return fmt::format("{} needs {} memory units, {} has {} free", v[0], v[1], v[2], v[3]);
    case K::p5_contiguous:
      return fmt::format("{} needs {} contiguous memory units on {}, the largest free piece has {}",
                         v[0], v[1], v[2], v[3]);
    case K::p6_name_used:
      return fmt::format("VM name {} is used on {}", v[0], v[1]);
    case K::p7_index_used:
      return fmt::format("VM index {} is used on {} by {}", v[0], v[1], v[2]);
    case K::p7_index_above_maximum:
      return fmt::format("VM index {} is above the maximum VM index {} of {}", v[0], v[2], v[1]);
    case K::p7_no_free_index:
      return fmt::format("no VM index 1..{} is free on {} for VM-INDEX=*ANY", v[1], v[0]);
    case K::p8_definitions:
      return fmt::format("{} holds its maximum of {} VM definitions", v[0], v[1]);
    case K::p10_not_generated:
      return fmt::format("device {} is not generated on {}", v[0], v[1]);
    case K::p11_device_assigned:
      return fmt::format("device {} is assigned to {} on {}", v[0], v[2], v[1]);
    case K::p12_cpu_pool:
      return fmt::format("CPU pool {} does not exist on {}", v[0], v[1]);
    case K::p12_vm_group:
      return fmt::format("VM group {} does not exist on {}", v[0], v[1]);
    case K::p12_assignment_set:
      return fmt::format("assignment set {} does not exist on {}", v[0], v[1]);
    case K::p13_wait:
      return fmt::format("{} is in state WAIT", v[0]);
    case K::p14_native_occupied:
      return fmt::format("native target {} already holds a BS2000", v[0]);
    case K::p15_rewas:
      return fmt::format("REWAS >= V2.0 is not active in the monitor system of {}", v[0]);
    case K::p16_lm_running:
      return fmt::format("an LM of {} from {} is running", v[0], v[1]);
    case K::p17_config_update:
      return fmt::format("a configuration update is running on {}", v[0]);
    case K::p18_shutdown:
      return fmt::format("a VM2000 shutdown has been initiated on {}", v[0]);
    case K::p19_monitor_system:
      return fmt::format("{} is the VM2000 monitor system, which cannot be migrated", v[0]);
  }
  return "";
}

}  // namespace

std::span<const RuleInfo> rule_table() {
  return kRules;
}

const RuleInfo& rule_info(Rule rule) {
  return kRules[static_cast<std::size_t>(rule) - 1];
}

int rule_number(Rule rule) {
  return static_cast<int>(rule);
}

const char* kind_name(ConflictKind kind) {
  return kind_info(kind).name;
}

std::size_t conflict_kinds() {
  return kinds().size();
}

Rule rule_of(ConflictKind kind) {
  return kind_info(kind).rule;
}

std::span<const char* const> value_names(ConflictKind kind) {
  const auto& names = kind_info(kind).values;
  return {names.data(), names.size()};
}

std::string Conflict::rule_id() const {
  return rule_info(rule()).id;
}

std::string Conflict::message() const {
  return rule_info(rule()).message;
}

std::string Conflict::cause() const {
  if (kind == ConflictKind::p11_device_assigned) return message() + "," + values[0];
  return rule_id();
}

std::string Conflict::detail() const {
  return words(kind, values);
}

std::string Conflict::value(const std::string& name) const {
  const auto names = value_names(kind);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (name == names[i]) return values[i];
  }
  return "";
}

std::vector<std::pair<std::string, std::string>> Conflict::named_values() const {
  std::vector<std::pair<std::string, std::string>> named;
  const auto names = value_names(kind);
  for (std::size_t i = 0; i < names.size(); ++i) named.emplace_back(names[i], values[i]);
  return named;
}

Conflict make_conflict(ConflictKind kind, std::vector<std::string> values) {
  if (values.size() != value_names(kind).size()) {
    throw std::logic_error("make_conflict: wrong number of values");
  }
  return {kind, std::move(values)};
}

void sort_conflicts(std::vector<Conflict>& conflicts) {
  std::stable_sort(conflicts.begin(), conflicts.end(),
                   [](const Conflict& a, const Conflict& b) { return a.kind < b.kind; });
}

const char* arch_name(Arch arch) {
  return arch == Arch::s390 ? "SU /390" : "SU x86";
}

const char* mode_name(Mode mode) {
  return mode == Mode::native ? "Native-BS2000" : "VM2000";
}

std::string vm_id(int index, const std::string& name) {
  return index > 0 ? fmt::format("({},{})", index, name) : fmt::format("(*ANY,{})", name);
}

std::string rejected_line(const std::string& vm_id, const std::string& target,
                          const Conflict& conflict) {
  return fmt::format(
      "VMS2404 LIVE MIGRATION OF VM {} REJECTED BY TARGET SU '{}'. CAUSE: {} ({}: {})", vm_id,
      target, conflict.cause(), conflict.rule_id(), conflict.detail());
}

std::string not_possible_line(const std::string& vm_id, const std::string& target) {
  return fmt::format("VMS2461 LIVE MIGRATION OF VM {} TO TARGET SU '{}' NOT POSSIBLE", vm_id,
                     target);
}

std::string possible_line(const std::string& vm_id, const std::string& target) {
  return fmt::format("VMS2460 LIVE MIGRATION OF VM {} TO TARGET SU '{}' POSSIBLE", vm_id, target);
}

}  // namespace lmc::cluster
