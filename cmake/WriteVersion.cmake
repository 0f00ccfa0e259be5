# Run at build time (cmake -P): writes OUT with the current git commit, touching it only when
# the text changes so that a rebuild happens only after a new commit.
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY "${SOURCE_DIR}"
  OUTPUT_VARIABLE commit
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT commit)
  set(commit "unknown")
endif()
execute_process(
  COMMAND git status --porcelain --untracked-files=no
  WORKING_DIRECTORY "${SOURCE_DIR}"
  OUTPUT_VARIABLE dirty
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(dirty)
  set(commit "${commit}+dirty")
endif()
set(text "#pragma once\n// Generated at build time by cmake/WriteVersion.cmake.\n#define IBSIM_VERSION \"${VERSION}\"\n#define IBSIM_GIT_COMMIT \"${commit}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
