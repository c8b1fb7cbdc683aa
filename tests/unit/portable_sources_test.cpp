// The portable core must build and run on Linux: no source file in src/core
// or src/asio may include <windows.h> or any other Windows header.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace a2w {
namespace {

namespace fs = std::filesystem;

// Windows SDK headers a portable file could be tempted to include (lower case).
const std::set<std::string>& windowsHeaders() {
  static const std::set<std::string> headers{
      "windows.h",     "windef.h",     "winbase.h",     "winnt.h",       "winerror.h",  "winuser.h",
      "winreg.h",      "wtypes.h",     "unknwn.h",      "objbase.h",     "combaseapi.h", "ole2.h",
      "oleauto.h",     "mmsystem.h",   "mmreg.h",       "mmdeviceapi.h", "audioclient.h", "audiopolicy.h",
      "endpointvolume.h", "functiondiscoverykeys_devpkey.h", "propsys.h", "propidl.h", "ks.h", "ksmedia.h",
      "avrt.h",        "timeapi.h",    "synchapi.h",    "processthreadsapi.h", "shlobj.h", "commctrl.h",
      "comdef.h",      "atlbase.h",    "wrl.h",         "winsock2.h",    "intrin.h",    "windowsx.h",
  };
  return headers;
}

// Windows-only by design: the COM interface, guarded by #error off Windows,
// and never included by the portable core (checked below).
bool isWindowsOnlyByDesign(const fs::path& file) { return file.filename() == "iasio.h"; }

std::vector<std::string> offendingIncludes(const fs::path& file) {
  static const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::vector<std::string> found;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, include)) continue;
    std::string header = m[1].str();
    std::transform(header.begin(), header.end(), header.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string name = fs::path(header).filename().string();
    if (windowsHeaders().count(name) != 0 || name == "iasio.h") found.push_back(header);
  }
  return found;
}

TEST(PortableSources, NoWindowsHeaderInCoreOrAsio) {
  int scanned = 0;
  for (const char* dir : {"src/core", "src/asio"}) {
    const fs::path root = fs::path(A2W_SOURCE_DIR) / dir;
    ASSERT_TRUE(fs::is_directory(root)) << root;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      const fs::path& file = entry.path();
      const std::string ext = file.extension().string();
      if (!entry.is_regular_file() || (ext != ".h" && ext != ".cpp" && ext != ".hpp" && ext != ".inl")) continue;
      if (isWindowsOnlyByDesign(file)) continue;
      ++scanned;
      EXPECT_TRUE(offendingIncludes(file).empty())
          << file << " includes " << offendingIncludes(file).front();
    }
  }
  EXPECT_GT(scanned, 10);  // the scan really looked at the sources
}

// The scan itself works: it catches the includes it is meant to catch.
TEST(PortableSources, TheScannerSeesWindowsIncludes) {
  const fs::path probe = fs::temp_directory_path() / "a2w_portable_probe.h";
  {
    std::ofstream out(probe);
    out << "#include <vector>\n  #  include <Windows.h>\n#include \"audioclient.h\"\n";
  }
  const std::vector<std::string> found = offendingIncludes(probe);
  fs::remove(probe);
  EXPECT_EQ(found, (std::vector<std::string>{"windows.h", "audioclient.h"}));
}

}  // namespace
}  // namespace a2w
