#include "panel/panel_dialog.h"

#include <knownfolders.h>
#include <shlobj.h>

#include <memory>
#include <type_traits>
#include <system_error>
#include <utility>

#include "core/config_file.h"
#include "panel/panel_resource.h"
#include "wasapi/utf.h"
#include "wasapi/wasapi_backend.h"

namespace a2w::panel {
namespace {

using wasapi::toUtf16;
using wasapi::toUtf8;

constexpr UINT_PTR kStatusTimer = 1;
constexpr UINT kStatusIntervalMs = 1000;

// The module whose resources hold the dialog: the DLL or the exe this code
// is linked into.
HINSTANCE thisModule() {
  HMODULE module = nullptr;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                     reinterpret_cast<LPCWSTR>(&thisModule), &module);
  return module;
}

std::wstring windowText(HWND window) {
  const int length = GetWindowTextLengthW(window);
  std::wstring text(static_cast<std::size_t>(length) + 1, L'\0');
  const int got = GetWindowTextW(window, text.data(), length + 1);
  text.resize(static_cast<std::size_t>(got > 0 ? got : 0));
  return text;
}

// CRLF line ends for a static control.
std::wstring staticText(const std::string& utf8) {
  std::wstring out;
  for (wchar_t c : toUtf16(utf8)) {
    if (c == L'\n') out += L'\r';
    out += c;
  }
  return out;
}

class PanelDialog {
 public:
  explicit PanelDialog(const PanelOptions& options) : options_(options) {}

  static INT_PTR CALLBACK proc(HWND dialog, UINT message, WPARAM wParam, LPARAM lParam) {
    PanelDialog* self = nullptr;
    if (message == WM_INITDIALOG) {
      self = reinterpret_cast<PanelDialog*>(lParam);
      SetWindowLongPtrW(dialog, DWLP_USER, lParam);
      self->dialog_ = dialog;
    } else {
      self = reinterpret_cast<PanelDialog*>(GetWindowLongPtrW(dialog, DWLP_USER));
    }
    if (!self) return FALSE;
    try {
      return self->handle(message, wParam, lParam);
    } catch (...) {
      // Nothing may unwind into the dialog manager (or the host beyond it).
      self->showMessage("Internal error in the settings dialog.", true);
      return TRUE;
    }
  }

 private:
  INT_PTR handle(UINT message, WPARAM wParam, LPARAM lParam) {
    switch (message) {
      case WM_INITDIALOG:
        initialise();
        return TRUE;
      case WM_TIMER:
        if (wParam == kStatusTimer) refreshStatus();
        return TRUE;
      case WM_COMMAND:
        command(LOWORD(wParam), HIWORD(wParam));
        return TRUE;
      case WM_CTLCOLORSTATIC:
        if (reinterpret_cast<HWND>(lParam) == item(IDC_A2W_MESSAGE)) {
          HDC dc = reinterpret_cast<HDC>(wParam);
          SetTextColor(dc, messageIsError_ ? RGB(192, 0, 0) : RGB(0, 100, 0));
          SetBkMode(dc, TRANSPARENT);
          return reinterpret_cast<INT_PTR>(GetSysColorBrush(COLOR_3DFACE));
        }
        return FALSE;
      case WM_DESTROY:
        KillTimer(dialog_, kStatusTimer);
        return FALSE;
      default:
        return FALSE;
    }
  }

  HWND item(int id) const { return GetDlgItem(dialog_, id); }

  void initialise() {
    const config::LoadResult loaded = config::load(options_.configFile);
    settings_ = loaded.settings;
    endpoints_ = options_.host ? options_.host->endpoints() : systemEndpoints();
    const PanelForm form = formFromSettings(settings_, endpoints_, &lists_);

    fillCombo(IDC_A2W_OUTPUT, lists_.outputs);
    fillCombo(IDC_A2W_INPUT, lists_.inputs);
    fillCombo(IDC_A2W_MODE, modeLabels());
    fillCombo(IDC_A2W_BUFFER, bufferSizeSuggestions());
    fillCombo(IDC_A2W_SAFETY, safetySuggestions());
    fillCombo(IDC_A2W_RATE, sampleRateSuggestions());
    fillCombo(IDC_A2W_OUT_CHANNELS, channelSuggestions());
    fillCombo(IDC_A2W_IN_CHANNELS, channelSuggestions());
    std::vector<std::string> types;
    for (const SampleTypeChoice& c : sampleTypeChoices()) types.emplace_back(c.label);
    fillCombo(IDC_A2W_SAMPLE_TYPE, types);
    fillCombo(IDC_A2W_DRIFT, driftLabels());
    showForm(form);

    SetWindowTextW(item(IDC_A2W_CONFIG_PATH), (L"Settings file: " + options_.configFile.wstring()).c_str());
    if (!loaded.status.ok()) {
      showMessage("The settings file has an error; the defaults are shown, Apply writes a corrected file. " +
                      loaded.status.message,
                  true);
    } else if (!loaded.warnings.empty()) {
      showMessage("Warning: " + loaded.warnings.front(), true);
    } else {
      showMessage("", false);
    }
    updateDependentControls();
    refreshStatus();
    if (options_.host) SetTimer(dialog_, kStatusTimer, kStatusIntervalMs, nullptr);
    dirty_ = false;
    EnableWindow(item(IDC_A2W_APPLY), FALSE);
  }

  template <typename T>
  void fillCombo(int id, const std::vector<T>& entries) {
    HWND combo = item(id);
    SendMessageW(combo, CB_RESETCONTENT, 0, 0);
    for (const T& e : entries) {
      std::wstring text;
      if constexpr (std::is_same_v<T, Choice>) {
        text = toUtf16(e.label);
      } else {
        text = toUtf16(e);
      }
      SendMessageW(combo, CB_ADDSTRING, 0, reinterpret_cast<LPARAM>(text.c_str()));
    }
  }

  void showForm(const PanelForm& form) {
    SendMessageW(item(IDC_A2W_OUTPUT), CB_SETCURSEL, static_cast<WPARAM>(form.output), 0);
    SendMessageW(item(IDC_A2W_INPUT), CB_SETCURSEL, static_cast<WPARAM>(form.input), 0);
    SendMessageW(item(IDC_A2W_MODE), CB_SETCURSEL, static_cast<WPARAM>(form.mode.choice), 0);
    CheckDlgButton(dialog_, IDC_A2W_POLLING, form.mode.polling ? BST_CHECKED : BST_UNCHECKED);
    SetWindowTextW(item(IDC_A2W_BUFFER), toUtf16(form.bufferSize).c_str());
    SetWindowTextW(item(IDC_A2W_SAFETY), toUtf16(form.safety).c_str());
    SetWindowTextW(item(IDC_A2W_RATE), toUtf16(form.sampleRate).c_str());
    SetWindowTextW(item(IDC_A2W_OUT_CHANNELS), toUtf16(form.outputChannels).c_str());
    SetWindowTextW(item(IDC_A2W_IN_CHANNELS), toUtf16(form.inputChannels).c_str());
    SendMessageW(item(IDC_A2W_SAMPLE_TYPE), CB_SETCURSEL, static_cast<WPARAM>(form.sampleType), 0);
    CheckDlgButton(dialog_, IDC_A2W_DITHER, form.dither ? BST_CHECKED : BST_UNCHECKED);
    SendMessageW(item(IDC_A2W_DRIFT), CB_SETCURSEL, static_cast<WPARAM>(form.drift), 0);
  }

  int selection(int id) const { return static_cast<int>(SendMessageW(item(id), CB_GETCURSEL, 0, 0)); }

  // An editable list's text. During CBN_SELCHANGE the edit field still
  // shows the old text, so the selected entry wins when `selChange` is set.
  std::string editableText(int id, bool selChange) const {
    HWND combo = item(id);
    const int sel = static_cast<int>(SendMessageW(combo, CB_GETCURSEL, 0, 0));
    if (selChange && sel != CB_ERR) {
      const LRESULT length = SendMessageW(combo, CB_GETLBTEXTLEN, static_cast<WPARAM>(sel), 0);
      if (length != CB_ERR) {
        std::wstring text(static_cast<std::size_t>(length) + 1, L'\0');
        SendMessageW(combo, CB_GETLBTEXT, static_cast<WPARAM>(sel), reinterpret_cast<LPARAM>(text.data()));
        text.resize(static_cast<std::size_t>(length));
        return toUtf8(text);
      }
    }
    return toUtf8(windowText(combo));
  }

  PanelForm readForm() const {
    PanelForm form;
    form.output = selection(IDC_A2W_OUTPUT);
    form.input = selection(IDC_A2W_INPUT);
    const int mode = selection(IDC_A2W_MODE);
    form.mode.choice = mode >= 0 && mode <= static_cast<int>(ModeChoice::Shared) ? static_cast<ModeChoice>(mode)
                                                                                  : ModeChoice::Auto;
    form.mode.polling = IsDlgButtonChecked(dialog_, IDC_A2W_POLLING) == BST_CHECKED;
    form.bufferSize = editableText(IDC_A2W_BUFFER, false);
    form.safety = editableText(IDC_A2W_SAFETY, false);
    form.sampleRate = editableText(IDC_A2W_RATE, false);
    form.outputChannels = editableText(IDC_A2W_OUT_CHANNELS, false);
    form.inputChannels = editableText(IDC_A2W_IN_CHANNELS, false);
    form.sampleType = selection(IDC_A2W_SAMPLE_TYPE);
    form.dither = IsDlgButtonChecked(dialog_, IDC_A2W_DITHER) == BST_CHECKED;
    form.drift = selection(IDC_A2W_DRIFT);
    return form;
  }

  void command(int id, int code) {
    switch (id) {
      case IDC_A2W_APPLY:
        if (code == BN_CLICKED) apply();
        return;
      case IDOK:
        if (!dirty_ || apply()) EndDialog(dialog_, IDOK);
        return;
      case IDCANCEL:
        EndDialog(dialog_, IDCANCEL);
        return;
      case IDC_A2W_OUTPUT:
      case IDC_A2W_INPUT:
      case IDC_A2W_MODE:
      case IDC_A2W_SAMPLE_TYPE:
      case IDC_A2W_DRIFT:
        if (code == CBN_SELCHANGE) changed();
        return;
      case IDC_A2W_BUFFER:
      case IDC_A2W_SAFETY:
      case IDC_A2W_RATE:
      case IDC_A2W_OUT_CHANNELS:
      case IDC_A2W_IN_CHANNELS:
        if (code == CBN_SELCHANGE) {
          // Put the chosen entry into the edit field now, so Apply reads it.
          SetWindowTextW(item(id), toUtf16(editableText(id, true)).c_str());
          changed();
        } else if (code == CBN_EDITCHANGE) {
          changed();
        }
        return;
      case IDC_A2W_POLLING:
      case IDC_A2W_DITHER:
        if (code == BN_CLICKED) changed();
        return;
      default:
        return;
    }
  }

  void changed() {
    dirty_ = true;
    EnableWindow(item(IDC_A2W_APPLY), TRUE);
    updateDependentControls();
  }

  // The polling box only means something in exclusive mode, the safety
  // margin only in shared mode (auto may end up there); the device lines
  // describe what is selected.
  void updateDependentControls() {
    const int mode = selection(IDC_A2W_MODE);
    const auto choice = static_cast<ModeChoice>(mode < 0 ? 0 : mode);
    EnableWindow(item(IDC_A2W_POLLING), pollingApplies(choice));
    EnableWindow(item(IDC_A2W_SAFETY), safetyApplies(choice));
    const int out = selection(IDC_A2W_OUTPUT);
    const int in = selection(IDC_A2W_INPUT);
    const std::string outSel = out >= 0 && out < static_cast<int>(lists_.outputs.size())
                                   ? lists_.outputs[static_cast<std::size_t>(out)].selector
                                   : std::string();
    const std::string inSel = in >= 0 && in < static_cast<int>(lists_.inputs.size())
                                  ? lists_.inputs[static_cast<std::size_t>(in)].selector
                                  : std::string();
    SetWindowTextW(item(IDC_A2W_OUTPUT_INFO),
                   toUtf16(endpointSummary(endpointFor(outSel, Direction::Render, endpoints_))).c_str());
    SetWindowTextW(item(IDC_A2W_INPUT_INFO),
                   toUtf16(endpointSummary(endpointFor(inSel, Direction::Capture, endpoints_))).c_str());
  }

  bool apply() {
    DriverSettings next;
    const Status formStatus = settingsFromForm(readForm(), lists_, settings_, &next);
    if (!formStatus.ok()) {
      showMessage(formStatus.message, true);
      return false;
    }
    std::error_code ec;
    std::filesystem::create_directories(options_.configFile.parent_path(), ec);
    const Status saved = config::save(options_.configFile, next);
    if (!saved.ok()) {
      showMessage("Not saved: " + saved.message, true);
      return false;
    }
    settings_ = next;
    dirty_ = false;
    EnableWindow(item(IDC_A2W_APPLY), FALSE);
    std::string note = options_.host ? options_.host->applied(next)
                                     : "Hosts pick the settings up the next time they load or reset the driver.";
    showMessage("Saved (the previous file is kept as .bak). " + note, false);
    refreshStatus();
    return true;
  }

  void refreshStatus() {
    const PanelStatus status = options_.host ? options_.host->status() : PanelStatus{};
    SetWindowTextW(item(IDC_A2W_STATUS), staticText(statusText(status)).c_str());
  }

  void showMessage(const std::string& text, bool isError) {
    messageIsError_ = isError;
    SetWindowTextW(item(IDC_A2W_MESSAGE), staticText(text).c_str());
    InvalidateRect(item(IDC_A2W_MESSAGE), nullptr, TRUE);
  }

  PanelOptions options_;
  HWND dialog_ = nullptr;
  DriverSettings settings_;  // what the file holds (after the last Apply)
  std::vector<EndpointInfo> endpoints_;
  PanelLists lists_;
  bool dirty_ = false;
  bool messageIsError_ = false;
};

}  // namespace

INT_PTR runPanelDialog(const PanelOptions& options) {
  PanelDialog dialog(options);
  return DialogBoxParamW(thisModule(), MAKEINTRESOURCEW(IDD_A2W_PANEL), options.owner, &PanelDialog::proc,
                         reinterpret_cast<LPARAM>(&dialog));
}

std::filesystem::path defaultConfigFile(std::wstring_view instance) {
  PWSTR folder = nullptr;
  std::filesystem::path path;
  if (SUCCEEDED(SHGetKnownFolderPath(FOLDERID_LocalAppData, KF_FLAG_CREATE, nullptr, &folder)) && folder) {
    path = std::filesystem::path(folder) / L"asio2wasapi" / (std::wstring(instance) + L".toml");
  }
  CoTaskMemFree(folder);
  return path;
}

std::vector<EndpointInfo> systemEndpoints() {
  wasapi::WasapiBackend backend;
  return backend.listEndpoints();
}

}  // namespace a2w::panel
