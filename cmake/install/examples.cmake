# Run by `cmake --install` (see CryoCycleInstall.cmake): copy every example input, replacing its
# `plugin load` line and the `plugin` variable (a path into the build tree) by a comment. An
# installed input relies on LAMMPS_PLUGIN_PATH (the module file sets it), with which lmp loads the
# plugin at start; loading it a second time would only print "Ignoring load".
# Inputs: CRYOCYCLE_EXAMPLES_SOURCE (examples/ of the checkout), CRYOCYCLE_EXAMPLES_DEST.
file(GLOB inputs RELATIVE "${CRYOCYCLE_EXAMPLES_SOURCE}" "${CRYOCYCLE_EXAMPLES_SOURCE}/*/in.*")
foreach(input IN LISTS inputs)
  file(READ "${CRYOCYCLE_EXAMPLES_SOURCE}/${input}" text)
  string(REGEX REPLACE "(^|\n)variable[ \t]+plugin[ \t][^\n]*" "\\1# (installed copy: no plugin variable)" text "${text}")
  string(REGEX REPLACE "(^|\n)plugin[ \t]+load[ \t][^\n]*"
         "\\1# (installed copy: lmp loads the plugin from LAMMPS_PLUGIN_PATH; see the cryocycle module)"
         text "${text}")
  message(STATUS "Installing: ${CRYOCYCLE_EXAMPLES_DEST}/${input}")
  file(WRITE "${CRYOCYCLE_EXAMPLES_DEST}/${input}" "${text}")
endforeach()
