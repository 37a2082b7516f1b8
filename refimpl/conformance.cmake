# The reference implementation driven by the model's actions, and the
# abstraction function back into the model's state (issue 6): lmc_conformance
# for `lmc replay`, lmc_conformance_mutable (on the LM library with the
# mutation switches compiled in) for the properties.
set(LMC_CONFORMANCE_SOURCES conformance/cluster_driver.cpp conformance/abstraction.cpp
                            conformance/presets.cpp conformance/replay.cpp)
foreach(variant "" "_mutable")
  add_library(lmc_conformance${variant} ${LMC_CONFORMANCE_SOURCES})
  target_include_directories(lmc_conformance${variant} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(lmc_conformance${variant} PUBLIC lmc_refimpl${variant} lmc_model fmt::fmt)
endforeach()
