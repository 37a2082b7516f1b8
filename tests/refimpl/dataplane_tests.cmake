# The data plane: memory, dirty log, workload, the transfer loop, pre-copy and
# the target's runtime (tests/refimpl/{memory,transfer,transport}).
file(GLOB LMC_DATAPLANE_TEST_SOURCES CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_LIST_DIR}/core/*.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory/*.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/*.cpp)
add_executable(lmc_dataplane_tests
  ${PROJECT_SOURCE_DIR}/tests/main.cpp
  ${LMC_DATAPLANE_TEST_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/transport/test_target_runtime.cpp)
target_include_directories(lmc_dataplane_tests PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(lmc_dataplane_tests PRIVATE lmc_ref_dataplane PkgConfig::XXHASH
  Catch2::Catch2)
catch_discover_tests(lmc_dataplane_tests TEST_PREFIX "dataplane: ")

# The dirty log's stress test once more, against a dirty log built with its
# seeded bug (LMC_REFIMPL_MUTATIONS, refimpl/memory/dirty_bitmap.hpp): the
# test must catch it. A program of its own, so that nothing else, and never
# lmc, links that dirty log.
add_executable(lmc_dirty_log_mutation_tests
  ${PROJECT_SOURCE_DIR}/tests/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory/test_dirty_log_stress.cpp
  ${PROJECT_SOURCE_DIR}/refimpl/memory/dirty_bitmap.cpp)
target_include_directories(lmc_dirty_log_mutation_tests PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(lmc_dirty_log_mutation_tests PRIVATE LMC_REFIMPL_MUTATIONS=1)
target_link_libraries(lmc_dirty_log_mutation_tests PRIVATE Threads::Threads Catch2::Catch2)
catch_discover_tests(lmc_dirty_log_mutation_tests TEST_PREFIX "dirty log mutation: ")

# `lmc bench transfer` end to end on 64 MiB: it checks target == source after
# every loop and cell itself (exit 1 otherwise); the script checks the JSON.
add_test(NAME bench_transfer_smoke
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/bench_transfer_smoke.sh $<TARGET_FILE:lmc>)

# The copy kernel's load/store order in the compiled code (4K aliasing). Only
# in optimized builds without sanitizers: instrumented code spills the loaded
# lines to the stack, and its order is not the one that runs in production.
if(NOT LMC_SANITIZE AND NOT LMC_TSAN AND CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo)$")
  add_test(NAME copy_kernel_loads_before_stores
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/core/check_copy_order.sh
    $<TARGET_OBJECTS:lmc_ref_dataplane>)
  set_tests_properties(copy_kernel_loads_before_stores PROPERTIES SKIP_RETURN_CODE 77)
endif()
add_test(NAME copy_kernel_check_catches_interleaving
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/core/check_copy_order.sh --self-test)
