# Build conventions shared by every target of the project.

if(MAPISHUT_ASAN AND MAPISHUT_TSAN)
  message(FATAL_ERROR "MAPISHUT_ASAN and MAPISHUT_TSAN cannot be combined; pick one per build tree")
endif()
if(MAPISHUT_ASAN)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(MAPISHUT_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# Warnings are errors for the project's own code (not for third-party code it compiles).
function(mapishut_strict target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /WX)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-unused-parameter)
  endif()
endfunction()

# A provider is a real shared library loaded with dlopen: no "lib" prefix games, a fixed name
# that profiles (MAPISVC.INF) can refer to, and the output placed where the bundled profiles look.
set(MAPISHUT_PROVIDER_DIR ${CMAKE_BINARY_DIR}/providers)
function(mapishut_add_provider target)
  add_library(${target} MODULE ${ARGN})
  set_target_properties(${target} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${MAPISHUT_PROVIDER_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(${target} PRIVATE mapishut::provider_sdk)
  mapishut_strict(${target})
endfunction()
