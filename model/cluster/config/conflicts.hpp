#pragma once
// The LM prerequisites' vocabulary, written once for every front end: the
// rule table P1-P19 (WP §4.1, §4.8; shared/domain.md), the kinds of conflict
// each rule can report with the values it names, and the one wording of
// each, in the whitepaper's form (WP §4.2, §4.3):
//
//   VMS2404 LIVE MIGRATION OF VM (12,VM12PROD) REJECTED BY TARGET SU
//   'ABGSE501'. CAUSE: VMS2437,4683
//
// The model's check, the Z3 encodings, the planner and the reference
// implementation all report through this file, so a conflict reads the same
// wherever it comes from, and two engines agree exactly when their conflict
// lists compare equal. Part of the configuration layer: the reference
// implementation may include it.

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "model/cluster/config/config.hpp"

namespace lmc::cluster {

enum class Rule : std::uint8_t {
  P1 = 1,
  P2,
  P3,
  P4,
  P5,
  P6,
  P7,
  P8,
  P9,
  P10,
  P11,
  P12,
  P13,
  P14,
  P15,
  P16,
  P17,
  P18,
  P19
};

struct RuleInfo {
  Rule rule;
  const char* id;       ///< "P11"
  const char* message;  ///< the VM2000 message the seed gives for it ("VMS2437"), or ""
  const char* title;    ///< the rule in a few words
  bool checked;         ///< false only for P9: not checked before an LM (the seed says so)
};

/// Every rule, in rule order.
std::span<const RuleInfo> rule_table();
const RuleInfo& rule_info(Rule rule);
int rule_number(Rule rule);

/// One kind per wording; the order of this enum is the order in which
/// conflicts are reported (rule order, then the order below within a rule).
enum class ConflictKind : std::uint8_t {
  p1_same_unit,              ///< su
  p1_not_one_cluster,        ///< source, target
  p1_cluster_inactive,       ///< cluster
  p1_target_unreachable,     ///< source, target
  p2_architecture,           ///< source, source_arch, target, target_arch
  p3_no_management_cluster,  ///< source, target
  p4_mode,                   ///< source, source_mode, target, target_mode
  p5_memory,                 ///< vm, need, target, free
  p5_contiguous,             ///< vm, need, target, largest_piece
  p6_name_used,              ///< vm, target
  p7_index_used,             ///< index, target, holder
  p7_index_above_maximum,    ///< index, target, max
  p7_no_free_index,          ///< target, max
  p8_definitions,            ///< target, max
  p10_not_generated,         ///< device, target
  p11_device_assigned,       ///< device, target, holder
  p12_cpu_pool,              ///< name, target
  p12_vm_group,              ///< name, target
  p12_assignment_set,        ///< name, target
  p13_wait,                  ///< vm
  p14_native_occupied,       ///< target
  p15_rewas,                 ///< su
  p16_lm_running,            ///< vm, source
  p17_config_update,         ///< su
  p18_shutdown,              ///< su
  p19_monitor_system,        ///< vm
};

Rule rule_of(ConflictKind kind);
const char* kind_name(ConflictKind kind);  ///< "p11_device_assigned"
std::size_t conflict_kinds();              ///< how many kinds there are
/// The value names a kind takes, in order.
std::span<const char* const> value_names(ConflictKind kind);

/// The holder named when a device is held by a VM the configuration does
/// not describe (`exclusively_used`).
inline constexpr const char* kOutsideHolder = "a VM outside the configuration";

/// One violated rule instance: what kind, and the values that violate it.
struct Conflict {
  ConflictKind kind;
  std::vector<std::string> values;  ///< one per value_names(kind), in that order

  Rule rule() const { return rule_of(kind); }
  std::string rule_id() const;  ///< "P11"
  std::string message() const;  ///< "VMS2437", or "" where the seed gives none
  /// The CAUSE field of VMS2404: the VM2000 message and its insert where the
  /// seed has one ("VMS2437,4683"), else the rule ("P5").
  std::string cause() const;
  std::string detail() const;  ///< the conflict in words
  /// The value named `name` ("" if the kind has no such value).
  std::string value(const std::string& name) const;
  std::vector<std::pair<std::string, std::string>> named_values() const;
  bool operator==(const Conflict&) const = default;
};

/// Builds a conflict; `values` must match value_names(kind) in number.
Conflict make_conflict(ConflictKind kind, std::vector<std::string> values);

/// Conflicts in report order (rule, kind, then the values' original order
/// is kept: a stable sort).
void sort_conflicts(std::vector<Conflict>& conflicts);

/// The names the wording gives architectures and modes ("SU /390",
/// "Native-BS2000"), for the values of P2 and P4.
const char* arch_name(Arch arch);
const char* mode_name(Mode mode);

/// "(12,VM12PROD)": a VM as VM2000 names it; index 0 prints as "*ANY".
std::string vm_id(int index, const std::string& name);

// The console lines of /CHECK-VM-MIGRATION and a rejected /MIGRATE-VM
// (WP §4.3), without the leading "% ".
std::string rejected_line(const std::string& vm_id, const std::string& target,
                          const Conflict& conflict);                                 // VMS2404
std::string not_possible_line(const std::string& vm_id, const std::string& target);  // VMS2461
std::string possible_line(const std::string& vm_id, const std::string& target);      // VMS2460

}  // namespace lmc::cluster
