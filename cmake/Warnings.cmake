# Warnings are errors in our own targets only; third-party code (GoogleTest,
# toml++, SDK headers) keeps its own flags. Link a2w_warnings into every
# target we write.
add_library(a2w_warnings INTERFACE)
if(MSVC)
  target_compile_options(a2w_warnings INTERFACE /W4 /WX)
else()
  target_compile_options(a2w_warnings INTERFACE -Wall -Wextra -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 at -O3 (the native-release preset) reports false -Wrestrict
  # overlaps inside std::string's operator+ (GCC bug 105651).
  target_compile_options(a2w_warnings INTERFACE -Wno-restrict)
endif()
