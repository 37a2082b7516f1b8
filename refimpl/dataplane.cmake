# The data plane (issue 5): core/ (page size, the wire format, the page
# kernels and codecs both sides share), guest memory, dirty log, workload, the
# page-transfer loop, the link model, pre-copy, the target's runtime and the
# in-process channel. spec/refimpl/transfer.md describes the loop.
add_library(lmc_ref_dataplane
  ${CMAKE_CURRENT_LIST_DIR}/memory/guest_memory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory/dirty_bitmap.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memory/workload.cpp
  ${CMAKE_CURRENT_LIST_DIR}/core/page_ops.cpp
  ${CMAKE_CURRENT_LIST_DIR}/core/delta_codec.cpp
  ${CMAKE_CURRENT_LIST_DIR}/core/compression.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/stream_sender.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/page_sender.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/link_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/precopy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/precopy_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/transfer_bench.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/kernel_bench.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transfer/precopy_grid.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transport/target_runtime.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transport/in_process_channel.cpp)
target_include_directories(lmc_ref_dataplane PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(lmc_ref_dataplane PUBLIC fmt::fmt Threads::Threads
  PRIVATE PkgConfig::XXHASH PkgConfig::ZSTD PkgConfig::LZ4)
