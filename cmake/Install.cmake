# What `cmake --install` puts into a prefix: the lmc binary, and the engine
# as a package (find_package(lmc) gives lmc::engine and lmc::cli) whose link
# interface has no Z3 and no cluster code.
include(CMakePackageConfigHelpers)

install(TARGETS lmc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# What `lmc bench check` runs SPIN on (found next to the binary, bench_check.cpp).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/spin-states.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/lmc/scripts)
install(FILES ${PROJECT_SOURCE_DIR}/spec/promela/cluster_default.pml
  DESTINATION ${CMAKE_INSTALL_DATADIR}/lmc/spec/promela)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/scale DESTINATION ${CMAKE_INSTALL_DATADIR}/lmc/examples)
install(TARGETS lmc_engine lmc_cli_helper EXPORT lmcTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/checker/engine/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/checker/engine FILES_MATCHING PATTERN "*.hpp")
install(EXPORT lmcTargets NAMESPACE lmc:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lmc)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lmcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lmcConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lmc)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lmcConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lmcConfig.cmake ${PROJECT_BINARY_DIR}/lmcConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/lmc)
# The build tree as a package too, for tests that build an outside model
# without installing.
export(EXPORT lmcTargets NAMESPACE lmc:: FILE ${PROJECT_BINARY_DIR}/lmcTargets.cmake)
