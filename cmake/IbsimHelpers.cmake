# Helpers that give every ibsim module the same shape.
#
#   ibsim_add_library(NAME sim SOURCES a.cc b.cc DEPS other_module [SYSTEM_DEPS Boost::headers]
#                     [FOLDER sub])   (FOLDER: the module owns only this subfolder)
#     declares target ibsim_<NAME> whose only include root is the repository root. DEPS are other
#     ibsim modules (linked PUBLIC); SYSTEM_DEPS are third-party targets. Header-only modules pass no
#     SOURCES and become INTERFACE libraries.
#   ibsim_add_test(NAME sim SOURCES x_test.cc DEPS sim)
#     declares the Catch2 executable ibsim_<NAME>_tests and registers each TEST_CASE with ctest.

set(IBSIM_REPO_ROOT "${CMAKE_SOURCE_DIR}")

set(IBSIM_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough -Werror
  # Options structs are filled with designated initializers that rely on member defaults.
  -Wno-missing-field-initializers)

add_library(ibsim_build_options INTERFACE)
target_compile_options(ibsim_build_options INTERFACE ${IBSIM_WARNINGS})
if(IBSIM_SANITIZE)
  target_compile_options(ibsim_build_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(ibsim_build_options INTERFACE -fsanitize=address,undefined)
endif()

# Version header with the git commit, refreshed on every build (for `ibsim --version` and the
# replay lines printed with failures). Targets that need it depend on ibsim_version.
set(IBSIM_GENERATED_DIR "${CMAKE_BINARY_DIR}/generated")
add_custom_target(ibsim_version_header
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
          -DOUT=${IBSIM_GENERATED_DIR}/ibsim_version.h -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${IBSIM_GENERATED_DIR}/ibsim_version.h
  COMMENT "Recording the git commit")
add_library(ibsim_version INTERFACE)
add_dependencies(ibsim_version ibsim_version_header)
target_include_directories(ibsim_version INTERFACE ${IBSIM_GENERATED_DIR})

function(ibsim_add_library)
  cmake_parse_arguments(ARG "" "NAME;FOLDER" "SOURCES;DEPS;SYSTEM_DEPS" ${ARGN})
  set(target ibsim_${ARG_NAME})
  set(deps "")
  foreach(dep IN LISTS ARG_DEPS)
    list(APPEND deps ibsim_${dep})
  endforeach()
  # Record "folder: allowed dependency folders" for the include-direction test (tests/layout).
  file(RELATIVE_PATH folder "${IBSIM_REPO_ROOT}" "${CMAKE_CURRENT_SOURCE_DIR}")
  if(ARG_FOLDER)
    set(folder "${folder}/${ARG_FOLDER}")
  endif()
  list(JOIN ARG_DEPS "," deps_text)
  set_property(GLOBAL APPEND PROPERTY IBSIM_MODULE_GRAPH "${folder}|${ARG_NAME}|${deps_text}")
  if(ARG_SOURCES)
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC "${IBSIM_REPO_ROOT}")
    target_link_libraries(${target} PUBLIC ${deps} ${ARG_SYSTEM_DEPS})
    target_link_libraries(${target} PRIVATE ibsim_build_options)
    if(IBSIM_SANITIZE)
      target_link_options(${target} INTERFACE -fsanitize=address,undefined)
    endif()
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE "${IBSIM_REPO_ROOT}")
    target_link_libraries(${target} INTERFACE ${deps} ${ARG_SYSTEM_DEPS})
  endif()
endfunction()

function(ibsim_add_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS;SYSTEM_DEPS" ${ARGN})
  set(target ibsim_${ARG_NAME}_tests)
  set(deps "")
  foreach(dep IN LISTS ARG_DEPS)
    list(APPEND deps ibsim_${dep})
  endforeach()
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ibsim_test_main ${deps} ${ARG_SYSTEM_DEPS}
                        ibsim_build_options)
  target_compile_definitions(${target} PRIVATE IBSIM_SOURCE_DIR="${IBSIM_REPO_ROOT}")
  catch_discover_tests(${target} TEST_PREFIX "${ARG_NAME}: ")
endfunction()

function(ibsim_add_bench)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  set(deps "")
  foreach(dep IN LISTS ARG_DEPS)
    list(APPEND deps ibsim_${dep})
  endforeach()
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${deps} benchmark::benchmark ibsim_build_options)
endfunction()

# Writes <build>/module-graph.txt: one line per module, "folder|name|dep,dep".
# tests/layout/check_includes.py compares every project #include against it.
function(ibsim_write_module_graph)
  get_property(graph GLOBAL PROPERTY IBSIM_MODULE_GRAPH)
  list(JOIN graph "\n" text)
  file(WRITE "${CMAKE_BINARY_DIR}/module-graph.txt" "${text}\n")
endfunction()

# An executable that is part of the module graph (src/cli): same dependency bookkeeping.
function(ibsim_add_executable)
  cmake_parse_arguments(ARG "" "NAME;FOLDER_NAME" "SOURCES;DEPS;SYSTEM_DEPS" ${ARGN})
  set(deps "")
  foreach(dep IN LISTS ARG_DEPS)
    list(APPEND deps ibsim_${dep})
  endforeach()
  file(RELATIVE_PATH folder "${IBSIM_REPO_ROOT}" "${CMAKE_CURRENT_SOURCE_DIR}")
  list(JOIN ARG_DEPS "," deps_text)
  set_property(GLOBAL APPEND PROPERTY IBSIM_MODULE_GRAPH "${folder}|${ARG_FOLDER_NAME}|${deps_text}")
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_include_directories(${ARG_NAME} PRIVATE "${IBSIM_REPO_ROOT}")
  target_link_libraries(${ARG_NAME} PRIVATE ${deps} ${ARG_SYSTEM_DEPS} ibsim_build_options)
endfunction()
