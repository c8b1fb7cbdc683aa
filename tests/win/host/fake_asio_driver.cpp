// A fake ASIO driver for testing asiohost (and any other host code): a COM
// in-process server registered as "A2W Test Driver" with its own CLSID. It
// has no audio device: a thread calls the host's bufferSwitch every period,
// and after each call it checks what the host wrote into the output half
// against the sequence test signal (tools/common/test_signal.h).
//
// Behaviour comes from environment variables read when the driver object is
// created (the host process inherits them):
//   A2W_FAKE_REPORT=path       write key=value results at disposeBuffers
//   A2W_FAKE_TYPE=Int24LSB     the outputs' sample type (default Float32LSB)
//   A2W_FAKE_INPUTS=n, A2W_FAKE_OUTPUTS=n   channel counts (default 2, 2)
//   A2W_FAKE_SIGNAL_FRAMES=n   frames of test signal the host plays; later
//                              frames must be silence (the host's tail)
//   A2W_FAKE_FAIL=init,start   methods that fail with ASE_InvalidMode / false
//   A2W_FAKE_RESET_AFTER=n     send kResetRequest after n buffer switches
//   A2W_FAKE_NULL_BUFFER=1     createBuffers hands out a null second half
//   A2W_FAKE_OUTPUT_READY=no   outputReady() answers ASE_NotPresent
//   A2W_FAKE_OVERLOAD_AFTER=n  send kOverload after n buffer switches
//   A2W_FAKE_LOOPBACK=1        input k records output k, as late as the
//                              reported input + output latency (a loop the
//                              driver accounts for exactly)
//   A2W_FAKE_XRUN_AFTER=n      with the loopback: after n buffer switches
//                              the input loses a buffer (one buffer of
//                              silence, then the loop a buffer later); the
//                              fake sends kResyncRequest and, its input
//                              latency grown by a buffer, kLatenciesChanged
//   A2W_FAKE_XRUN_SILENT=1     the same xrun without the messages or the
//                              latency change (an xrun the driver missed)
//
// The values are compared after a round trip through the channel's type
// (a2w::host::quantize), so the check shares the conversion code with the
// host; the conversion itself is pinned bit for bit by the native tests in
// tests/unit/sample_writer_test.cpp.
#include <windows.h>
#include <objbase.h>
#include <olectl.h>
#include <mmsystem.h>  // timeGetTime: the ASIO system-time base

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "asio/iasio.h"
#include "common/sample_writer.h"
#include "common/test_signal.h"

namespace {

// {6F1C2B7E-4A0D-4E39-9C35-2D7E8B1A5F03}
constexpr CLSID kFakeClsid = {0x6f1c2b7e, 0x4a0d, 0x4e39, {0x9c, 0x35, 0x2d, 0x7e, 0x8b, 0x1a, 0x5f, 0x03}};
constexpr wchar_t kFakeClsidText[] = L"{6F1C2B7E-4A0D-4E39-9C35-2D7E8B1A5F03}";
constexpr wchar_t kFakeName[] = L"A2W Test Driver";
constexpr char kFakeNameA[] = "A2W Test Driver";

std::atomic<long> g_objects{0};  // live driver objects and factory locks: DllCanUnloadNow
std::atomic<long> g_locks{0};

std::string env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string(fallback);
}

int envInt(const char* name, int fallback) {
  const std::string v = env(name);
  return v.empty() ? fallback : std::atoi(v.c_str());
}

asio::SampleType typeFromName(const std::string& name) {
  for (int code = 0; code <= 40; ++code) {
    const auto t = static_cast<asio::SampleType>(code);
    if (a2w::host::sampleTypeName(t) == name) return t;
  }
  return asio::SampleType::Float32LSB;
}

struct Buffer {
  bool isInput = false;
  std::int32_t channel = 0;
  std::vector<unsigned char> halves[2];
};

class FakeDriver final : public asio::IAsio {
 public:
  FakeDriver() {
    ++g_objects;
    reportPath_ = env("A2W_FAKE_REPORT");
    outputType_ = typeFromName(env("A2W_FAKE_TYPE", "Float32LSB"));
    inputs_ = envInt("A2W_FAKE_INPUTS", 2);
    outputs_ = envInt("A2W_FAKE_OUTPUTS", 2);
    signalFrames_ = static_cast<std::uint64_t>(envInt("A2W_FAKE_SIGNAL_FRAMES", 0x7fffffff));
    fail_ = "," + env("A2W_FAKE_FAIL") + ",";
    resetAfter_ = envInt("A2W_FAKE_RESET_AFTER", 0);
    overloadAfter_ = envInt("A2W_FAKE_OVERLOAD_AFTER", 0);
    nullBuffer_ = env("A2W_FAKE_NULL_BUFFER") == "1";
    outputReadySupported_ = env("A2W_FAKE_OUTPUT_READY") != "no";
    loopback_ = env("A2W_FAKE_LOOPBACK") == "1";
    xrunAfter_ = envInt("A2W_FAKE_XRUN_AFTER", 0);
    xrunSilent_ = env("A2W_FAKE_XRUN_SILENT") == "1";
    stopEvent_ = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  }
  ~FakeDriver() {
    stopThread();
    if (stopEvent_) CloseHandle(stopEvent_);
    --g_objects;
  }

  // IUnknown: the interface id hosts ask for is the CLSID itself.
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override {
    if (!out) return E_POINTER;
    if (IsEqualIID(iid, IID_IUnknown) || IsEqualIID(iid, kFakeClsid)) {
      *out = static_cast<asio::IAsio*>(this);
      AddRef();
      return S_OK;
    }
    *out = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return static_cast<ULONG>(++refs_); }
  ULONG STDMETHODCALLTYPE Release() override {
    const long n = --refs_;
    if (n == 0) delete this;
    return static_cast<ULONG>(n);
  }

  asio::Bool init(void*) override {
    if (failing("init")) return asio::kFalse;
    initialized_ = true;
    return asio::kTrue;
  }
  void getDriverName(char* name) override { std::strcpy(name, kFakeNameA); }
  std::int32_t getDriverVersion() override { return 7; }
  void getErrorMessage(char* text) override {
    std::strncpy(text, error_.c_str(), asio::kErrorMessageBytes - 1);
    text[asio::kErrorMessageBytes - 1] = '\0';
  }

  asio::Error start() override {
    if (failing("start")) return asio::err::kInvalidMode;
    if (buffers_.empty() || running_) return fault("start: no buffers or already running");
    ResetEvent(stopEvent_);
    running_ = true;
    position_ = 0;
    played_.clear();
    extraInputLatency_ = 0;
    loopExtra_ = 0;
    silentSwitch_ = ~0ull;
    thread_ = std::thread([this] { run(); });
    return asio::err::kOk;
  }
  asio::Error stop() override {
    if (failing("stop")) return asio::err::kInvalidMode;
    stopThread();
    return asio::err::kOk;
  }
  asio::Error getChannels(std::int32_t* in, std::int32_t* out) override {
    if (failing("getChannels")) return asio::err::kNotPresent;
    if (!in || !out) return asio::err::kInvalidParameter;
    *in = inputs_;
    *out = outputs_;
    return asio::err::kOk;
  }
  asio::Error getLatencies(std::int32_t* in, std::int32_t* out) override {
    if (failing("getLatencies")) return asio::err::kNotPresent;
    if (!in || !out) return asio::err::kInvalidParameter;
    *in = frames_ + 32 + extraInputLatency_.load();
    *out = 2 * frames_ + 32;
    return asio::err::kOk;
  }
  asio::Error getBufferSize(std::int32_t* mn, std::int32_t* mx, std::int32_t* pref, std::int32_t* gran) override {
    if (failing("getBufferSize")) return asio::err::kNotPresent;
    *mn = 64;
    *mx = 2048;
    *pref = 256;
    *gran = -1;
    return asio::err::kOk;
  }
  asio::Error canSampleRate(asio::SampleRate rate) override {
    return rate == 44100 || rate == 48000 || rate == 96000 ? asio::err::kOk : asio::err::kNoClock;
  }
  asio::Error getSampleRate(asio::SampleRate* rate) override {
    if (!rate) return asio::err::kInvalidParameter;
    *rate = rate_;
    return asio::err::kOk;
  }
  asio::Error setSampleRate(asio::SampleRate rate) override {
    if (canSampleRate(rate) != asio::err::kOk) return fault("sample rate not supported by the fake", asio::err::kNoClock);
    rate_ = rate;
    return asio::err::kOk;
  }
  asio::Error getClockSources(asio::ClockSource* clocks, std::int32_t* count) override {
    if (!clocks || !count || *count < 1) return asio::err::kInvalidParameter;
    std::memset(clocks, 0, sizeof *clocks);
    clocks->index = 0;
    clocks->associatedChannel = -1;
    clocks->associatedGroup = -1;
    clocks->isCurrentSource = asio::kTrue;
    std::strcpy(clocks->name, "Fake Internal");
    *count = 1;
    return asio::err::kOk;
  }
  asio::Error setClockSource(std::int32_t index) override {
    return index == 0 ? asio::err::kOk : asio::err::kInvalidParameter;
  }
  asio::Error getSamplePosition(asio::Samples* pos, asio::TimeStamp* stamp) override {
    if (!pos || !stamp) return asio::err::kInvalidParameter;
    if (!running_) return asio::err::kSamplePositionNotAdvancing;
    *pos = asio::toSplit64(position_.load());
    *stamp = asio::toSplit64(static_cast<std::uint64_t>(timeGetTime()) * 1000000ull);
    return asio::err::kOk;
  }
  asio::Error getChannelInfo(asio::ChannelInfo* info) override {
    if (!info) return asio::err::kInvalidParameter;
    const bool in = info->isInput != 0;
    if (info->channel < 0 || info->channel >= (in ? inputs_ : outputs_)) return asio::err::kInvalidParameter;
    info->isActive = asio::kFalse;
    for (const auto& b : buffers_) {
      if (b.isInput == in && b.channel == info->channel) info->isActive = asio::kTrue;
    }
    info->channelGroup = 0;
    info->type = in ? asio::SampleType::Int32LSB : outputType_;
    std::snprintf(info->name, sizeof info->name, "Fake %s %d", in ? "In" : "Out", static_cast<int>(info->channel + 1));
    return asio::err::kOk;
  }
  asio::Error createBuffers(asio::BufferInfo* infos, std::int32_t count, std::int32_t frames,
                            asio::Callbacks* callbacks) override {
    if (failing("createBuffers")) return asio::err::kInvalidMode;
    if (!initialized_ || running_ || !buffers_.empty()) return fault("createBuffers: wrong state", asio::err::kInvalidMode);
    if (!infos || !callbacks || count <= 0) return asio::err::kInvalidParameter;
    if (frames < 64 || frames > 2048 || (frames & (frames - 1)) != 0) {
      return fault("buffer size must be a power of two in 64..2048", asio::err::kInvalidMode);
    }
    frames_ = frames;
    callbacks_ = *callbacks;
    buffers_.resize(static_cast<std::size_t>(count));
    for (std::int32_t i = 0; i < count; ++i) {
      asio::BufferInfo& info = infos[i];
      Buffer& b = buffers_[static_cast<std::size_t>(i)];
      b.isInput = info.isInput != 0;
      b.channel = info.channelNum;
      const std::size_t bytes = static_cast<std::size_t>(frames) *
                                a2w::host::bytesPerSample(b.isInput ? asio::SampleType::Int32LSB : outputType_);
      for (auto& h : b.halves) h.assign(bytes, 0);
      info.buffers[0] = b.halves[0].data();
      info.buffers[1] = nullBuffer_ ? nullptr : b.halves[1].data();
    }
    // Ask the host what it supports, as real drivers do.
    timeInfo_ = callbacks_.asioMessage(asio::msg::kSelectorSupported, asio::msg::kSupportsTimeInfo, nullptr, nullptr) == 1 &&
                callbacks_.asioMessage(asio::msg::kSupportsTimeInfo, 0, nullptr, nullptr) == 1;
    if (callbacks_.asioMessage(asio::msg::kSelectorSupported, asio::msg::kEngineVersion, nullptr, nullptr) == 1) {
      engineVersion_ = callbacks_.asioMessage(asio::msg::kEngineVersion, 0, nullptr, nullptr);
    }
    switches_ = checkedFrames_ = mismatches_ = outputReadyCalls_ = 0;
    firstMismatch_.clear();
    return asio::err::kOk;
  }
  asio::Error disposeBuffers() override {
    if (buffers_.empty()) return asio::err::kInvalidMode;
    stopThread();
    writeReport();
    buffers_.clear();
    return asio::err::kOk;
  }
  asio::Error controlPanel() override { return asio::err::kNotPresent; }
  asio::Error future(std::int32_t selector, void*) override {
    if (selector == asio::fut::kCanTimeInfo || selector == asio::fut::kCanReportOverload) return asio::err::kSuccess;
    return asio::err::kNotPresent;
  }
  asio::Error outputReady() override {
    if (!outputReadySupported_) return asio::err::kNotPresent;
    ++outputReadyCalls_;
    return asio::err::kOk;
  }

 private:
  bool failing(const char* method) {
    if (fail_.find("," + std::string(method) + ",") == std::string::npos) return false;
    error_ = std::string("fake failure requested in ") + method;
    return true;
  }
  asio::Error fault(const std::string& message, asio::Error code = asio::err::kInvalidMode) {
    error_ = message;
    return code;
  }

  void stopThread() {
    if (!running_) return;
    SetEvent(stopEvent_);
    if (thread_.joinable()) thread_.join();
    running_ = false;
  }

  // One buffer switch per period on an absolute schedule (no drift).
  void run() {
    LARGE_INTEGER freq, t0, now;
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t0);
    const double period = static_cast<double>(frames_) / rate_;
    for (std::uint64_t n = 0;; ++n) {
      QueryPerformanceCounter(&now);
      const double due = static_cast<double>(n + 1) * period;  // the first half plays before the first switch
      const double elapsed = static_cast<double>(now.QuadPart - t0.QuadPart) / static_cast<double>(freq.QuadPart);
      const DWORD waitMs = due > elapsed ? static_cast<DWORD>(std::ceil((due - elapsed) * 1000.0)) : 0;
      if (WaitForSingleObject(stopEvent_, waitMs) == WAIT_OBJECT_0) return;
      const std::int32_t index = static_cast<std::int32_t>(n & 1);
      position_ = n * static_cast<std::uint64_t>(frames_);
      if (loopback_) loopInputs(index, n);
      if (timeInfo_) {
        asio::Time time{};
        time.timeInfo.samplePosition = asio::toSplit64(position_.load());
        time.timeInfo.systemTime = asio::toSplit64(static_cast<std::uint64_t>(timeGetTime()) * 1000000ull);
        time.timeInfo.sampleRate = rate_;
        time.timeInfo.speed = 1.0;
        time.timeInfo.flags = asio::timeinfo::kSystemTimeValid | asio::timeinfo::kSamplePositionValid |
                              asio::timeinfo::kSampleRateValid | asio::timeinfo::kSpeedValid;
        callbacks_.bufferSwitchTimeInfo(&time, index, asio::kTrue);
      } else {
        callbacks_.bufferSwitch(index, asio::kTrue);
      }
      check(index, n);
      if (loopback_) keepPlayed(index);
      ++switches_;
      if (loopback_ && xrunAfter_ > 0 && switches_ == static_cast<std::uint64_t>(xrunAfter_)) xrun(n);
      if (overloadAfter_ > 0 && switches_ == static_cast<std::uint64_t>(overloadAfter_)) {
        callbacks_.asioMessage(asio::msg::kOverload, 0, nullptr, nullptr);
      }
      if (resetAfter_ > 0 && switches_ == static_cast<std::uint64_t>(resetAfter_)) {
        callbacks_.asioMessage(asio::msg::kResetRequest, 0, nullptr, nullptr);
      }
    }
  }

  // The loop's delay: what the fake reports (input + output latency), plus
  // a buffer per xrun, silent or not.
  std::uint64_t loopDelay() const {
    return static_cast<std::uint64_t>(3 * frames_ + 64) + loopExtra_;
  }

  // Input k's half for switch n: output k as it was played loopDelay() earlier.
  void loopInputs(std::int32_t index, std::uint64_t n) {
    for (Buffer& b : buffers_) {
      if (!b.isInput) continue;
      void* half = b.halves[index].data();
      for (std::int32_t i = 0; i < frames_; ++i) {
        const std::uint64_t frame = n * static_cast<std::uint64_t>(frames_) + static_cast<std::uint64_t>(i);
        double v = 0.0;
        const std::size_t k = static_cast<std::size_t>(b.channel);
        if (n != silentSwitch_ && k < played_.size() && frame >= loopDelay() && frame - loopDelay() < played_[k].size()) {
          v = played_[k][static_cast<std::size_t>(frame - loopDelay())];
        }
        a2w::host::writeSample(half, static_cast<std::size_t>(i), asio::SampleType::Int32LSB, v);
      }
    }
  }

  void keepPlayed(std::int32_t index) {
    for (const Buffer& b : buffers_) {
      if (b.isInput) continue;
      const auto k = static_cast<std::size_t>(b.channel);
      if (played_.size() <= k) played_.resize(k + 1);
      for (std::int32_t i = 0; i < frames_; ++i) {
        played_[k].push_back(a2w::host::readSample(b.halves[index].data(), static_cast<std::size_t>(i), outputType_));
      }
    }
  }

  // After switch n: the next input buffer is lost (silence) and the loop
  // goes on a buffer later. A driver that saw it says so, as issue 13 asks.
  void xrun(std::uint64_t n) {
    silentSwitch_ = n + 1;
    loopExtra_ += static_cast<std::uint64_t>(frames_);
    if (xrunSilent_) return;
    extraInputLatency_ += frames_;
    callbacks_.asioMessage(asio::msg::kResyncRequest, 0, nullptr, nullptr);
    callbacks_.asioMessage(asio::msg::kLatenciesChanged, 0, nullptr, nullptr);
  }

  void check(std::int32_t index, std::uint64_t n) {
    for (const Buffer& b : buffers_) {
      if (b.isInput) continue;
      const void* half = b.halves[index].data();
      for (std::int32_t i = 0; i < frames_; ++i) {
        const std::uint64_t frame = n * static_cast<std::uint64_t>(frames_) + static_cast<std::uint64_t>(i);
        const double expected =
            frame < signalFrames_
                ? a2w::host::quantize(a2w::signal::sample(frame, static_cast<std::uint32_t>(b.channel)), outputType_)
                : 0.0;
        const double got = a2w::host::readSample(half, static_cast<std::size_t>(i), outputType_);
        if (got != expected) {
          if (mismatches_++ == 0) {
            char text[160];
            std::snprintf(text, sizeof text, "frame %llu channel %d got %.9g expected %.9g",
                          static_cast<unsigned long long>(frame), static_cast<int>(b.channel), got, expected);
            firstMismatch_ = text;
          }
        }
        ++checkedFrames_;
      }
    }
  }

  void writeReport() {
    if (reportPath_.empty()) return;
    FILE* f = std::fopen(reportPath_.c_str(), "w");
    if (!f) return;
    std::fprintf(f, "switches=%llu\nchecked_samples=%llu\nmismatches=%llu\nfirst_mismatch=%s\n",
                 static_cast<unsigned long long>(switches_), static_cast<unsigned long long>(checkedFrames_),
                 static_cast<unsigned long long>(mismatches_), firstMismatch_.c_str());
    std::fprintf(f, "output_ready_calls=%llu\ntime_info=%d\nengine_version=%d\nbuffer_frames=%d\nsample_type=%s\n",
                 static_cast<unsigned long long>(outputReadyCalls_.load()), timeInfo_ ? 1 : 0, static_cast<int>(engineVersion_),
                 static_cast<int>(frames_), a2w::host::sampleTypeName(outputType_).c_str());
    char loads[16] = "0";
    GetEnvironmentVariableA("A2W_FAKE_MODULE_LOADS", loads, sizeof loads);
    std::fprintf(f, "module_loads=%s\n", loads);
    std::fprintf(f, "rate=%g\noutput_buffers=%d\n", rate_,
                 static_cast<int>(std::count_if(buffers_.begin(), buffers_.end(), [](const Buffer& b) { return !b.isInput; })));
    std::fclose(f);
  }

  std::atomic<long> refs_{1};
  std::string reportPath_, fail_, error_;
  asio::SampleType outputType_;
  std::int32_t inputs_ = 2, outputs_ = 2;
  int resetAfter_ = 0, overloadAfter_ = 0;
  bool nullBuffer_ = false, outputReadySupported_ = true, initialized_ = false, timeInfo_ = false;
  bool loopback_ = false, xrunSilent_ = false;
  int xrunAfter_ = 0;
  std::vector<std::vector<double>> played_;  // per output channel, every frame the host wrote
  std::atomic<std::int32_t> extraInputLatency_{0};  // read by getLatencies on the host's thread
  std::uint64_t loopExtra_ = 0;
  std::uint64_t silentSwitch_ = ~0ull;
  std::int32_t engineVersion_ = 0;
  double rate_ = 48000;
  std::int32_t frames_ = 256;
  asio::Callbacks callbacks_{};
  std::vector<Buffer> buffers_;
  HANDLE stopEvent_ = nullptr;
  std::thread thread_;
  bool running_ = false;
  std::atomic<std::uint64_t> position_{0};
  std::uint64_t switches_ = 0, checkedFrames_ = 0, mismatches_ = 0;
  std::uint64_t signalFrames_ = 0;
  std::atomic<std::uint64_t> outputReadyCalls_{0};
  std::string firstMismatch_;
};

class Factory final : public IClassFactory {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override {
    if (!out) return E_POINTER;
    if (IsEqualIID(iid, IID_IUnknown) || IsEqualIID(iid, IID_IClassFactory)) {
      *out = static_cast<IClassFactory*>(this);
      AddRef();
      return S_OK;
    }
    *out = nullptr;
    return E_NOINTERFACE;
  }
  // A static object: counting only keeps the DLL locked while a host holds it.
  ULONG STDMETHODCALLTYPE AddRef() override { return static_cast<ULONG>(++g_locks); }
  ULONG STDMETHODCALLTYPE Release() override { return static_cast<ULONG>(--g_locks); }
  HRESULT STDMETHODCALLTYPE CreateInstance(IUnknown* outer, REFIID iid, void** out) override {
    if (!out) return E_POINTER;
    *out = nullptr;
    if (outer) return CLASS_E_NOAGGREGATION;
    auto* driver = new (std::nothrow) FakeDriver;
    if (!driver) return E_OUTOFMEMORY;
    const HRESULT hr = driver->QueryInterface(iid, out);
    driver->Release();  // the QueryInterface reference is the caller's
    return hr;
  }
  HRESULT STDMETHODCALLTYPE LockServer(BOOL lock) override {
    if (lock) ++g_locks; else --g_locks;
    return S_OK;
  }
};

Factory g_factory;

std::wstring modulePath() {
  HMODULE self = nullptr;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                     reinterpret_cast<LPCWSTR>(&modulePath), &self);
  wchar_t path[MAX_PATH] = {};
  GetModuleFileNameW(self, path, MAX_PATH);
  return path;
}

bool setString(HKEY root, const std::wstring& key, const wchar_t* name, const std::wstring& value) {
  HKEY k = nullptr;
  if (RegCreateKeyExW(root, key.c_str(), 0, nullptr, 0, KEY_WRITE, nullptr, &k, nullptr) != ERROR_SUCCESS) return false;
  const LONG rc = RegSetValueExW(k, name, 0, REG_SZ, reinterpret_cast<const BYTE*>(value.c_str()),
                                 static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t)));
  RegCloseKey(k);
  return rc == ERROR_SUCCESS;
}

}  // namespace

// Counts the times this DLL was mapped into the process, in the process
// environment (which outlives an unload): shows whether a host's
// CoFreeUnusedLibraries really unloaded and reloaded it.
extern "C" BOOL WINAPI DllMain(HINSTANCE, DWORD reason, void*) {
  if (reason == DLL_PROCESS_ATTACH) {
    char text[16] = "0";
    GetEnvironmentVariableA("A2W_FAKE_MODULE_LOADS", text, sizeof text);
    std::snprintf(text, sizeof text, "%d", std::atoi(text) + 1);
    SetEnvironmentVariableA("A2W_FAKE_MODULE_LOADS", text);
  }
  return TRUE;
}

extern "C" HRESULT STDAPICALLTYPE DllGetClassObject(REFCLSID clsid, REFIID iid, void** out) {
  if (!out) return E_POINTER;
  *out = nullptr;
  if (!IsEqualCLSID(clsid, kFakeClsid)) return CLASS_E_CLASSNOTAVAILABLE;
  return g_factory.QueryInterface(iid, out);
}

extern "C" HRESULT STDAPICALLTYPE DllCanUnloadNow() { return g_objects == 0 && g_locks == 0 ? S_OK : S_FALSE; }

extern "C" HRESULT STDAPICALLTYPE DllRegisterServer() {
  const std::wstring clsidKey = std::wstring(L"CLSID\\") + kFakeClsidText;
  const std::wstring asioKey = std::wstring(L"SOFTWARE\\ASIO\\") + kFakeName;
  const bool ok = setString(HKEY_CLASSES_ROOT, clsidKey, nullptr, kFakeName) &&
                  setString(HKEY_CLASSES_ROOT, clsidKey + L"\\InprocServer32", nullptr, modulePath()) &&
                  setString(HKEY_CLASSES_ROOT, clsidKey + L"\\InprocServer32", L"ThreadingModel", L"Both") &&
                  setString(HKEY_LOCAL_MACHINE, asioKey, L"CLSID", kFakeClsidText) &&
                  setString(HKEY_LOCAL_MACHINE, asioKey, L"Description", L"asio2wasapi test fixture (no audio)");
  return ok ? S_OK : SELFREG_E_CLASS;
}

extern "C" HRESULT STDAPICALLTYPE DllUnregisterServer() {
  RegDeleteTreeW(HKEY_CLASSES_ROOT, (std::wstring(L"CLSID\\") + kFakeClsidText).c_str());
  RegDeleteTreeW(HKEY_LOCAL_MACHINE, (std::wstring(L"SOFTWARE\\ASIO\\") + kFakeName).c_str());
  return S_OK;
}
