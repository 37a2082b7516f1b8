#pragma once
// What VM2000 on one server unit administers for Live Migration: main memory
// (in the configuration's units), VM indexes and the assignment of devices
// (P5, P7, P11). Each resident VM (initialised there, or an LM's
// reservation on a target) has one holding, which can be taken back whole
// (A3). Definition slots and names (P6, P8) belong to the VM definitions,
// which the Installation keeps.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/cluster/config/config.hpp"

namespace lmc::ref {

/// A device as a VM uses it.
struct DeviceUse {
  std::string id;
  bool exclusive = true;
};

/// The resources a VM holds on an SU.
struct Holding {
  int vm = 0;  ///< the VM's position in the configuration (its identity)
  std::string name;
  int memory = 0;
  int index = 0;  ///< the VM index it holds there
  std::vector<DeviceUse> devices;
};

/// Who keeps a device from being assigned to a VM: another VM of the
/// installation, or one outside it (the configuration's `exclusively_used`).
struct DeviceHolder {
  bool outside = false;
  int vm = -1;
};

class ServerUnit {
 public:
  ServerUnit(const cluster::Su& spec, int id);

  const cluster::Su& spec() const { return *spec_; }
  const std::string& name() const { return spec_->name; }
  int id() const { return id_; }

  int free_memory() const;
  int largest_map_gap() const { return spec_->largest_map_gap(); }
  /// `index` is within 1..max and held by no VM here but `except`.
  bool index_free(int index, int except = -1) const;
  /// The lowest free VM index, as VM2000 assigns for VM-INDEX=*ANY.
  std::optional<int> lowest_free_index(int except = -1) const;
  /// Who keeps `device` from being assigned to a VM here (exclusively when
  /// `exclusive`), ignoring VM `except`: nobody when empty.
  std::optional<DeviceHolder> device_holder(const std::string& device, bool exclusive,
                                            int except = -1) const;
  bool generates(const std::string& device) const;

  /// Takes the resources; false (and nothing taken) when any is missing.
  bool take(const Holding& holding);
  /// Gives back everything VM `vm` holds. Returns false when it held nothing.
  bool give_back(int vm);
  /// The devices VM `vm` holds change (PAV aliases attached again after its
  /// LM, WP §4.4).
  void set_devices(int vm, std::vector<DeviceUse> devices);
  bool holds(int vm) const { return holdings_.count(vm) > 0; }
  const Holding* holding(int vm) const;
  const std::map<int, Holding>& holdings() const { return holdings_; }

 private:
  const cluster::Su* spec_;
  int id_;
  std::map<int, Holding> holdings_;
  std::set<std::string> outside_exclusive_;
};

}  // namespace lmc::ref
