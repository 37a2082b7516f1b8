# The LM engine on the cluster layer and the data plane.
set(LMC_REFIMPL_LM_SOURCES
  lm/server_unit.cpp
  lm/installation.cpp
  lm/installation_crd.cpp
  lm/observables.cpp
  lm/prerequisites.cpp
  lm/faults.cpp
  lm/messages.cpp
  lm/mutation.cpp
  lm/migration_steps.cpp
  lm/stepped_migration.cpp
  lm/definitions.cpp
  lm/live_migration.cpp
  lm/source_check.cpp)
add_library(lmc_refimpl ${LMC_REFIMPL_LM_SOURCES})
target_include_directories(lmc_refimpl PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(lmc_refimpl PUBLIC lmc_ref_cluster lmc_ref_dataplane lmc_config fmt::fmt)

# The same sources with the mutation switches compiled in (refimpl/lm/mutation.hpp),
# for the conformance properties only: `lmc` never links it.
add_library(lmc_refimpl_mutable ${LMC_REFIMPL_LM_SOURCES})
target_include_directories(lmc_refimpl_mutable PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_definitions(lmc_refimpl_mutable PUBLIC LMC_REFIMPL_MUTATIONS=1)
target_link_libraries(lmc_refimpl_mutable PUBLIC lmc_ref_cluster lmc_ref_dataplane lmc_config
                                                 fmt::fmt)
