# The cluster layer: CRD mirrors, Cluster Manager, TCP across two processes.
add_executable(lmc_refcluster_tests
  ${PROJECT_SOURCE_DIR}/tests/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cluster/test_crd.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cluster/test_crd_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cluster/test_cluster_manager.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transport/test_tcp_channel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transport/test_tcp_process.cpp)
target_include_directories(lmc_refcluster_tests PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(lmc_refcluster_tests PRIVATE lmc_ref_cluster PkgConfig::XXHASH Catch2::Catch2)
catch_discover_tests(lmc_refcluster_tests TEST_PREFIX "cluster: ")
