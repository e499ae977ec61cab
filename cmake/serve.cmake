# `vcsim serve`: cpp-httplib and nlohmann-json (Debian packages), and the page's files
# (web/) compiled into vcsim_core by cmake/embed_web.cmake.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CPP_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(nlohmann_json 3 REQUIRED)
# PUBLIC: the library was built with SSL and compression support, and every user of
# httplib.h (the tests' client too) must see the same definitions.
target_link_libraries(vcsim_core PUBLIC PkgConfig::CPP_HTTPLIB nlohmann_json::nlohmann_json)

file(GLOB_RECURSE VCSIM_WEB_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/web/*)
set(VCSIM_WEB_ASSETS ${CMAKE_BINARY_DIR}/generated/web_assets.cpp)
add_custom_command(
  OUTPUT ${VCSIM_WEB_ASSETS}
  COMMAND ${CMAKE_COMMAND} -DWEB_DIR=${CMAKE_SOURCE_DIR}/web -DOUTPUT=${VCSIM_WEB_ASSETS}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_web.cmake
  DEPENDS ${VCSIM_WEB_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_web.cmake
  COMMENT "Embedding web/ into the program")
target_sources(vcsim_core PRIVATE ${VCSIM_WEB_ASSETS})
# The chart library is one 200 kB string, beyond the 64 kB that ISO C++ promises.
set_source_files_properties(${VCSIM_WEB_ASSETS} PROPERTIES COMPILE_OPTIONS -Wno-overlength-strings)
