#include "model/cluster/prereq/prover.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "model/cluster/prereq/z3_facts.hpp"

namespace lmc::smt {
namespace {

// Bounds of the symbolic configuration: the target SU and what it holds.
constexpr int kMaxOccupants = 3;  // VMs already defined on the target
constexpr int kMaxMemory = 15;
constexpr int kMaxIndex = 5;
constexpr int kMaxNames = 4;
constexpr int kDevices = 2;  // devices of the migrating VM that move with it

/// The target SU and the migrating VM as free solver constants.
struct SymbolicRequest {
  z3::context& ctx;
  z3::expr target_memory = ctx.int_const("target_memory");
  z3::expr occupants = ctx.int_const("occupants");
  z3::expr vm_memory = ctx.int_const("vm_memory");
  z3::expr vm_name = ctx.int_const("vm_name");
  z3::expr vm_index = ctx.int_const("vm_index_fixed");  // 0: *ANY
  z3::expr max_index = ctx.int_const("max_index");
  z3::expr max_definitions = ctx.int_const("max_definitions");
  std::vector<z3::expr> memory, name, index;                           // per occupant slot
  std::vector<z3::expr> generated, exclusive, held_exclusively, held;  // per device

  explicit SymbolicRequest(z3::context& c) : ctx(c) {
    for (int i = 0; i < kMaxOccupants; ++i) {
      memory.push_back(ctx.int_const(fmt::format("occupant{}_memory", i).c_str()));
      name.push_back(ctx.int_const(fmt::format("occupant{}_name", i).c_str()));
      index.push_back(ctx.int_const(fmt::format("occupant{}_index", i).c_str()));
    }
    for (int d = 0; d < kDevices; ++d) {
      generated.push_back(ctx.bool_const(fmt::format("device{}_generated", d).c_str()));
      exclusive.push_back(ctx.bool_const(fmt::format("device{}_exclusive", d).c_str()));
      held_exclusively.push_back(
          ctx.bool_const(fmt::format("device{}_held_exclusively", d).c_str()));
      held.push_back(ctx.bool_const(fmt::format("device{}_held", d).c_str()));
    }
  }

  z3::expr present(int i) const { return occupants > i; }

  z3::expr held_memory() const {
    z3::expr sum = ctx.int_val(0);
    for (int i = 0; i < kMaxOccupants; ++i)
      sum = sum + z3::ite(present(i), memory[i], ctx.int_val(0));
    return sum;
  }

  /// Every configuration within the bounds, occupants consistent among
  /// themselves (distinct names and indexes, memory within the SU's).
  z3::expr bounds() const {
    z3::expr b = target_memory >= 1 && target_memory <= kMaxMemory && occupants >= 0 &&
                 occupants <= kMaxOccupants && vm_memory >= 1 && vm_memory <= kMaxMemory &&
                 vm_name >= 0 && vm_name < kMaxNames && vm_index >= 0 && vm_index <= kMaxIndex &&
                 max_index >= 0 && max_index <= kMaxIndex && max_definitions >= 0 &&
                 max_definitions <= kMaxOccupants + 1 && occupants <= max_definitions &&
                 held_memory() <= target_memory;
    for (int i = 0; i < kMaxOccupants; ++i) {
      b = b && z3::implies(present(i), memory[i] >= 1 && name[i] >= 0 && name[i] < kMaxNames &&
                                           index[i] >= 1 && index[i] <= max_index);
      for (int j = i + 1; j < kMaxOccupants; ++j) {
        b = b && z3::implies(present(i) && present(j), name[i] != name[j] && index[i] != index[j]);
      }
    }
    for (int d = 0; d < kDevices; ++d) b = b && z3::implies(held_exclusively[d], held[d]);
    return b;
  }

  z3::expr name_used() const {
    z3::expr used = ctx.bool_val(false);
    for (int i = 0; i < kMaxOccupants; ++i) used = used || (present(i) && name[i] == vm_name);
    return used;
  }

  std::vector<z3::expr> used_indexes() const {
    // An absent occupant's slot holds no index: 0 never collides with 1..max.
    std::vector<z3::expr> used;
    for (int i = 0; i < kMaxOccupants; ++i)
      used.push_back(z3::ite(present(i), index[i], ctx.int_val(0)));
    return used;
  }
};

/// What the setup phase needs for its reservation on the target to succeed
/// (I6): the memory, a name no other VM there has, an index, a definition
/// slot, and every device it assigns exclusively still free.
z3::expr reservation_succeeds(const SymbolicRequest& r) {
  auto& ctx = r.ctx;
  const z3::expr memory_ok = r.target_memory - r.held_memory() - r.vm_memory >= 0;
  const z3::expr name_ok = !r.name_used();
  z3::expr index_ok = ctx.bool_val(false);
  for (int candidate = 1; candidate <= kMaxIndex; ++candidate) {
    z3::expr free = candidate <= r.max_index && (r.vm_index == 0 || r.vm_index == candidate);
    for (const auto& u : r.used_indexes()) free = free && u != candidate;
    index_ok = index_ok || free;
  }
  const z3::expr slot_ok = r.occupants + 1 <= r.max_definitions;
  z3::expr devices_ok = ctx.bool_val(true);
  for (int d = 0; d < kDevices; ++d) {
    // Assignable: no other VM holds it exclusively, and if the VM wants it
    // exclusively, no other VM holds it at all.
    const z3::expr blocked = r.held_exclusively[d] || (r.exclusive[d] && r.held[d]);
    devices_ok = devices_ok && r.generated[d] && !blocked;
  }
  return memory_ok && name_ok && index_ok && slot_ok && devices_ok;
}

/// The migrating VM's request as the rules see it: the facts the theorem
/// ranges over, and free constants for the facts it does not speak of.
SymbolicFacts request_facts(const SymbolicRequest& r) {
  auto& ctx = r.ctx;
  auto free_int = [&](const char* name) { return ctx.int_const(name); };
  auto free_bool = [&](const char* name) { return ctx.bool_const(name); };
  std::vector<cluster::rules::DeviceFacts<z3::expr>> devices;
  for (int d = 0; d < kDevices; ++d) {
    devices.push_back({d, r.generated[d], r.exclusive[d], r.held_exclusively[d], r.held[d]});
  }
  return SymbolicFacts{
      .same_unit = free_bool("same_unit"),
      .one_cluster = free_bool("one_cluster"),
      .cluster_active = free_bool("cluster_active"),
      .target_reachable = free_bool("target_reachable"),
      .source_arch = free_int("source_arch"),
      .target_arch = free_int("target_arch"),
      .source_server = free_int("source_server"),
      .target_server = free_int("target_server"),
      .isl_links = free_int("isl_links"),
      .source_mode = free_int("source_mode"),
      .target_mode = free_int("target_mode"),
      .free_memory = r.target_memory - r.held_memory(),
      .vm_memory = r.vm_memory,
      .target_memory = r.target_memory,
      .contiguity = false,
      .extents = {},
      .name_used = r.name_used(),
      .fixed_index = r.vm_index,
      .max_index = r.max_index,
      .used_indexes = r.used_indexes(),
      .index_witness = std::nullopt,
      .definitions = r.occupants,
      .max_definitions = r.max_definitions,
      .devices = std::move(devices),
      .placement = {},
      .vm_state = free_int("vm_state"),
      .source_rewas = free_int("source_rewas"),
      .target_rewas = free_int("target_rewas"),
      .lm_running_from_source = free_bool("lm_running_from_source"),
      .source_update = free_bool("source_update"),
      .target_update = free_bool("target_update"),
      .source_shutdown = free_bool("source_shutdown"),
      .target_shutdown = free_bool("target_shutdown"),
      .monitor_system = free_bool("monitor_system"),
  };
}

/// The theorem's rules, taken from the one definition of each
/// (model/cluster/prerequisite_rules.hpp), less those in `dropped`.
z3::expr hypotheses(const SymbolicRequest& r, const std::set<std::string>& dropped) {
  z3::expr h = r.ctx.bool_val(true);
  const auto rules = theorem_rules();
  cluster::rules::for_each_rule(
      request_facts(r), [&](const cluster::rules::Instance& instance, const z3::expr& holds) {
        const std::string id = cluster::rule_info(instance.rule).id;
        const bool used = std::find(rules.begin(), rules.end(), id) != rules.end();
        if (used && !dropped.count(id)) h = h && holds;
      });
  return h;
}

/// The counterexample as a reviewer reads it: only the occupant slots that
/// exist in it.
std::vector<std::pair<std::string, std::string>> describe_model(const z3::model& m,
                                                                const SymbolicRequest& r) {
  const int occupants = m.eval(r.occupants, true).get_numeral_int();
  std::vector<std::pair<std::string, std::string>> values;
  for (unsigned i = 0; i < m.size(); ++i) {
    const auto decl = m[i];
    if (decl.arity() != 0) continue;
    const auto name = decl.name().str();
    int slot = -1;
    if (std::sscanf(name.c_str(), "occupant%d_", &slot) == 1 && slot >= occupants) continue;
    values.emplace_back(name, m.get_const_interp(decl).to_string());
  }
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace

std::vector<std::string> theorem_rules() {
  return {"P5", "P6", "P7", "P8", "P10", "P11"};
}

std::vector<TheoremResult> prove_theorems(const std::set<std::string>& dropped) {
  const auto start = std::chrono::steady_clock::now();
  z3::context ctx;
  z3::solver solver(ctx);
  SymbolicRequest request(ctx);
  TheoremResult theorem;
  theorem.name = "reservation_cannot_fail";
  theorem.statement =
      "P5, P6, P7, P8, P10 and P11 imply that the setup phase's reservation on the target gets "
      "the memory, a unique name, a VM index, a definition slot and every exclusive device (I6)";
  theorem.bounds = fmt::format(
      "every target with 1..{} memory units, 0..{} VMs already defined (distinct names and "
      "indexes), max VM index 0..{}, up to {} definitions; a VM with 1..{} units, a fixed "
      "index or *ANY, {} devices",
      kMaxMemory, kMaxOccupants, kMaxIndex, kMaxOccupants + 1, kMaxMemory, kDevices);
  solver.add(request.bounds());
  solver.add(hypotheses(request, dropped));
  solver.add(!reservation_succeeds(request));
  theorem.proved = solver.check() == z3::unsat;
  if (!theorem.proved) theorem.counterexample = describe_model(solver.get_model(), request);
  theorem.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return {theorem};
}

}  // namespace lmc::smt
