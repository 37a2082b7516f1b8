#pragma once
// The raw facts an LM request's prerequisites are judged on, read off the
// configuration and the current state without judging anything: the rules
// themselves are written once, as SMT constraints (prereq_solver.cpp).

#include <string>
#include <vector>

#include "model/cluster/topology.hpp"

namespace lmc::smt {

struct DeviceFacts {
  std::string id;
  bool detached = false;   ///< tapes, emulated local disks, /390 PAV aliases: not moved
  bool generated = false;  ///< generated on the target (P10)
  bool exclusive = false;
  bool taken = false;  ///< exclusively used by another VM on the target (P11)
};

struct NamedFacts {
  std::string what;  ///< "CPU pool", "VM group", "assignment set"
  std::string name;  ///< empty: the VM uses none
  bool exists = false;
};

struct SuFacts {
  std::string name;
  int arch = 0;
  int mode = 0;
  int server = 0;
  int cluster = -1;
  int rewas = 0;
  bool config_update = false;
  bool shutdown = false;
};

struct RequestFacts {
  std::string vm;
  SuFacts source;
  SuFacts target;
  bool same_unit = false;
  bool cluster_active = false;
  bool target_reachable = false;
  std::string cluster_name;
  int isl_links = 0;
  int free_memory = 0;
  int target_memory = 0;
  /// (start, size) of the extents mapped on the target (SU /390 contiguity).
  std::vector<std::pair<int, int>> target_extents;
  int vm_memory = 0;
  bool name_used = false;
  int vm_index = 0;  ///< 0: *ANY
  int max_index = 0;
  std::vector<int> used_indexes;
  int definitions = 0;
  int max_definitions = 0;
  std::vector<DeviceFacts> devices;
  std::vector<NamedFacts> placement;
  int vm_state = 0;
  bool monitor_system = false;
  bool lm_running_from_source = false;
  std::string running_vm;  ///< the VM whose LM runs from the source
};

RequestFacts read_request_facts(const cluster::Topology& topology, const cluster::State& state,
                                int vm, int target);

/// The same facts as the configuration states them, every unit up and no LM
/// running, without building the model's state: for configurations larger
/// than the explicit-state model takes (`lmc prereq` on up to 64 VMs).
RequestFacts read_config_facts(const cluster::Config& config, int vm, int target);

}  // namespace lmc::smt
