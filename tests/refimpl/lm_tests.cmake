# The LM engine: phases, rollback, observables (tests/refimpl/lm), and the LM over
# TCP in real time (tests/refimpl/transport/test_lm_over_tcp.cpp: it needs the engine).
add_executable(lmc_lm_tests
  ${PROJECT_SOURCE_DIR}/tests/main.cpp
  lm/test_live_migration.cpp
  lm/test_migration_over_tcp.cpp
  lm/test_source_check.cpp
  lm/test_installation_crd.cpp
  transport/test_lm_over_tcp.cpp)
target_include_directories(lmc_lm_tests PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(lmc_lm_tests PRIVATE lmc_refimpl Catch2::Catch2)
catch_discover_tests(lmc_lm_tests TEST_PREFIX "lm: ")
