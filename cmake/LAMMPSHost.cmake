# Locate the LAMMPS the plugin is built against and describe it to the compiler.
#
# Inputs (cache variables):
#   LAMMPS_SOURCE_DIR   the LAMMPS src/ directory whose headers the host lmp was built from (required)
#   LAMMPS_EXECUTABLE   that lmp (optional for building, required for the integration tests)
# Results:
#   target `lammps` (INTERFACE: headers, MPI or STUBS, integer sizes) from LAMMPS's own
#   examples/plugins/LAMMPSInterfaceCXX.cmake; LAMMPS_VERSION_NUMBER (e.g. 20250204).

set(LAMMPS_SOURCE_DIR "" CACHE PATH "LAMMPS src/ directory the host lmp was built from")
set(LAMMPS_EXECUTABLE "" CACHE FILEPATH "The host lmp executable (built with PKG_PLUGIN)")

if(NOT EXISTS "${LAMMPS_SOURCE_DIR}/lammpsplugin.h" OR NOT EXISTS "${LAMMPS_SOURCE_DIR}/version.h")
  message(FATAL_ERROR "LAMMPS_SOURCE_DIR='${LAMMPS_SOURCE_DIR}' is not a LAMMPS src/ directory "
    "(no lammpsplugin.h/version.h). Run tools/host-lammps.sh, or pass -D LAMMPS_SOURCE_DIR=<lammps>/src.")
endif()
get_filename_component(LAMMPS_SOURCE_DIR "${LAMMPS_SOURCE_DIR}" ABSOLUTE)

# "4 Feb 2025" -> 20250204, the number lammps_version() returns at run time.
file(STRINGS "${LAMMPS_SOURCE_DIR}/version.h" _version_line REGEX "define LAMMPS_VERSION ")
string(REGEX MATCH "\"([0-9]+) ([A-Za-z]+) ([0-9]+)\"" _match "${_version_line}")
set(_months Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
list(FIND _months "${CMAKE_MATCH_2}" _month_index)
if(NOT _match OR _month_index LESS 0)
  message(FATAL_ERROR "Cannot read the LAMMPS version from ${LAMMPS_SOURCE_DIR}/version.h")
endif()
math(EXPR LAMMPS_VERSION_NUMBER "${CMAKE_MATCH_3} * 10000 + (${_month_index} + 1) * 100 + ${CMAKE_MATCH_1}")
message(STATUS "LAMMPS headers: ${LAMMPS_SOURCE_DIR} (version ${LAMMPS_VERSION_NUMBER})")

# Learn MPI and integer sizes from the host executable, so the defaults match it.
if(LAMMPS_EXECUTABLE)
  if(NOT EXISTS "${LAMMPS_EXECUTABLE}")
    message(FATAL_ERROR "LAMMPS_EXECUTABLE='${LAMMPS_EXECUTABLE}' does not exist")
  endif()
  execute_process(COMMAND "${LAMMPS_EXECUTABLE}" -h OUTPUT_VARIABLE _help ERROR_QUIET
                  RESULT_VARIABLE _help_status TIMEOUT 60)
  if(NOT _help MATCHES "Massively Parallel Simulator - ([0-9]+ [A-Za-z]+ [0-9]+)")
    message(FATAL_ERROR "${LAMMPS_EXECUTABLE} -h did not identify itself as LAMMPS")
  endif()
  set(_host_version "${CMAKE_MATCH_1}")
  if(NOT _version_line MATCHES "\"${_host_version}\"")
    message(FATAL_ERROR "Host lmp is LAMMPS '${_host_version}' but the headers in "
      "${LAMMPS_SOURCE_DIR} are ${_match}: the plugin must be built from the host's own sources")
  endif()
  if(NOT _help MATCHES "\nPLUGIN[ \n]" AND NOT _help MATCHES "[ \n]PLUGIN[ \n]")
    message(FATAL_ERROR "Host lmp ${LAMMPS_EXECUTABLE} was built without the PLUGIN package")
  endif()
  if(_help MATCHES "MPI STUBS")
    set(BUILD_MPI OFF CACHE BOOL "Build against real MPI (must match the host lmp)")
  else()
    set(BUILD_MPI ON CACHE BOOL "Build against real MPI (must match the host lmp)")
  endif()
  foreach(_sizes SMALLBIG BIGBIG SMALLSMALL)
    if(_help MATCHES "-DLAMMPS_${_sizes}")
      string(TOLOWER ${_sizes} _sizes_lower)
      set(LAMMPS_SIZES ${_sizes_lower} CACHE STRING "LAMMPS integer sizes (must match the host lmp)")
    endif()
  endforeach()
  message(STATUS "Host lmp: ${LAMMPS_EXECUTABLE} (${_host_version}, MPI ${BUILD_MPI}, sizes ${LAMMPS_SIZES})")
endif()

set(LAMMPS_HEADER_DIR "${LAMMPS_SOURCE_DIR}")
set(_interface "${LAMMPS_SOURCE_DIR}/../examples/plugins/LAMMPSInterfaceCXX.cmake")
if(NOT EXISTS "${_interface}")
  message(FATAL_ERROR "${_interface} not found: LAMMPS_SOURCE_DIR must be the src/ directory of a "
    "complete LAMMPS source tree")
endif()
include(CheckIncludeFileCXX)
include("${_interface}")
