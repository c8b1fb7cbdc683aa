set(CMAKE_C_COMPILER ${A2W_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${A2W_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${A2W_MINGW_TRIPLE}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${A2W_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# Link the GCC, C++ and winpthread runtimes statically: the DLL and the tools
# must load on a Windows machine that has no MinGW runtime DLLs.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
