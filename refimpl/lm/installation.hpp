#pragma once
// The running cluster as the reference implementation holds it: the server
// units with their resources, the VMs and their definitions (on the CRD), the
// Cluster Manager, and the logs an operator reads. Built from the same
// configuration files as the model.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/cluster/config/config.hpp"
#include "refimpl/cluster/cluster_manager.hpp"
#include "refimpl/cluster/crd.hpp"
#include "refimpl/core/clock.hpp"
#include "refimpl/lm/observables.hpp"
#include "refimpl/lm/server_unit.hpp"

namespace lmc::ref {

/// A VM as VM2000 knows it (D1): the SU its definition belongs to, where it
/// executes, its devices and its LM history.
struct VmRecord {
  explicit VmRecord(GuestMonJv jv) : monjv(std::move(jv)) {}
  int config_index = 0;
  std::string name;
  int su = 0;     ///< owner of the definition
  int index = 0;  ///< the VM index it holds (*ANY resolved)
  int memory = 0;
  cluster::VmState state = cluster::VmState::running;
  bool monitor_system = false;
  std::vector<bool> attached;  ///< per device of the configuration's VM
  /// SUs whose CPUs run the guest (bit per SU). One bit at most: two would
  /// be the guest executing twice (I1), which the conformance properties watch.
  std::uint8_t executing = 0;
  int live_mig_count = 0;  ///< O5
  std::vector<HistoryEntry> history;
  std::optional<int> lm_source;  ///< set while an LM of this VM runs (P16)
  std::optional<int> lm_target;  ///< set while an LM of this VM runs
  /// The single SU executing the guest, or -1 when none (or, wrongly, several).
  int executing_on() const;
  bool executes_on(int su) const { return (executing >> su & 1) != 0; }
  GuestMonJv monjv;  ///< the guest's monitoring job variable (JV, O2)
};

/// What to do with a CRD directory that holds a CRD from an earlier run.
enum class CrdReuse {
  /// Read it as the cluster's state: each VM where its definition says. A
  /// damaged or missing mirror is reported and resynchronised; with no
  /// intact mirror at all, CrdUnusable is thrown.
  read_state,
  /// Empty it and write the configuration's definitions, as for a new one.
  recreate,
};

/// The CRD directory cannot be used: every mirror is damaged, or its
/// definitions do not fit the configuration. The message names the files.
class CrdUnusable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Installation {
 public:
  /// The CRD's mirrors are files under `crd_directory` (created if missing;
  /// an existing CRD there is handled as `reuse` says).
  Installation(cluster::Config config, Clock& clock, std::filesystem::path crd_directory,
               std::string user = "SYSADM", CrdReuse reuse = CrdReuse::read_state);

  /// What opening the CRD found and did, one line each: damaged or missing
  /// mirrors and their resynchronisation, definitions read from an earlier
  /// run that differ from the configuration, a re-creation. Also recorded as
  /// Cluster Manager events.
  const std::vector<std::string>& crd_notes() const { return crd_notes_; }

  const cluster::Config& config() const { return config_; }
  Clock& clock() { return *clock_; }
  const Clock& clock() const { return *clock_; }
  Crd& crd() { return *crd_; }
  const Crd& crd() const { return *crd_; }
  ClusterManager& cluster_manager() { return *cm_; }
  const ClusterManager& cluster_manager() const { return *cm_; }

  int su_count() const { return static_cast<int>(sus_.size()); }
  ServerUnit& su(int id) { return sus_[static_cast<std::size_t>(id)]; }
  const ServerUnit& su(int id) const { return sus_[static_cast<std::size_t>(id)]; }
  int su_by_name(const std::string& name) const;  ///< -1 if unknown

  int vm_count() const { return static_cast<int>(vms_.size()); }
  VmRecord& vm(int v) { return vms_[static_cast<std::size_t>(v)]; }
  const VmRecord& vm(int v) const { return vms_[static_cast<std::size_t>(v)]; }
  int vm_by_name(const std::string& name) const;  ///< -1 if unknown
  const cluster::Vm& vm_spec(int v) const { return config_.vms[vm(v).config_index]; }

  /// P16: an LM from `su` is running.
  bool lm_running_from(int su) const;
  /// The VM definitions SU `su` holds, not counting VM `except`: those that
  /// belong to it (D1) and an LM's reservation there (the VM created on the
  /// target in the setup phase, WP §4.4).
  int definitions_on(int su, int except = -1) const;
  /// Another definition on SU `su` (as above) is called `name`.
  bool name_used_on(int su, const std::string& name, int except = -1) const;

  ConsoleLog& console() { return console_; }
  const ConsoleLog& console() const { return console_; }
  void say(Console console, const std::string& unit, std::string text);
  const std::vector<AuditEntry>& audit_log() const { return audit_; }
  void audit(const std::string& unit, const std::string& action, const std::string& result);

  /// The CRD key of VM v's definition ("vm/<name>@<SU of the configuration>/
  /// definition": a name alone is not unique, D1) and its value:
  /// "owner=<SU> index=<n>".
  std::string definition_key(int v) const;
  bool write_definition(int v, int owner_su);
  /// The owner SU named by the definition on the CRD, if readable.
  std::optional<int> definition_owner(int v) const;

 private:
  /// True when the CRD holds an earlier run's definitions to read.
  bool open_crd(const std::filesystem::path& directory, CrdReuse reuse);
  void repair_damaged_mirrors();
  /// The owner SU and VM index VM v's definition on the CRD names, if any.
  std::optional<std::pair<int, int>> stored_definition(int v);
  void place_vms(bool from_crd);
  void place_vm(int v, int owner, int index);
  std::string monitoring_start() const;  ///< "yyyy-mm-ddhhmmss" UTC (JV bytes 21-36)

  cluster::Config config_;
  Clock* clock_;
  std::unique_ptr<Crd> crd_;
  std::unique_ptr<ClusterManager> cm_;
  std::vector<ServerUnit> sus_;
  std::vector<VmRecord> vms_;
  ConsoleLog console_;
  std::vector<AuditEntry> audit_;
  std::string user_;
  std::vector<std::string> crd_notes_;
};

/// Every device of a VM that LM detaches at setup and does not assign on the
/// target (WP §4.4): tapes, locally emulated disks, and on SU /390 PAV aliases.
bool detached_for_lm(const cluster::Device& device, cluster::Arch source_arch);

}  // namespace lmc::ref
