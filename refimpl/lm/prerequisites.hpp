#pragma once
// /CHECK-VM-MIGRATION on the running installation (WP §4.1, §4.8; P1-P19):
// every conflict, not only the first (A1). Written apart from the model's
// check on purpose: the conformance properties compare the two.

#include <string>
#include <vector>

#include "refimpl/lm/installation.hpp"

namespace lmc::ref {

struct LmConflict {
  std::string rule;     ///< "P11"
  std::string message;  ///< the VM2000 cause, e.g. "VMS2437,4683", or ""
  std::string detail;   ///< the violating values in words
};

std::vector<LmConflict> check_vm_migration(const Installation& installation, int vm, int target);

}  // namespace lmc::ref
