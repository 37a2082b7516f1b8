# The LM engine on the cluster layer and the data plane.
add_library(lmc_refimpl
  lm/server_unit.cpp
  lm/installation.cpp
  lm/observables.cpp
  lm/prerequisites.cpp
  lm/faults.cpp
  lm/messages.cpp
  lm/migration_steps.cpp
  lm/live_migration.cpp)
target_include_directories(lmc_refimpl PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(lmc_refimpl PUBLIC lmc_ref_cluster lmc_ref_dataplane lmc_config fmt::fmt)
