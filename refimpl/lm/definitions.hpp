#pragma once
// VM2000's commands on VM definitions that the cluster solution adds or
// changes (WP §4.3, §5; D2): /MIGRATE-VM-DEFINITION moves a definition that
// holds no resources to the other SU of its SU cluster, /ACTIVATE-VM-DEFINITION
// gives it its resources (INIT_ONLY), /START-VM runs it. Each returns false,
// changing nothing, when VM2000 would reject it.
//
// /RECOVER-VM-DEFINITION (D3) is not here: it needs the remote monitor's
// liveness record to have timed out, and the implementation's liveness is
// time-based (ClusterManager::liveness_expired), which the conformance driver
// cannot step one SU at a time as the model does.

#include "refimpl/lm/installation.hpp"

namespace lmc::ref {

bool migrate_vm_definition(Installation& installation, int vm);
bool activate_vm_definition(Installation& installation, int vm);
bool start_vm(Installation& installation, int vm);

}  // namespace lmc::ref
