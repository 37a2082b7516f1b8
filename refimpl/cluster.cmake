# The cluster layer: the CRD as mirrored files, the Cluster Manager with
# heartbeat, status and events, and the TCP transport with its target process.
add_library(lmc_ref_cluster
  ${CMAKE_CURRENT_LIST_DIR}/cluster/crd_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cluster/crd.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cluster/crd_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cluster/cluster_status.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cluster/cluster_manager.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cluster/heartbeat.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transport/tcp_channel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transport/target_process.cpp)
target_include_directories(lmc_ref_cluster PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(lmc_ref_cluster
  PUBLIC lmc_config lmc_ref_dataplane fmt::fmt Threads::Threads
  PRIVATE PkgConfig::XXHASH)
