# The implementation driven by the model's actions, and the pinned
# regressions the conformance properties found (tests/refimpl/conformance).
add_executable(lmc_conformance_tests
  ${PROJECT_SOURCE_DIR}/tests/main.cpp
  conformance/test_abstraction.cpp
  conformance/test_cluster_driver.cpp
  conformance/test_regressions.cpp)
target_include_directories(lmc_conformance_tests PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(lmc_conformance_tests PRIVATE lmc_conformance Catch2::Catch2)
catch_discover_tests(lmc_conformance_tests TEST_PREFIX "conformance: ")
