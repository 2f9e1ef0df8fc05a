# cmake --install: headers, libmapishut, the provider SDK, exported CMake targets
# (find_package(mapishut)) and mapishut.pc.
include(CMakePackageConfigHelpers)

# Microsoft's header names live in their own directory so they never shadow another MAPI's.
file(GLOB _mapi_headers ${PROJECT_SOURCE_DIR}/include/*.h)
install(FILES ${_mapi_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mapishut/mapi)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/mapishut DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(_mapishut_exported mapishut mapishut_headers)
foreach(_t mapishut_common mapishut_iids mapishut_mapiutil mapishut_table mapishut_provider_sdk)
  if(TARGET ${_t})
    list(APPEND _mapishut_exported ${_t})
  endif()
endforeach()
install(TARGETS ${_mapishut_exported} EXPORT mapishutTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT mapishutTargets NAMESPACE mapishut:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mapishut)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mapishutConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mapishutConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mapishut)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mapishutConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mapishutConfig.cmake ${PROJECT_BINARY_DIR}/mapishutConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/mapishut)

# The prefix as seen from the .pc file's directory, so the installed tree can move and a
# multiarch libdir (lib/x86_64-linux-gnu) resolves to the right prefix.
file(RELATIVE_PATH MAPISHUT_PC_PREFIX_FROM_PCDIR "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/mapishut.pc.in ${PROJECT_BINARY_DIR}/mapishut.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mapishut.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
