# Cross-compile for 32-bit Windows with Debian's MinGW-w64 (posix threads variant).
# Built and link-checked only: 32-bit binaries cannot run under this Wine.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(A2W_MINGW_TRIPLE i686-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-common.cmake)
