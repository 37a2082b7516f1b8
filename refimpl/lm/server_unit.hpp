#pragma once
// What VM2000 on one server unit administers for Live Migration: main memory
// (in the configuration's units), VM indexes, definition slots and the
// exclusive assignment of devices (P5-P8, P11). A reservation for an LM target
// is one object that can be taken back whole (A3).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/cluster/config.hpp"

namespace lmc::ref {

/// The resources a VM holds on an SU.
struct Holding {
  std::string vm;
  int memory = 0;
  int index = 0;
  std::vector<std::string> exclusive_devices;
};

class ServerUnit {
 public:
  ServerUnit(const cluster::Su& spec, int id);

  const cluster::Su& spec() const { return *spec_; }
  const std::string& name() const { return spec_->name; }
  int id() const { return id_; }

  int free_memory() const;
  int largest_map_gap() const { return spec_->largest_map_gap(); }
  bool index_free(int index) const;
  /// The lowest free VM index, as VM2000 assigns for VM-INDEX=*ANY.
  std::optional<int> lowest_free_index() const;
  int definitions() const { return static_cast<int>(holdings_.size()); }
  bool holds(const std::string& vm) const { return holdings_.count(vm) > 0; }
  /// The VM holding a device exclusively, if any (the configuration's
  /// `exclusively_used` count as held by a VM outside the cluster).
  std::optional<std::string> exclusive_holder(const std::string& device) const;
  bool generates(const std::string& device) const;

  /// Takes the resources; false (and nothing taken) when any is missing.
  bool take(const Holding& holding);
  /// Gives back everything `vm` holds. Returns false when it held nothing.
  bool give_back(const std::string& vm);
  const Holding* holding(const std::string& vm) const;
  const std::map<std::string, Holding>& holdings() const { return holdings_; }

 private:
  const cluster::Su* spec_;
  int id_;
  std::map<std::string, Holding> holdings_;
  std::set<std::string> outside_exclusive_;
};

}  // namespace lmc::ref
