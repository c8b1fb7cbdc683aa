#include "driver/driver_panel.h"

#include <windows.h>

#include <array>
#include <atomic>
#include <string>
#include <vector>

#include "core/vendor_selectors.h"
#include "panel/panel_dialog.h"

namespace a2w {
namespace {

// The panel's view of a running driver. Every call comes from the dialog,
// i.e. from the host's thread that called controlPanel.
class DriverPanelHost final : public panel::PanelHost {
 public:
  explicit DriverPanelHost(DriverCore& core) : core_(core) {}

  std::vector<EndpointInfo> endpoints() override { return core_.backend().listEndpoints(); }

  panel::PanelStatus status() override {
    panel::PanelStatus s;
    s.driverRunning = true;
    s.state = core_.state();
    s.stats = core_.stats();
    s.configError = core_.configError().message;
    // Only what answers without touching the error message in these states.
    if (s.state == DriverState::Prepared || s.state == DriverState::Running) {
      std::array<char, vendor::kStreamStatusBytes> line{};
      if (core_.future(vendor::kGetStreamStatus, line.data()) == asio::err::kSuccess) s.streamStatus = line.data();
      // The latencies with their OS part in one query (the totals are getLatencies').
      vendor::LatencyParts parts{};
      parts.structBytes = sizeof parts;
      if (core_.future(vendor::kGetLatencyParts, &parts) == asio::err::kSuccess) {
        s.latenciesKnown = true;
        s.inputLatency = parts.input.total;
        s.outputLatency = parts.output.total;
        s.inputOsLatency = parts.input.os;
        s.outputOsLatency = parts.output.os;
      }
      asio::SampleRate rate = 0;
      if (core_.getSampleRate(&rate) == asio::err::kOk) s.sampleRate = rate;
    }
    return s;
  }

  std::string applied(const DriverSettings& settings) override {
    core_.applySettings(settings, "control panel: Apply");
    return core_.state() == DriverState::Loaded
               ? "The driver uses them when the host initialises it."
               : "The driver asked the host to reset it; the new settings take effect then.";
  }

 private:
  DriverCore& core_;
};

std::atomic<bool> g_panelOpen{false};

}  // namespace

asio::Error openControlPanel(DriverCore& core, const std::filesystem::path& configFile) {
  if (g_panelOpen.exchange(true)) return asio::err::kOk;
  struct Reset {
    ~Reset() { g_panelOpen = false; }
  } reset;
  DriverPanelHost host(core);
  panel::PanelOptions options;
  options.configFile = configFile.empty() ? panel::defaultConfigFile(L"default") : configFile;
  options.host = &host;
  options.owner = GetActiveWindow();
  return panel::runPanelDialog(options) == -1 ? asio::err::kNotPresent : asio::err::kOk;
}

}  // namespace a2w
