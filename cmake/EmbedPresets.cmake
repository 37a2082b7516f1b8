# Compiles the preset configurations (examples/*.json) into the binary, so that
# `lmc check --preset NAME` needs no file next to it and the presets pass the same
# parser and validator as a user's file.
#
# lmc_embed_presets(TARGET <target> DIRECTORY <dir>) adds
# ${CMAKE_BINARY_DIR}/generated/presets_embedded.cpp to <target>. The file is written at
# build time by embed_presets_script.cmake, so editing a JSON file rebuilds it; adding or
# removing one re-runs CMake (CONFIGURE_DEPENDS).

set(LMC_EMBED_PRESETS_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_presets_script.cmake)

function(lmc_embed_presets)
  cmake_parse_arguments(ARG "" "TARGET;DIRECTORY" "" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_DIRECTORY)
    message(FATAL_ERROR "lmc_embed_presets: TARGET and DIRECTORY are required")
  endif()
  file(GLOB preset_files CONFIGURE_DEPENDS ${ARG_DIRECTORY}/*.json)
  if(NOT preset_files)
    message(FATAL_ERROR "lmc_embed_presets: no *.json in ${ARG_DIRECTORY}")
  endif()
  set(output ${CMAKE_BINARY_DIR}/generated/presets_embedded.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DPRESET_DIR=${ARG_DIRECTORY} -DOUTPUT=${output}
            -P ${LMC_EMBED_PRESETS_SCRIPT}
    DEPENDS ${preset_files} ${LMC_EMBED_PRESETS_SCRIPT}
    COMMENT "Embedding preset configurations from ${ARG_DIRECTORY}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE ${output})
endfunction()
