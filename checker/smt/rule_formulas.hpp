#pragma once
// The prerequisite rules as formulas over solver terms, written once and used
// both to check one request (prereq_solver.cpp, terms pinned to the facts) and
// to prove rule-level theorems (prover.cpp, terms free within bounds).
// Internal to checker/smt/: the only place besides it that sees z3++.h.

#include <z3++.h>

#include <vector>

namespace lmc::smt::rules {

/// P5: the target has at least the VM's memory free.
inline z3::expr p5_memory(const z3::expr& free, const z3::expr& need) {
  return free >= need;
}

/// P5 on SU /390: `start` places the VM in one contiguous piece of the
/// target's memory that overlaps none of the mapped extents (start, size).
inline z3::expr p5_contiguous(const z3::expr& start, const z3::expr& need, const z3::expr& memory,
                              const std::vector<std::pair<z3::expr, z3::expr>>& extents) {
  z3::expr rule = start >= 0 && start + need <= memory;
  for (const auto& [begin, size] : extents) {
    rule = rule && (start + need <= begin || start >= begin + size);
  }
  return rule;
}

/// P6: the VM's name is not used on the target.
inline z3::expr p6_name(const z3::expr& name_used) {
  return !name_used;
}

/// P7: `index` is a VM index the VM may take on the target: within 1..max,
/// equal to the fixed index unless that is 0 (*ANY), and used by no VM there.
inline z3::expr p7_index(const z3::expr& index, const z3::expr& fixed, const z3::expr& max,
                         const std::vector<z3::expr>& used) {
  z3::expr rule = index >= 1 && index <= max && (fixed == 0 || index == fixed);
  for (const auto& u : used) rule = rule && index != u;
  return rule;
}

/// P8: the target has not reached its maximum number of VM definitions.
inline z3::expr p8_definitions(const z3::expr& definitions, const z3::expr& max) {
  return definitions < max;
}

/// P10: the device is generated on the target.
inline z3::expr p10_generated(const z3::expr& generated) {
  return generated;
}

/// P11: a generated exclusive device is not exclusively held by another VM
/// on the target (VMS2437).
inline z3::expr p11_available(const z3::expr& generated, const z3::expr& exclusive,
                              const z3::expr& taken) {
  return z3::implies(generated && exclusive, !taken);
}

}  // namespace lmc::smt::rules
