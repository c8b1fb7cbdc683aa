// Compiles the ABI header's size and offset static_asserts into every build:
// native (8-byte pointers), win64 (8) and win32 (4).
#include "asio/asio_abi.h"

namespace a2w {
// The x86 column of the table holds only when pointers are 4 bytes.
static_assert(sizeof(void*) == 4 ? sizeof(asio::DriverInfo) == 168 : sizeof(asio::DriverInfo) == 172);
}  // namespace a2w
