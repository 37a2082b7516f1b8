#pragma once
// The static description of a cluster (shared/domain.md H, C, U, P): what the
// JSON configuration says, validated. Everything that never changes during an
// exploration lives here, not in the model's state.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/cluster/config/capacity.hpp"

namespace lmc::cluster {

enum class Arch : std::uint8_t { s390, x86 };
enum class Mode : std::uint8_t { vm2000, native };
/// VM states of VM2000 (P13, U5). DEFINED_ONLY: a definition without resources.
enum class VmState : std::uint8_t { running, init_only, down, defined_only, wait };
enum class DeviceKind : std::uint8_t { disk, tape, emulated_local_disk, pav_alias };
enum class Usage : std::uint8_t { exclusive, shared };
/// Faults the model may inject; each costs one unit of the fault budget.
enum class FaultKind : std::uint8_t {
  mu_crash,
  su_crash,
  isl_down,
  disk_failure,
  allocation_failure,  ///< the target cannot assign the VM's resources (A2)
  resume_failure,      ///< resume on the target fails (WP §4.4 phase 3)
  count
};
inline constexpr std::size_t kFaultKinds = static_cast<std::size_t>(FaultKind::count);

/// What the model can represent; validate_config rejects larger configurations
/// ("the model supports at most N"). H1 fixes servers and MUs per server.
namespace limits {
inline constexpr int servers = 2;
inline constexpr int mus_per_server = 2;
inline constexpr int mus = kMaxMus;  // the state's arrays are the limits
inline constexpr int sus = kMaxSus;
inline constexpr int vms = kMaxVms;
inline constexpr int devices_per_vm = kMaxDevices;
inline constexpr int isl_links = 2;
inline constexpr int external_disks = kMaxExternalDisks;
inline constexpr int su_memory = 15;  ///< abstract units; free memory fits an int8_t
inline constexpr int vm_index = 255;  ///< VM indexes fit a uint8_t
inline constexpr int vm_definitions = 255;
}  // namespace limits

struct Mu {
  std::string name;
  int server = 0;
};

struct Device {
  std::string id;  ///< mnemonic, e.g. "4683"
  DeviceKind kind = DeviceKind::disk;
  Usage usage = Usage::exclusive;
};

/// Memory held on an SU by a guest outside the model (WP §4.2: on SU /390 a
/// VM needs its memory in one contiguous piece, so where it lies matters).
struct MemoryExtent {
  int start = 0;
  int size = 0;
  std::string holder;
};

struct Su {
  std::string name;
  int server = 0;
  Arch arch = Arch::s390;
  Mode mode = Mode::vm2000;
  int memory = 0;                    ///< main memory, in the configuration's units
  int max_vm_definitions = 0;        ///< P8
  int max_vm_index = 0;              ///< VM indexes 1..max_vm_index (P7)
  int rewas_version = 20;            ///< REWAS of the monitor system times 10; 0 = not active (P15)
  std::vector<std::string> devices;  ///< generated devices (P10)
  std::vector<std::string> exclusively_used;  ///< devices held exclusively by other VMs (P11)
  std::vector<std::string> cpu_pools;         ///< with at least one CPU attached (P12)
  std::vector<std::string> vm_groups;
  std::vector<std::string> assignment_sets;
  std::vector<std::string> network_segments;  ///< P9: not checked by LM
  bool config_update_running = false;         ///< /START-CONFIGURATION-UPDATE (P17)
  bool shutdown_initiated = false;
  /// Extents held by guests outside the model: they count against the
  /// free memory, and on SU /390 an LM target needs a contiguous gap (P5).
  std::vector<MemoryExtent> memory_map;
  int mapped_memory() const;
  /// The largest free piece between the memory map's extents (SU /390 needs
  /// the VM's memory in one piece, P5).
  int largest_map_gap() const;
};

struct SuCluster {
  std::string name;
  int su_a = 0;
  int su_b = 0;
  bool active = true;  ///< U4
};

struct Vm {
  std::string name;
  int su = 0;     ///< the SU its definition belongs to (D1)
  int index = 0;  ///< fixed VM index, or 0 for *ANY (P7)
  int memory = 0;
  VmState state = VmState::running;
  bool monitor_system = false;  ///< the VM2000 monitor itself (P19)
  std::vector<Device> devices;
  std::string cpu_pool;
  std::string vm_group;
  std::string assignment_set;
  std::vector<std::string> network_segments;
};

/// How much of the behaviour the exploration covers.
struct Scope {
  int pages_per_vm = 2;     ///< abstract pages of guest memory
  int guest_writes = 1;     ///< guest writes during one LM
  int max_copy_rounds = 2;  ///< SU /390 aborts (VMS2425) when still dirty after these
  int fault_budget = 2;
  std::array<bool, kFaultKinds> faults{true, true, true, true, true, true};
  int lm_requests = 1;  ///< LM requests the operator may issue
  /// VM names whose LM the operator may request; empty: every VM.
  std::vector<std::string> migrate;
  /// Offer /RECOVER-VM-DEFINITION (D3) and /MIGRATE-VM-DEFINITION (D2).
  bool definition_commands = false;
  /// D3: the operator checks that the remote SU is really down before
  /// /RECOVER-VM-DEFINITION. The seed leaves this duty to the operator;
  /// false shows what happens when it is skipped.
  bool operator_verifies_remote_down = true;
};

struct Config {
  std::string name;
  std::vector<std::string> servers;
  std::vector<Mu> mus;
  std::vector<Su> sus;
  int isl_links = 0;       ///< ISL-E links between the two servers' NUs (H2)
  int external_disks = 0;  ///< external configuration disks (C1, C2)
  std::vector<SuCluster> su_clusters;
  std::vector<Vm> vms;
  Scope scope;

  /// The SU cluster an SU belongs to, if any (U3: at most one).
  std::optional<int> cluster_of(int su) const;
  /// The other SU of that cluster.
  std::optional<int> partner_of(int su) const;
  /// The first VM of that name, -1 if none (a name may be defined on each
  /// SU once, D1: see find_vm for the one of an SU).
  int vm_index_by_name(const std::string& name) const;
  /// The VM of that name whose definition is on SU `su`, -1 if none.
  int find_vm(const std::string& name, int su) const;
  /// How many VMs have that name.
  int vms_named(const std::string& name) const;
};

/// LM detaches the device from the guest at setup and does not assign it on
/// the target (WP §4.4): tapes, locally emulated disks and, when the source
/// is an SU /390, PAV aliases.
bool detached_at_setup(const Device& device, Arch source_arch);

/// A configuration error: `field` is a JSON path such as "sus[1].arch".
struct ConfigError {
  std::string file;
  std::string field;
  std::string message;
  std::string to_string() const;  ///< "FILE: FIELD: MESSAGE"
};

/// How large a configuration may be. The explicit-state model's state has
/// fixed-size arrays and 8-bit memory counters (`model`); a static analysis
/// such as `lmc plan` takes larger clusters (`analysis`).
struct ConfigLimits {
  int vms = limits::vms;
  int su_memory = limits::su_memory;
  static ConfigLimits model() { return {}; }
  static ConfigLimits analysis() { return {64, 4096}; }
};

/// Parses and validates a JSON configuration. `file` names the source in
/// errors ("preset default" for built-in presets).
std::optional<Config> parse_config(const std::string& json_text, const std::string& file,
                                   ConfigError& error,
                                   const ConfigLimits& limits = ConfigLimits::model());

/// Checks the rules a parsed configuration must satisfy (H1, H2, U1-U3, C2,
/// unique names, references in range). Returns false and sets `error`.
bool validate_config(const Config& config, const std::string& file, ConfigError& error,
                     const ConfigLimits& limits = ConfigLimits::model());

/// The JSON spelling of each enumeration value ("s390", "RUNNING", ...).
const char* spelling(Arch value);
const char* spelling(Mode value);
const char* spelling(VmState value);
const char* spelling(DeviceKind value);
const char* spelling(Usage value);
const char* spelling(FaultKind value);

/// The configuration as a JSON document that parse_config reads back into
/// an equal configuration (config_writer.cpp): what `lmc plan --steps-dir`
/// writes after each step, and how generated configurations are kept.
std::string config_to_json(const Config& config);

/// Built-in presets: default, x86-local, x86-native, recovery and the hazards.
std::vector<std::string> preset_names();
/// The preset's JSON text, or nullopt for an unknown name.
std::optional<std::string> preset_json(const std::string& name);

}  // namespace lmc::cluster
