# `cmake --install` lays out what a cluster module needs (doc/install.rst, "Your own LAMMPS, or a cluster"):
#   <prefix>/lib/cryocycle/cryocycleplugin.so       the plugin, one file; the directory goes on
#                                                   LAMMPS_PLUGIN_PATH (lmp loads every *plugin.so in it)
#   <prefix>/share/cryocycle/potentials/            the potential files with their checksums
#   <prefix>/share/cryocycle/examples/<name>/       the example inputs, without their `plugin load`
#                                                   lines: the module's LAMMPS_PLUGIN_PATH loads the plugin
#   <prefix>/share/doc/cryocycle/html/              the manual (Sphinx), if CRYOCYCLE_DOCS
#   <prefix>/share/modulefiles/cryocycle/<version>  environment-modules (Tcl) file setting LAMMPS_PLUGIN_PATH

install(TARGETS cryocycleplugin LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/cryocycle")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/potentials/" DESTINATION "${CMAKE_INSTALL_DATADIR}/cryocycle/potentials")
# Example inputs keep their relative default paths (../../potentials/...), which resolve in the
# installed tree too; outputs of earlier runs in the checkout are left out.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/examples/" DESTINATION "${CMAKE_INSTALL_DATADIR}/cryocycle/examples"
        PATTERN "output" EXCLUDE PATTERN "in.*" EXCLUDE)
install(CODE "
  set(CRYOCYCLE_EXAMPLES_SOURCE \"${PROJECT_SOURCE_DIR}/examples\")
  set(CRYOCYCLE_EXAMPLES_DEST \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/cryocycle/examples\")
  include(\"${CMAKE_CURRENT_LIST_DIR}/install/examples.cmake\")")

# The HTML manual, built with Debian's Sphinx at build time, so that an install has it.
option(CRYOCYCLE_DOCS "Build the HTML manual (Sphinx) and install it" ON)
if(CRYOCYCLE_DOCS)
  find_program(CRYOCYCLE_DOC_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
  file(GLOB_RECURSE _doc_sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/doc/*")
  add_custom_command(OUTPUT "${CMAKE_BINARY_DIR}/doc-html/index.html"
    COMMAND "${CRYOCYCLE_DOC_PYTHON}" -m sphinx -q -b html "${PROJECT_SOURCE_DIR}/doc" "${CMAKE_BINARY_DIR}/doc-html"
    DEPENDS ${_doc_sources} COMMENT "Building the HTML manual (Sphinx)")
  add_custom_target(doc-html ALL DEPENDS "${CMAKE_BINARY_DIR}/doc-html/index.html")
  install(DIRECTORY "${CMAKE_BINARY_DIR}/doc-html/" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/cryocycle/html"
          PATTERN ".doctrees" EXCLUDE PATTERN ".buildinfo" EXCLUDE)
endif()

# The module file: versions filled in now, the prefix at install time (cmake --install --prefix),
# so the first pass writes the placeholder back.
set(CRYOCYCLE_MODULE_VERSION "${PROJECT_VERSION}")
set(CRYOCYCLE_PREFIX "@CRYOCYCLE_PREFIX@")
configure_file("${CMAKE_CURRENT_LIST_DIR}/install/cryocycle.modulefile.in"
               "${CMAKE_BINARY_DIR}/cryocycle.modulefile.in" @ONLY)
install(CODE "
  set(CRYOCYCLE_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${CMAKE_BINARY_DIR}/cryocycle.modulefile.in\"
    \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/modulefiles/cryocycle/${PROJECT_VERSION}\" @ONLY)
  message(STATUS \"Installing: \${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/modulefiles/cryocycle/${PROJECT_VERSION}\")")
