// The settings dialog as a user meets it: asio2wasapi-panel.exe is started
// as its own process, and this test finds its window and controls
// (FindWindow / GetDlgItem), reads the lists, changes settings the way a
// click does (CB_SETCURSEL + CBN_SELCHANGE, BM_CLICK), presses Apply and
// checks the file on disk and its .bak with the config API (the safety
// margin among them: a pick from its list, a typed value refused and one
// taken).
//
// Needs a desktop (under Wine: an X display) and Wine's PulseAudio world
// (endpoints "Speakers", "HDMI", "Monitor of Speakers"): run by
// tests/e2e/panel_xvfb.sh. With A2W_PANEL_SHOT_DIR set, the first test
// writes <dir>/ready once the changed dialog is on screen and waits (at
// most 30 s) for <dir>/done, so the script can take a screenshot.
#include <windows.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/config_file.h"
#include "panel/panel_resource.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path exeDir() {
  std::wstring buf(MAX_PATH, L'\0');
  const DWORD n = GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
  buf.resize(n);
  return fs::path(buf).parent_path();
}

std::wstring envW(const wchar_t* name) {
  const DWORD n = GetEnvironmentVariableW(name, nullptr, 0);
  if (n == 0) return {};
  std::wstring v(n, L'\0');
  v.resize(GetEnvironmentVariableW(name, v.data(), n));
  return v;
}

// A fresh folder for one test's settings file.
fs::path testDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("a2w_panel_ui_" + name + "_" + std::to_string(GetCurrentProcessId()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Polls `condition` every 20 ms until it holds or `seconds` pass.
template <typename F>
bool waitFor(F condition, double seconds) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the poll interval of a bounded wait
  }
  return condition();
}

// asio2wasapi-panel.exe --config <file>, closed (Cancel) and reaped on destruction.
class PanelProcess {
 public:
  explicit PanelProcess(const fs::path& config) {
    std::wstring cmd = L"\"" + (exeDir() / A2W_PANEL_EXE_NAME).wstring() + L"\" --config \"" + config.wstring() + L"\"";
    STARTUPINFOW si{};
    si.cb = sizeof si;
    started_ = CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si, &pi_) != FALSE;
  }
  ~PanelProcess() {
    if (!started_) return;
    if (dialog_ && IsWindow(dialog_)) PostMessageW(dialog_, WM_COMMAND, IDCANCEL, 0);
    if (WaitForSingleObject(pi_.hProcess, 10000) != WAIT_OBJECT_0) TerminateProcess(pi_.hProcess, 99);
    CloseHandle(pi_.hThread);
    CloseHandle(pi_.hProcess);
  }
  PanelProcess(const PanelProcess&) = delete;
  PanelProcess& operator=(const PanelProcess&) = delete;

  bool started() const { return started_; }

  // The dialog of this process, found by title and owner process.
  HWND findDialog(double seconds) {
    waitFor(
        [&] {
          HWND w = nullptr;
          while ((w = FindWindowExW(nullptr, w, L"#32770", L"" A2W_PANEL_TITLE)) != nullptr) {
            DWORD pid = 0;
            GetWindowThreadProcessId(w, &pid);
            if (pid == pi_.dwProcessId && IsWindowVisible(w)) {
              dialog_ = w;
              return true;
            }
          }
          return false;
        },
        seconds);
    return dialog_;
  }

  // Exit code once the process ended within `seconds`, else -1.
  long exitCode(double seconds) {
    if (WaitForSingleObject(pi_.hProcess, static_cast<DWORD>(seconds * 1000)) != WAIT_OBJECT_0) return -1;
    DWORD code = 0;
    GetExitCodeProcess(pi_.hProcess, &code);
    return static_cast<long>(code);
  }

 private:
  bool started_ = false;
  PROCESS_INFORMATION pi_{};
  HWND dialog_ = nullptr;
};

std::string narrow(const std::wstring& w) {
  if (w.empty()) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
  std::string s(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w.data(), static_cast<int>(w.size()), s.data(), n, nullptr, nullptr);
  return s;
}

std::string text(HWND dialog, int id) {
  std::wstring buf(4096, L'\0');
  const int n = GetDlgItemTextW(dialog, id, buf.data(), static_cast<int>(buf.size()));
  buf.resize(static_cast<std::size_t>(n));
  return narrow(buf);
}

std::vector<std::string> comboItems(HWND dialog, int id) {
  HWND combo = GetDlgItem(dialog, id);
  std::vector<std::string> items;
  const LRESULT count = SendMessageW(combo, CB_GETCOUNT, 0, 0);
  for (LRESULT i = 0; i < count; ++i) {
    const LRESULT len = SendMessageW(combo, CB_GETLBTEXTLEN, static_cast<WPARAM>(i), 0);
    std::wstring buf(static_cast<std::size_t>(len) + 1, L'\0');
    SendMessageW(combo, CB_GETLBTEXT, static_cast<WPARAM>(i), reinterpret_cast<LPARAM>(buf.data()));
    buf.resize(static_cast<std::size_t>(len));
    items.push_back(narrow(buf));
  }
  return items;
}

bool contains(const std::vector<std::string>& items, const std::string& wanted) {
  for (const auto& i : items) {
    if (i == wanted) return true;
  }
  return false;
}

// What a user's pick in a drop-down list does: select, then notify the dialog.
void choose(HWND dialog, int id, const std::string& label) {
  const auto items = comboItems(dialog, id);
  int index = -1;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i] == label) index = static_cast<int>(i);
  }
  ASSERT_GE(index, 0) << "no \"" << label << "\" in list " << id;
  HWND combo = GetDlgItem(dialog, id);
  SendMessageW(combo, CB_SETCURSEL, static_cast<WPARAM>(index), 0);
  SendMessageW(dialog, WM_COMMAND, MAKEWPARAM(id, CBN_SELCHANGE), reinterpret_cast<LPARAM>(combo));
}

void click(HWND dialog, int id) { SendMessageW(GetDlgItem(dialog, id), BM_CLICK, 0, 0); }

// Lets a screenshot be taken while the dialog shows its changed state.
void offerScreenshot(HWND dialog) {
  const std::wstring dir = envW(L"A2W_PANEL_SHOT_DIR");
  if (dir.empty()) return;
  RedrawWindow(dialog, nullptr, nullptr, RDW_INVALIDATE | RDW_ERASE | RDW_ALLCHILDREN | RDW_UPDATENOW);
  SendMessageW(dialog, WM_NULL, 0, 0);  // the dialog's thread has handled everything before
  std::ofstream(fs::path(dir) / "ready") << "ready\n";
  EXPECT_TRUE(waitFor([&] { return fs::exists(fs::path(dir) / "done"); }, 30)) << "no screenshot taken";
}

TEST(PanelUi, StandaloneListsEndpointsAndApplyWritesTheFileAndBackup) {
  const fs::path dir = testDir("apply");
  const fs::path file = dir / "default.toml";
  a2w::DriverSettings before;
  before.bufferFrames = 256;
  ASSERT_TRUE(a2w::config::save(file, before).ok());
  const std::string beforeText = readFile(file);

  PanelProcess panel(file);
  ASSERT_TRUE(panel.started());
  HWND dialog = panel.findDialog(30);
  ASSERT_NE(dialog, nullptr) << "the panel window did not appear";

  const auto outputs = comboItems(dialog, IDC_A2W_OUTPUT);
  EXPECT_TRUE(contains(outputs, "Speakers"));
  EXPECT_TRUE(contains(outputs, "HDMI"));
  const auto inputs = comboItems(dialog, IDC_A2W_INPUT);
  EXPECT_TRUE(contains(inputs, "None"));
  EXPECT_TRUE(contains(inputs, "Monitor of Speakers"));
  EXPECT_TRUE(contains(inputs, "Loopback of HDMI"));
  EXPECT_EQ(text(dialog, IDC_A2W_BUFFER), "256");
  EXPECT_NE(text(dialog, IDC_A2W_STATUS).find("Driver not running in this process"), std::string::npos);
  EXPECT_EQ(text(dialog, IDC_A2W_MESSAGE), "");
  EXPECT_FALSE(IsWindowEnabled(GetDlgItem(dialog, IDC_A2W_APPLY)));

  EXPECT_EQ(text(dialog, IDC_A2W_SAFETY), "Auto");
  EXPECT_TRUE(contains(comboItems(dialog, IDC_A2W_SAFETY), "10 ms"));
  choose(dialog, IDC_A2W_OUTPUT, "HDMI");
  choose(dialog, IDC_A2W_MODE, "Exclusive (lowest latency)");
  EXPECT_FALSE(IsWindowEnabled(GetDlgItem(dialog, IDC_A2W_SAFETY)));  // the margin is shared mode's
  choose(dialog, IDC_A2W_MODE, "Shared (other programs keep playing)");
  EXPECT_TRUE(IsWindowEnabled(GetDlgItem(dialog, IDC_A2W_SAFETY)));
  choose(dialog, IDC_A2W_SAFETY, "10 ms");
  EXPECT_EQ(text(dialog, IDC_A2W_SAFETY), "10 ms");
  choose(dialog, IDC_A2W_INPUT, "Monitor of Speakers");
  EXPECT_NE(text(dialog, IDC_A2W_OUTPUT_INFO).find("8 channels, 44100 Hz"), std::string::npos)
      << text(dialog, IDC_A2W_OUTPUT_INFO);
  EXPECT_FALSE(IsWindowEnabled(GetDlgItem(dialog, IDC_A2W_POLLING)));  // polling is for exclusive only
  ASSERT_TRUE(IsWindowEnabled(GetDlgItem(dialog, IDC_A2W_APPLY)));
  click(dialog, IDC_A2W_APPLY);

  EXPECT_NE(text(dialog, IDC_A2W_MESSAGE).find("Saved"), std::string::npos) << text(dialog, IDC_A2W_MESSAGE);
  EXPECT_FALSE(IsWindowEnabled(GetDlgItem(dialog, IDC_A2W_APPLY)));
  const a2w::config::LoadResult after = a2w::config::load(file);
  ASSERT_TRUE(after.status.ok()) << after.status.message;
  EXPECT_EQ(after.settings.outputDevice, "HDMI");
  EXPECT_EQ(after.settings.inputDevice, "Monitor of Speakers");
  EXPECT_EQ(after.settings.mode, a2w::StreamMode::SharedEvent);
  EXPECT_EQ(after.settings.bufferFrames, 256);  // untouched fields keep their values
  EXPECT_EQ(after.settings.safety, a2w::SafetyMode::Fixed);
  EXPECT_EQ(after.settings.safetyMs, 10.0);
  EXPECT_NE(readFile(file).find("safety_ms = 10.0"), std::string::npos) << readFile(file);
  EXPECT_NE(readFile(file).find("HDMI"), std::string::npos);
  ASSERT_TRUE(fs::exists(dir / "default.toml.bak"));
  EXPECT_EQ(readFile(dir / "default.toml.bak"), beforeText);

  offerScreenshot(dialog);
  click(dialog, IDOK);  // nothing changed since Apply: closes
  EXPECT_EQ(panel.exitCode(10), 0);
  fs::remove_all(dir);
}

TEST(PanelUi, BrokenFileShowsTheErrorAndOpensWithDefaults) {
  const fs::path dir = testDir("broken");
  const fs::path file = dir / "default.toml";
  std::ofstream(file, std::ios::binary) << "mode = \"turbo\"\n";
  const a2w::config::LoadResult broken = a2w::config::load(file);
  ASSERT_FALSE(broken.status.ok()) << "the config parser accepted a bad mode";

  PanelProcess panel(file);
  ASSERT_TRUE(panel.started());
  HWND dialog = panel.findDialog(30);
  ASSERT_NE(dialog, nullptr);
  const std::string message = text(dialog, IDC_A2W_MESSAGE);
  EXPECT_NE(message.find(broken.status.message), std::string::npos) << message;
  EXPECT_EQ(SendMessageW(GetDlgItem(dialog, IDC_A2W_MODE), CB_GETCURSEL, 0, 0), 0);  // the default: auto
  EXPECT_EQ(text(dialog, IDC_A2W_BUFFER), "Device default");

  // A typed buffer size that is out of range is refused, and the file stays.
  SetDlgItemTextW(dialog, IDC_A2W_BUFFER, L"5");
  SendMessageW(dialog, WM_COMMAND, MAKEWPARAM(IDC_A2W_BUFFER, CBN_EDITCHANGE),
               reinterpret_cast<LPARAM>(GetDlgItem(dialog, IDC_A2W_BUFFER)));
  click(dialog, IDC_A2W_APPLY);
  EXPECT_NE(text(dialog, IDC_A2W_MESSAGE).find("Buffer size \"5\""), std::string::npos);
  EXPECT_EQ(readFile(file), "mode = \"turbo\"\n");

  // So is a safety margin beyond the file's limits, with the panel's sentence.
  SetDlgItemTextW(dialog, IDC_A2W_BUFFER, L"480");
  SendMessageW(dialog, WM_COMMAND, MAKEWPARAM(IDC_A2W_BUFFER, CBN_EDITCHANGE),
               reinterpret_cast<LPARAM>(GetDlgItem(dialog, IDC_A2W_BUFFER)));
  EXPECT_EQ(text(dialog, IDC_A2W_SAFETY), "Auto");
  SetDlgItemTextW(dialog, IDC_A2W_SAFETY, L"2000 ms");
  SendMessageW(dialog, WM_COMMAND, MAKEWPARAM(IDC_A2W_SAFETY, CBN_EDITCHANGE),
               reinterpret_cast<LPARAM>(GetDlgItem(dialog, IDC_A2W_SAFETY)));
  click(dialog, IDC_A2W_APPLY);
  EXPECT_EQ(text(dialog, IDC_A2W_MESSAGE),
            "Safety margin \"2000 ms\": expected Auto, a whole number of frames from 0 to 48000, or a duration from 0 "
            "to 1000 ms.");
  EXPECT_EQ(readFile(file), "mode = \"turbo\"\n");

  // Fixed and saved with OK: the file is valid again.
  SetDlgItemTextW(dialog, IDC_A2W_SAFETY, L"96");
  SendMessageW(dialog, WM_COMMAND, MAKEWPARAM(IDC_A2W_SAFETY, CBN_EDITCHANGE),
               reinterpret_cast<LPARAM>(GetDlgItem(dialog, IDC_A2W_SAFETY)));
  click(dialog, IDOK);
  EXPECT_EQ(panel.exitCode(10), 0);
  const a2w::config::LoadResult fixed = a2w::config::load(file);
  ASSERT_TRUE(fixed.status.ok()) << fixed.status.message;
  EXPECT_EQ(fixed.settings.bufferFrames, 480);
  EXPECT_EQ(fixed.settings.mode, a2w::StreamMode::Auto);
  EXPECT_EQ(fixed.settings.safety, a2w::SafetyMode::Fixed);
  EXPECT_EQ(fixed.settings.safetyFrames, 96);
  EXPECT_EQ(readFile(dir / "default.toml.bak"), "mode = \"turbo\"\n");
  fs::remove_all(dir);
}

}  // namespace
