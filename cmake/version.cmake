# The version `mfaenv --version` prints: the project version and the git commit it was built from
# (`git describe`, with -dirty for uncommitted changes), read when CMake configures. Outside a git
# checkout of this project (a source tarball) the commit is "unknown". CMake configures again when
# HEAD moves (a commit, a checkout), so the commit does not go stale between builds.
set(MFAENV_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --show-toplevel
                  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _top RESULT_VARIABLE _rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  # Only this project's own repository counts, not one the sources happen to be unpacked inside.
  if(_rc EQUAL 0 AND EXISTS "${_top}" AND EXISTS "${PROJECT_SOURCE_DIR}")
    file(REAL_PATH "${_top}" _top)
    file(REAL_PATH "${PROJECT_SOURCE_DIR}" _src)
  endif()
  if(_rc EQUAL 0 AND _top STREQUAL _src)
    execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --abbrev=12
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE MFAENV_GIT_COMMIT
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path HEAD
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _head OUTPUT_STRIP_TRAILING_WHITESPACE)
    execute_process(COMMAND ${GIT_EXECUTABLE} symbolic-ref -q HEAD
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _branch OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(_watch "${_head}")
    if(_branch)
      execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path "${_branch}"
                      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} OUTPUT_VARIABLE _ref OUTPUT_STRIP_TRAILING_WHITESPACE)
      list(APPEND _watch "${_ref}")
    endif()
    foreach(_f IN LISTS _watch)
      if(NOT IS_ABSOLUTE "${_f}")
        set(_f "${PROJECT_SOURCE_DIR}/${_f}")
      endif()
      if(EXISTS "${_f}")
        set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_f}")
      endif()
    endforeach()
    if(NOT MFAENV_GIT_COMMIT)
      set(MFAENV_GIT_COMMIT "unknown")
    endif()
  endif()
endif()
set(MFAENV_VERSION_STRING "${PROJECT_VERSION} (git ${MFAENV_GIT_COMMIT})")
message(STATUS "mfaenv ${MFAENV_VERSION_STRING}")
