// a2w-instances: named instances of the asio2wasapi driver.
//
//   a2w-instances list
//   a2w-instances add "Headphones" [--dll C:\path\asio2wasapi_x64.dll]
//   a2w-instances remove "Headphones"
//
// add and remove write HKLM: run from an administrator prompt. The x64 tool
// manages the instances 64-bit hosts see, the x86 one those of 32-bit hosts.
#include <windows.h>
#include <objbase.h>

#include <cstdio>
#include <string>

#include "driver/instances.h"
#include "driver/wide_text.h"

namespace {

int usage() {
  std::fputs(
      "usage: a2w-instances list\n"
      "       a2w-instances add <name> [--dll <path of asio2wasapi_x64.dll or _x86.dll>]\n"
      "       a2w-instances remove <name>\n"
      "A name has 1 to 19 letters, digits, spaces or - _ . ( ); hosts list it as \"ASIO2WASAPI <name>\".\n",
      stderr);
  return 2;
}

void print(const a2w::instances::Instance& i) {
  std::printf("%-20s %-32s %s  %s\n", a2w::narrow(i.name).c_str(), a2w::narrow(i.asioName).c_str(),
              a2w::narrow(i.clsid).c_str(), a2w::instances::configFileOf(i.name).string().c_str());
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  if (argc < 2) return usage();
  const std::wstring command = argv[1];
  CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
  int rc = 0;
  if (command == L"list" && argc == 2) {
    for (const auto& i : a2w::instances::allInstances()) print(i);
  } else if (command == L"add" && (argc == 3 || (argc == 5 && std::wstring(argv[3]) == L"--dll"))) {
    const std::wstring dll = argc == 5 ? std::wstring(argv[4]) : a2w::instances::registeredDllPath();
    a2w::instances::Instance added;
    std::string error;
    if (FAILED(a2w::instances::addInstance(argv[2], dll, &added, &error))) {
      std::fprintf(stderr, "a2w-instances: cannot add \"%s\": %s\n", a2w::narrow(argv[2]).c_str(), error.c_str());
      rc = 1;
    } else {
      std::printf("added: ");
      print(added);
    }
  } else if (command == L"remove" && argc == 3) {
    std::string error;
    if (FAILED(a2w::instances::removeInstance(argv[2], &error))) {
      std::fprintf(stderr, "a2w-instances: cannot remove \"%s\": %s\n", a2w::narrow(argv[2]).c_str(), error.c_str());
      rc = 1;
    } else {
      std::printf("removed: %s (its settings file stays)\n", a2w::narrow(argv[2]).c_str());
    }
  } else {
    rc = usage();
  }
  CoUninitialize();
  return rc;
}
