#pragma once
// /CHECK-VM-MIGRATION on the running installation (WP §4.1, §4.8; P1-P19):
// every conflict, not only the first (A1), in report order. Written apart
// from the model's check on purpose (it reads the installation's own
// records, not the model's state); the differential property holds the two,
// Z3 and the planner to the same conflicts. The kinds of conflict and their
// wording are shared (model/cluster/conflicts.hpp), so a conflict reads the
// same wherever it is found.

#include <vector>

#include "model/cluster/config/conflicts.hpp"
#include "refimpl/lm/installation.hpp"

namespace lmc::ref {

std::vector<cluster::Conflict> check_vm_migration(const Installation& installation, int vm,
                                                  int target);

}  // namespace lmc::ref
